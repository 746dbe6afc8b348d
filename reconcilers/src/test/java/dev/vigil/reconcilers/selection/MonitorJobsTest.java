package dev.vigil.reconcilers.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.NamespaceSelector;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.NamespaceSelection;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant's monitor discovers in its own namespace, as ignoreNamespaceSelectors would have it. */
class MonitorJobsTest {
  static final Tenancy PLATFORM_IS_MONITORING = new Tenancy(List.of("monitoring"), false);

  static ServiceMonitor serviceMonitor(String namespace, NamespaceSelector selector) {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace(namespace).build());
    monitor.setSpec(new ServiceMonitorSpec());
    monitor.getSpec().selector = new LabelSelector();
    monitor.getSpec().namespaceSelector = selector;
    Endpoint endpoint = new Endpoint();
    endpoint.port = "http";
    monitor.getSpec().endpoints = List.of(endpoint, endpoint);
    return monitor;
  }

  static NamespaceSelector any() {
    NamespaceSelector selector = new NamespaceSelector();
    selector.any = true;
    return selector;
  }

  static NamespaceSelector names(String... names) {
    NamespaceSelector selector = new NamespaceSelector();
    selector.matchNames = List.of(names);
    return selector;
  }

  @Test
  void aTenantsMonitorLooksInItsOwnNamespaceWhateverItsSelectorSays() {
    for (NamespaceSelector selector : List.of(any(), names("team-b", "kube-system"))) {
      ServiceMonitor monitor = serviceMonitor("team-a", selector);
      assertThat(MonitorJobs.of(monitor, PLATFORM_IS_MONITORING))
          .hasSize(2)
          .extracting(DiscoveryJob::namespaces)
          .containsOnly(NamespaceSelection.names(List.of("team-a")));
      assertThat(MonitorJobs.confined(monitor, selector, PLATFORM_IS_MONITORING)).isTrue();
    }
  }

  @Test
  void aPlatformMonitorLooksWhereItsSelectorSays() {
    ServiceMonitor monitor = serviceMonitor("monitoring", any());
    assertThat(MonitorJobs.of(monitor, PLATFORM_IS_MONITORING))
        .isEqualTo(DiscoveryJob.forServiceMonitor(monitor));
    assertThat(MonitorJobs.of(monitor, PLATFORM_IS_MONITORING).get(0).namespaces())
        .isNotEqualTo(NamespaceSelection.names(List.of("monitoring")));
    assertThat(MonitorJobs.confined(monitor, any(), PLATFORM_IS_MONITORING)).isFalse();
  }

  @Test
  void aTenantsSelectorOfItsOwnNamespaceIsNotReportedAsConfined() {
    ServiceMonitor monitor = serviceMonitor("team-a", names("team-a"));
    assertThat(MonitorJobs.confined(monitor, names("team-a"), PLATFORM_IS_MONITORING)).isFalse();
    assertThat(MonitorJobs.confined(monitor, null, PLATFORM_IS_MONITORING)).isFalse();
  }

  @Test
  void podMonitorsAreConfinedAlike() {
    PodMonitor monitor = new PodMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("team-a").build());
    monitor.setSpec(new PodMonitorSpec());
    monitor.getSpec().selector = new LabelSelector();
    monitor.getSpec().namespaceSelector = any();
    PodMetricsEndpoint endpoint = new PodMetricsEndpoint();
    endpoint.port = "http";
    monitor.getSpec().podMetricsEndpoints = List.of(endpoint);
    assertThat(MonitorJobs.of(monitor, PLATFORM_IS_MONITORING))
        .singleElement()
        .satisfies(
            job ->
                assertThat(job.namespaces())
                    .isEqualTo(NamespaceSelection.names(List.of("team-a"))));
    assertThat(MonitorJobs.of(monitor, Tenancy.SINGLE_TEAM))
        .isEqualTo(DiscoveryJob.forPodMonitor(monitor));
  }
}
