package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.discovery.ClusterSnapshot;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.PortCheck;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.selection.MonitorJobs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each monitor's endpoints whose port names no port of what they select, computed again only after
 * the monitor or the objects discovery reads changed, since it reads every selected Service or Pod.
 * Thread-safe.
 */
final class PortProblemCache {
  private final TargetIndex index;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** A monitor's port problems as computed for one version of the monitor and of the snapshot. */
  private record Entry(HasMetadata monitor, long snapshot, List<String> problems) {}

  private final Tenancy tenancy;

  PortProblemCache(TargetIndex index, Tenancy tenancy) {
    this.index = index;
    this.tenancy = tenancy;
  }

  /** The port problems of {@code monitor}, kept under {@code key}. */
  List<String> of(String key, HasMetadata monitor) {
    long snapshotVersion = index.changes();
    Entry cached = entries.get(key);
    if (cached != null && cached.monitor() == monitor && cached.snapshot() == snapshotVersion) {
      return cached.problems();
    }
    List<String> problems = compute(monitor, index.snapshot(), tenancy);
    entries.put(key, new Entry(monitor, snapshotVersion, problems));
    return problems;
  }

  /** Forgets a monitor that is gone. */
  void forget(String key) {
    entries.remove(key);
  }

  /** One problem per endpoint, "spec.endpoints[i].port: ...", for a monitor the schema checked. */
  static List<String> compute(HasMetadata monitor, ClusterSnapshot snapshot, Tenancy tenancy) {
    List<DiscoveryJob> jobs;
    String field;
    try {
      if (monitor instanceof ServiceMonitor serviceMonitor) {
        jobs = MonitorJobs.of(serviceMonitor, tenancy);
        field = "spec.endpoints[";
      } else if (monitor instanceof PodMonitor podMonitor) {
        jobs = MonitorJobs.of(podMonitor, tenancy);
        field = "spec.podMetricsEndpoints[";
      } else {
        return List.of();
      }
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      String endpoint = field + i + "]";
      PortCheck.problem(jobs.get(i), snapshot)
          .ifPresent(m -> problems.add(endpoint + ".port: " + m));
    }
    return problems;
  }
}
