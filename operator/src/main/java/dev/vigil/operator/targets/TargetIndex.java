package dev.vigil.operator.targets;

import dev.vigil.reconcilers.discovery.ClusterSnapshot;
import dev.vigil.reconcilers.discovery.DiscoveryIndex;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.discovery.ObjectRef;
import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.sharding.ShardedJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;

/**
 * The trimmed snapshot of what discovery reads and the incremental {@link DiscoveryIndex} over it,
 * behind one lock of their own: a service discovery request brings a job's sharded answers up to
 * date without waiting for the engine's lock, which selection holds while it recomputes. Counts the
 * snapshot's changes, so what is computed from it can tell when to compute again.
 */
final class TargetIndex {
  private final InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
  private final DiscoveryIndex index = new DiscoveryIndex(snapshot);
  private long changes;

  /** What discovery reads, for selection (namespace labels) and port checks. */
  ClusterSnapshot snapshot() {
    return snapshot;
  }

  /** An object added or changed, already trimmed; the index's jobs whose targets it changed. */
  synchronized SortedSet<String> put(HasMetadata trimmed) {
    ObjectRef ref = ObjectRef.of(trimmed);
    snapshot.put(trimmed);
    return changed(ref);
  }

  /** An object that is gone; the index's jobs whose targets it changed. */
  synchronized SortedSet<String> delete(HasMetadata object) {
    ObjectRef ref = ObjectRef.of(object);
    snapshot.delete(object);
    return changed(ref);
  }

  private SortedSet<String> changed(ObjectRef ref) {
    changes++;
    return index.objectChanged(ref);
  }

  /** How many times the snapshot changed: what is computed from it is stale when this moved. */
  synchronized long changes() {
    return changes;
  }

  /** The jobs discovery keeps; the ones whose targets changed (added, removed or redefined). */
  synchronized SortedSet<String> setJobs(Collection<DiscoveryJob> jobs) {
    return index.setJobs(jobs);
  }

  /** The job's sharded answers, brought up to the index's current targets of its job. */
  ShardedJob current(JobPlan.Binding binding) {
    long version;
    List<TargetGroup> groups = null;
    synchronized (this) {
      version = index.version(binding.indexed());
      if (!binding.sharded().isCurrent(version)) {
        groups = index.groups(binding.indexed());
      }
    }
    if (groups != null) {
      binding.sharded().update(version, groups);
    }
    return binding.sharded();
  }

  /** Jobs discovery keeps targets for, over all stacks. */
  synchronized int jobCount() {
    return index.jobNames().size();
  }

  /** Targets discovered over all jobs, before sharding. */
  synchronized int targetCount() {
    int targets = 0;
    for (String job : index.jobNames()) {
      for (TargetGroup group : index.groups(job)) {
        targets += group.targets().size();
      }
    }
    return targets;
  }
}
