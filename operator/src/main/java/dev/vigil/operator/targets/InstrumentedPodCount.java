package dev.vigil.operator.targets;

import dev.vigil.reconcilers.injection.PodInjector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.HashMap;
import java.util.Map;

/**
 * The number of pods carrying each Instrumentation, kept as the Pod watch delivers them (trimmed
 * pods keep their annotations): which Instrumentation each pod carries, and a count per
 * Instrumentation. Reading a count is a map lookup. Not thread-safe: the engine holds its lock.
 */
final class InstrumentedPodCount {
  /** Pod ({@code <namespace>/<name>}) to Instrumentation ({@code <namespace>/<name>}). */
  private final Map<String, String> byPod = new HashMap<>();

  private final Map<String, Integer> counts = new HashMap<>();

  /** A pod added or updated. */
  void put(HasMetadata object) {
    if (!(object instanceof Pod pod)) {
      return;
    }
    String key = Cache.metaNamespaceKeyFunc(pod);
    String now = terminal(pod) ? null : PodInjector.instrumentedBy(pod).orElse(null);
    String before = now == null ? byPod.remove(key) : byPod.put(key, now);
    if (before != null && !before.equals(now)) {
      counts.computeIfPresent(before, (k, n) -> n <= 1 ? null : n - 1);
    }
    if (now != null && !now.equals(before)) {
      counts.merge(now, 1, Integer::sum);
    }
  }

  /** A pod deleted. */
  void delete(HasMetadata object) {
    if (object instanceof Pod pod) {
      String before = byPod.remove(Cache.metaNamespaceKeyFunc(pod));
      if (before != null) {
        counts.computeIfPresent(before, (k, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  /** Pods carrying the Instrumentation {@code <namespace>/<name>}. */
  int count(String instrumentation) {
    return counts.getOrDefault(instrumentation, 0);
  }

  /** A pod that has finished (a Job's) runs no SDK any more. */
  private static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
