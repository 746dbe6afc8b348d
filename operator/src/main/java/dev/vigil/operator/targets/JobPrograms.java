package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.prometheus.JobRelabelings;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The relabeling of each scrape job of each stack ({@link JobRelabelings}), computed once per
 * version of the stack and of the monitor. Objects are kept by identity: the engine replaces a
 * stored object only when its spec or labels change, so an unchanged pair is never recomputed, and
 * a pass of {@link #retainUsed} forgets pairs that are gone. Not thread-safe: the engine calls it
 * under its lock.
 */
final class JobPrograms {
  private IdentityHashMap<MonitoringStack, IdentityHashMap<Object, Map<String, TargetRelabeling>>>
      cache = new IdentityHashMap<>();
  private IdentityHashMap<MonitoringStack, IdentityHashMap<Object, Map<String, TargetRelabeling>>>
      used = new IdentityHashMap<>();

  /** The stack's own jobs (annotation discovery, node-exporter, ...). */
  Map<String, TargetRelabeling> own(MonitoringStack stack) {
    return lookup(stack, stack, () -> JobRelabelings.forStack(stack));
  }

  /** The jobs of one monitor in the stack's configuration; empty when the stack leaves it out. */
  Map<String, TargetRelabeling> monitor(MonitoringStack stack, HasMetadata monitor) {
    return lookup(stack, monitor, () -> JobRelabelings.forMonitor(stack, monitor));
  }

  /** Forgets every pair not looked up since the last call. */
  void retainUsed() {
    cache = used;
    used = new IdentityHashMap<>();
  }

  private Map<String, TargetRelabeling> lookup(
      MonitoringStack stack,
      Object object,
      java.util.function.Supplier<Map<String, TargetRelabeling>> compute) {
    Map<String, TargetRelabeling> jobs =
        cache.getOrDefault(stack, new IdentityHashMap<>()).get(object);
    if (jobs == null) {
      try {
        jobs = Map.copyOf(compute.get());
      } catch (RuntimeException e) {
        // An object the schema never checked: its jobs are served as discovered.
        jobs = Map.of();
      }
    }
    used.computeIfAbsent(stack, s -> new IdentityHashMap<>()).put(object, jobs);
    return jobs;
  }
}
