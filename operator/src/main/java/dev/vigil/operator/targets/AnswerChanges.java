package dev.vigil.operator.targets;

import dev.vigil.operator.servicediscovery.JobTargets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells the service discovery server which answers may have changed, so it renders again only
 * those: every shard of a stack's job whose targets changed in the index, or whose binding did (a
 * new relabeling, shard count or job, or one that is gone). Thread-safe.
 */
final class AnswerChanges {
  private final List<JobTargets.ChangeListener> listeners = new CopyOnWriteArrayList<>();

  void add(JobTargets.ChangeListener listener) {
    listeners.add(listener);
  }

  /** The targets of these jobs of the index changed: tells of every stack job serving them. */
  void targetsChanged(JobPlan plan, Collection<String> indexedJobs) {
    if (listeners.isEmpty()) {
      return;
    }
    for (String job : indexedJobs) {
      for (JobPlan.Served s : plan.servedAs().getOrDefault(job, List.of())) {
        tell(s.namespace(), s.stack(), s.job(), s.shards());
      }
    }
  }

  /**
   * Tells of every job of every stack whose answers are now made differently in {@code after} than
   * in {@code before}, or that is gone.
   */
  void bindingsChanged(JobPlan before, JobPlan after) {
    if (listeners.isEmpty()) {
      return;
    }
    Set<String> stackKeys = new TreeSet<>(before.stacks().keySet());
    stackKeys.addAll(after.stacks().keySet());
    for (String stackKey : stackKeys) {
      JobPlan.StackJobs was = before.stacks().get(stackKey);
      JobPlan.StackJobs now = after.stacks().get(stackKey);
      Set<String> jobNames = new TreeSet<>();
      if (was != null) {
        jobNames.addAll(was.jobs().keySet());
      }
      if (now != null) {
        jobNames.addAll(now.jobs().keySet());
      }
      int shards = Math.max(was == null ? 0 : was.shards(), now == null ? 0 : now.shards());
      String namespace = stackKey.substring(0, stackKey.indexOf('/'));
      String name = stackKey.substring(stackKey.indexOf('/') + 1);
      for (String job : jobNames) {
        JobPlan.Binding a = was == null ? null : was.jobs().get(job);
        JobPlan.Binding b = now == null ? null : now.jobs().get(job);
        if (a == null || b == null || a.sharded() != b.sharded()) {
          tell(namespace, name, job, shards);
        }
      }
    }
  }

  /** Every answer of one stack may have changed: its placement moved targets. */
  void stackChanged(JobPlan plan, String stackKey) {
    JobPlan.StackJobs jobs = plan.stacks().get(stackKey);
    if (jobs == null || listeners.isEmpty()) {
      return;
    }
    String namespace = stackKey.substring(0, stackKey.indexOf('/'));
    String name = stackKey.substring(stackKey.indexOf('/') + 1);
    for (String job : jobs.jobs().keySet()) {
      tell(namespace, name, job, jobs.shards());
    }
  }

  private void tell(String namespace, String stack, String job, int shards) {
    listeners.forEach(l -> l.changed(namespace, stack, job, shards));
  }
}
