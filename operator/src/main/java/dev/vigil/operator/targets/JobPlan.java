package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.selection.MonitorJobs;
import dev.vigil.reconcilers.sharding.Placement;
import dev.vigil.reconcilers.sharding.ShardedJob;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which jobs discovery keeps and which stack serves which, sharded how: made from the stacks'
 * selections ({@link #of}) whenever an object that decides them changes, and published whole, so a
 * reader sees one plan and never half of two. A stack's job is bound to a {@link ShardedJob} shared
 * by every stack whose job has the same indexed name, relabeling and shard count, and kept from the
 * previous plan when those did not change, so its answers are not computed again.
 *
 * @param jobs the jobs of the index, a monitor's shared by every stack selecting it
 * @param stacks what each stack scrapes, by stack key "namespace/name"
 * @param monitorJobs the indexed jobs of each monitor, by {@link WatchedObjects#key}
 * @param selectingStacks the stacks selecting each monitor and policy, by {@link
 *     WatchedObjects#key}
 * @param servedAs who serves each job of the index, by its indexed name
 * @param shardedJobs every sharded job, by what makes two stacks' jobs the same
 */
record JobPlan(
    Collection<DiscoveryJob> jobs,
    Map<String, StackJobs> stacks,
    Map<String, Set<String>> monitorJobs,
    Map<String, Set<String>> selectingStacks,
    Map<String, List<Served>> servedAs,
    Map<ShardedJobKey, ShardedJob> shardedJobs) {
  private static final Logger LOG = LoggerFactory.getLogger(JobPlan.class);

  static final JobPlan EMPTY =
      new JobPlan(List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /**
   * What one stack scrapes: its shard count, its jobs (by name in its configuration, in order),
   * what it selects, and a fingerprint of the selection that changes whenever the stack's
   * configuration must.
   */
  record StackJobs(
      int shards,
      Map<String, Binding> jobs,
      StackSelection.Selected selected,
      List<String> fingerprint) {}

  /**
   * One job of a stack: its name in the index (a monitor's job is shared by every stack selecting
   * the monitor, a stack's own job is keyed by the stack) and what the stack's shards are served.
   */
  record Binding(String indexed, ShardedJob sharded) {}

  /**
   * What makes two stacks' jobs the same for their shards; a stack balancing series has a placement
   * of its own, so its jobs are its own.
   */
  record ShardedJobKey(
      String job, String indexed, TargetRelabeling relabeling, int shards, Placement placement) {}

  /** A job of the index as one stack serves it. */
  record Served(String namespace, String stack, String job, int shards) {}

  /**
   * The plan for these stacks and what they select; one bad object never stops the others.
   *
   * @param previous the plan before, whose sharded jobs are kept where unchanged
   * @param programs the relabeling of each stack's jobs
   * @param tenancy how far a tenant's monitors and stacks look
   * @param placements where each stack's targets go
   */
  static JobPlan of(
      Map<String, MonitoringStack> stacks,
      Map<String, StackSelection.Selected> selections,
      JobPlan previous,
      JobPrograms programs,
      Tenancy tenancy,
      Function<MonitoringStack, Placement> placements) {
    Map<String, DiscoveryJob> jobs = new LinkedHashMap<>();
    Map<ShardedJobKey, ShardedJob> sharded = new HashMap<>();
    Map<String, List<Served>> served = new HashMap<>();
    Map<String, Set<String>> jobsOfMonitor = new HashMap<>();
    Map<String, StackJobs> byStack = new HashMap<>();
    for (Map.Entry<String, StackSelection.Selected> entry : selections.entrySet()) {
      MonitoringStack stack = stacks.get(entry.getKey());
      StackSelection.Selected selected = entry.getValue();
      Map<String, String> stackJobNames = new TreeMap<>();
      for (var monitor : selected.serviceMonitors()) {
        addJobs(
            jobs, stackJobNames, jobsOfMonitor, monitor, () -> MonitorJobs.of(monitor, tenancy));
      }
      for (var monitor : selected.podMonitors()) {
        addJobs(
            jobs, stackJobNames, jobsOfMonitor, monitor, () -> MonitorJobs.of(monitor, tenancy));
      }
      for (DiscoveryJob own : StackDiscoveryJobs.of(stack, tenancy)) {
        DiscoveryJob keyed = own.withName(entry.getKey() + " " + own.name());
        jobs.put(keyed.name(), keyed);
        stackJobNames.put(own.name(), keyed.name());
      }
      int shards = Shards.of(stack);
      Placement placement = placements.apply(stack);
      Map<String, TargetRelabeling> relabelings = new HashMap<>(programs.own(stack));
      for (HasMetadata monitor : selected.monitors()) {
        relabelings.putAll(programs.monitor(stack, monitor));
      }
      Map<String, Binding> bindings = new TreeMap<>();
      for (Map.Entry<String, String> job : stackJobNames.entrySet()) {
        ShardedJobKey key =
            new ShardedJobKey(
                job.getKey(), job.getValue(), relabelings.get(job.getKey()), shards, placement);
        ShardedJob reused = previous.shardedJobs().get(key);
        ShardedJob shardedJob =
            sharded.computeIfAbsent(
                key,
                k ->
                    reused != null
                        ? reused
                        : new ShardedJob(k.job(), k.relabeling(), shards, k.placement()));
        bindings.put(job.getKey(), new Binding(job.getValue(), shardedJob));
        served
            .computeIfAbsent(job.getValue(), k -> new ArrayList<>())
            .add(
                new Served(
                    stack.getMetadata().getNamespace(),
                    stack.getMetadata().getName(),
                    job.getKey(),
                    shards));
      }
      List<String> fingerprint = new ArrayList<>();
      for (HasMetadata object : selected.all()) {
        fingerprint.add(WatchedObjects.key(object) + "@" + object.getMetadata().getGeneration());
      }
      byStack.put(
          entry.getKey(),
          new StackJobs(
              shards, Collections.unmodifiableMap(bindings), selected, List.copyOf(fingerprint)));
    }
    programs.retainUsed();
    return new JobPlan(
        List.copyOf(jobs.values()),
        Map.copyOf(byStack),
        Map.copyOf(jobsOfMonitor),
        Map.copyOf(StackSelection.selectingStacks(selections)),
        Map.copyOf(served),
        sharded);
  }

  /** The stacks whose selection differs from what it was in {@code before}: keys in order. */
  List<String> changedStacks(JobPlan before) {
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, StackJobs> stack : new TreeMap<>(stacks).entrySet()) {
      StackJobs was = before.stacks().get(stack.getKey());
      if (was == null || !was.fingerprint().equals(stack.getValue().fingerprint())) {
        changed.add(stack.getKey());
      }
    }
    return changed;
  }

  /** Whether the stacks selecting the object with this key differ from those in {@code before}. */
  boolean selectingChanged(JobPlan before, String key) {
    return !selectingStacks
        .getOrDefault(key, Set.of())
        .equals(before.selectingStacks().getOrDefault(key, Set.of()));
  }

  /**
   * What a stack's jobs with these names scrape, per shard, as the index has their targets now; and
   * why some could not be relabeled.
   */
  MonitoringState.StackTargets stackTargets(String stackKey, Set<String> names, TargetIndex index) {
    StackJobs jobs = stacks.get(stackKey);
    if (jobs == null) {
      return new MonitoringState.StackTargets(new int[0], List.of());
    }
    int[] perShard = new int[jobs.shards()];
    List<String> unevaluated = new ArrayList<>();
    for (Map.Entry<String, Binding> job : jobs.jobs().entrySet()) {
      if (!names.contains(job.getKey())) {
        continue;
      }
      ShardedJob sharded = index.current(job.getValue());
      int[] scraped = sharded.scrapedPerShard();
      for (int i = 0; i < perShard.length; i++) {
        perShard[i] += scraped[i];
      }
      sharded.unevaluated().ifPresent(why -> unevaluated.add(job.getKey() + ": " + why));
    }
    return new MonitoringState.StackTargets(perShard, unevaluated);
  }

  /**
   * A monitor's jobs as the stacks that select it serve them: discovered as the index has them,
   * scraped as the stack that keeps the most keeps them.
   */
  MonitoringState.MonitorTargets monitorTargets(String monitorKey, TargetIndex index) {
    int scraped = 0;
    int discovered = 0;
    Set<String> unevaluated = new TreeSet<>();
    Set<String> stacksOfMonitor = selectingStacks.getOrDefault(monitorKey, Set.of());
    for (String job : monitorJobs.getOrDefault(monitorKey, Set.of())) {
      int jobScraped = 0;
      int jobDiscovered = 0;
      for (String stackKey : stacksOfMonitor) {
        StackJobs jobs = stacks.get(stackKey);
        Binding binding = jobs == null ? null : jobs.jobs().get(job);
        if (binding != null) {
          ShardedJob sharded = index.current(binding);
          jobScraped = Math.max(jobScraped, sharded.scraped());
          jobDiscovered = sharded.discovered();
          sharded.unevaluated().ifPresent(why -> unevaluated.add(job + ": " + why));
        }
      }
      scraped += jobScraped;
      discovered += jobDiscovered;
    }
    return new MonitoringState.MonitorTargets(scraped, discovered, List.copyOf(unevaluated));
  }

  private static void addJobs(
      Map<String, DiscoveryJob> jobs,
      Map<String, String> stackJobNames,
      Map<String, Set<String>> jobsOfMonitor,
      HasMetadata monitor,
      Supplier<List<DiscoveryJob>> build) {
    try {
      for (DiscoveryJob job : build.get()) {
        jobs.putIfAbsent(job.name(), job);
        stackJobNames.put(job.name(), job.name());
        jobsOfMonitor
            .computeIfAbsent(WatchedObjects.key(monitor), k -> new TreeSet<>())
            .add(job.name());
      }
    } catch (RuntimeException e) {
      // prometheus-operator's objects are not checked by Vigil's schema: anything may be off.
      LOG.debug("{} is left out: {}", WatchedObjects.key(monitor), e.getMessage());
    }
  }
}
