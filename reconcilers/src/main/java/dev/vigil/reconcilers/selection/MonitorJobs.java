package dev.vigil.reconcilers.selection;

import dev.vigil.api.v1alpha1.common.NamespaceSelector;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.NamespaceSelection;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * A monitor's discovery jobs under the operator's tenancy: a monitor in a platform namespace looks
 * where its {@code namespaceSelector} says, as under prometheus-operator; a tenant's monitor looks
 * in its own namespace only (prometheus-operator's {@code ignoreNamespaceSelectors}, always on for
 * tenants), so no team can have another team's pods scraped.
 */
public final class MonitorJobs {
  private MonitorJobs() {}

  /**
   * @throws IllegalArgumentException when the spec is missing or a selector is invalid
   */
  public static List<DiscoveryJob> of(ServiceMonitor monitor, Tenancy tenancy) {
    return confine(DiscoveryJob.forServiceMonitor(monitor), monitor, tenancy);
  }

  /**
   * @throws IllegalArgumentException when the spec is missing or a selector is invalid
   */
  public static List<DiscoveryJob> of(PodMonitor monitor, Tenancy tenancy) {
    return confine(DiscoveryJob.forPodMonitor(monitor), monitor, tenancy);
  }

  /** Whether the monitor is a tenant's with a namespace selector, which its jobs set aside. */
  public static boolean confined(HasMetadata monitor, NamespaceSelector selector, Tenancy tenancy) {
    return !tenancy.isPlatform(monitor.getMetadata().getNamespace())
        && selector != null
        && (Boolean.TRUE.equals(selector.any)
            || (selector.matchNames != null
                && selector.matchNames.stream()
                    .anyMatch(name -> !name.equals(monitor.getMetadata().getNamespace()))));
  }

  private static List<DiscoveryJob> confine(
      List<DiscoveryJob> jobs, HasMetadata monitor, Tenancy tenancy) {
    String own = monitor.getMetadata().getNamespace();
    if (tenancy.isPlatform(own)) {
      return jobs;
    }
    NamespaceSelection ownOnly = NamespaceSelection.names(List.of(own));
    return jobs.stream().map(job -> job.withNamespaces(ownOnly)).toList();
  }
}
