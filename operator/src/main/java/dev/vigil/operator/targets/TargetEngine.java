package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.operator.servicediscovery.JobTargets;
import dev.vigil.reconcilers.discovery.DiscoveryIndex;
import dev.vigil.reconcilers.injection.InstrumentedPods;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.selection.MonitorSelection;
import dev.vigil.reconcilers.sharding.ShardedJob;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One set of watches for the whole operator, whatever the number of stacks ({@link
 * ClusterWatches}): Namespaces, Services, EndpointSlices, Pods and Nodes feed a trimmed snapshot
 * and the incremental {@link DiscoveryIndex} ({@link TargetIndex}); MonitoringStacks,
 * ServiceMonitors, PodMonitors and AlertPolicies ({@link WatchedObjects}) decide which stack
 * selects what ({@link StackSelection}) and so which jobs exist and which stack serves which
 * ({@link JobPlan}). Serves each job's targets to HTTP service discovery, relabeled as the stack's
 * Prometheus will relabel them (the ones it would drop left out) and sharded ({@link ShardedJob}:
 * computed once per change of the job, each shard's answer renewed only when it changed), tells the
 * server which answers may have changed ({@link AnswerChanges}), and answers the reconcilers
 * ({@link MonitoringState}) with the counts Prometheus will show, telling them when those change
 * ({@link StatusNotifier}).
 *
 * <p>With prometheus-operator objects on, {@code monitoring.coreos.com/v1} ServiceMonitors,
 * PodMonitors and PrometheusRules (as AlertPolicies) join Vigil's own ({@link
 * PrometheusOperatorObjects}): selected, rendered and served alike. No listener is told of them: no
 * reconciler runs for them and Vigil writes nothing to them.
 */
public final class TargetEngine
    implements JobTargets, MonitoringState, InstrumentedPods, ClusterWatches.Sink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TargetEngine.class);

  private final ClusterWatches watches;

  private final TargetIndex index = new TargetIndex();
  private final WatchedObjects objects = new WatchedObjects();
  private final JobPrograms programs = new JobPrograms();
  private final AnswerChanges answerChanges = new AnswerChanges();
  private final StatusNotifier status = new StatusNotifier(this::object);
  private final Tenancy tenancy;
  private final PortProblemCache portProblems;
  private final InstrumentedPodCount instrumentedPods = new InstrumentedPodCount();

  /** The Instrumentations whose pod count a reconcile read, by key: told when it changes. */
  private final Map<String, Instrumentation> countedInstrumentations = new ConcurrentHashMap<>();

  /** The plan last made; replaced whole. */
  private volatile JobPlan plan = JobPlan.EMPTY;

  /**
   * Makes the plans, one at a time, on its own thread: a change of the objects that decide the plan
   * asks for one, and every change that arrives while one is asked for or being made is taken in by
   * the next. A plan selects and plans over every stack and monitor (30–50 ms at 2,000 monitors,
   * {@code MonitorEditBenchmark}); made once per event, a burst of 5,000 monitor edits kept the
   * engine minutes behind the API server.
   */
  private final ExecutorService planner =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "vigil-target-plan");
            thread.setDaemon(true);
            return thread;
          });

  /** Changes handed to the engine that decide the plan; guarded by the engine. */
  private long planChanges;

  /** The changes the plan in {@link #plan} has taken in; guarded by the engine. */
  private long plannedChanges;

  /** Whether a plan is asked for and not begun; guarded by the engine. */
  private boolean planAsked;

  /** Plans made. */
  private final AtomicLong plans = new AtomicLong();

  private final SeriesBalancing balancing;

  /** An engine for one team ({@link Tenancy#SINGLE_TEAM}), without prometheus-operator's kinds. */
  public TargetEngine(KubernetesClient client, Set<String> watchedNamespaces) {
    this(client, watchedNamespaces, false, Tenancy.SINGLE_TEAM);
  }

  /**
   * @param prometheusOperatorObjects whether {@code monitoring.coreos.com/v1} ServiceMonitors,
   *     PodMonitors and PrometheusRules are read too, where their CRDs are installed
   * @param tenancy how far stacks and monitors outside the platform namespaces reach
   */
  public TargetEngine(
      KubernetesClient client,
      Set<String> watchedNamespaces,
      boolean prometheusOperatorObjects,
      Tenancy tenancy) {
    this(client, watchedNamespaces, prometheusOperatorObjects, tenancy, ShardQueryUrls.IN_CLUSTER);
  }

  /**
   * @param shardQueryUrls where the shards' series are read, for stacks that balance series or
   *     autoscale ({@link SeriesBalancing})
   */
  public TargetEngine(
      KubernetesClient client,
      Set<String> watchedNamespaces,
      boolean prometheusOperatorObjects,
      Tenancy tenancy,
      ShardQueryUrls shardQueryUrls) {
    this.tenancy = tenancy;
    this.balancing = new SeriesBalancing(new BalancedStacks(), shardQueryUrls, Clock.systemUTC());
    this.portProblems = new PortProblemCache(index, tenancy);
    this.watches = new ClusterWatches(client, watchedNamespaces, prometheusOperatorObjects, this);
  }

  public void start() {
    watches.start();
    status.start();
    balancing.start();
  }

  /**
   * An object as its watch delivers it, added or updated, already trimmed: what the informers'
   * handlers do, for benchmarks and tests that drive the engine without an API server. Returns once
   * the engine has planned every change handed to it, this one included.
   */
  public void deliver(HasMetadata object) {
    if (object instanceof MonitoringStack
        || object instanceof ServiceMonitor
        || object instanceof PodMonitor
        || object instanceof AlertPolicy) {
      changed(object);
    } else {
      put(object);
    }
    awaitPlanned();
  }

  /** Waits until the plan has taken in every change handed to the engine so far. */
  public synchronized void awaitPlanned() {
    long asked = planChanges;
    while (plannedChanges < asked) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Waits until every watch has listed once and handed on what it listed, and the plan has taken it
   * in; false when it took longer than {@code timeout}.
   */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!hasSynced()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  @Override
  public boolean hasSynced() {
    if (!synced && watches.hasSynced()) {
      synced = planCaughtUp();
    }
    return synced;
  }

  /** Set once the watches had synced and the plan had caught up with what they handed on. */
  private volatile boolean synced;

  /** The changes handed on when the watches were first seen synced; guarded by the engine. */
  private long changesAtSync = -1;

  private synchronized boolean planCaughtUp() {
    if (changesAtSync < 0) {
      changesAtSync = planChanges;
    }
    return plannedChanges >= changesAtSync;
  }

  // ---------------------------------------------------------------- what the watches deliver

  /**
   * The annotations of a namespace that Vigil reads (opt-in to platform stacks, instrumentation),
   * from the watched Namespaces; empty when unknown.
   */
  public Map<String, String> namespaceAnnotations(String namespace) {
    return index
        .snapshot()
        .namespace(namespace)
        .map(n -> n.getMetadata().getAnnotations())
        .filter(java.util.Objects::nonNull)
        .map(Map::copyOf)
        .orElse(Map.of());
  }

  @Override
  public synchronized void put(HasMetadata trimmed) {
    instrumentedPods.put(trimmed);
    answerChanges.targetsChanged(plan, index.put(trimmed));
    if (trimmed instanceof Namespace) {
      askForPlan(); // namespace labels decide which monitors a stack selects
    }
  }

  @Override
  public synchronized void delete(HasMetadata object) {
    instrumentedPods.delete(object);
    answerChanges.targetsChanged(plan, index.delete(object));
    if (object instanceof Namespace) {
      askForPlan();
    }
  }

  @Override
  public synchronized void changed(HasMetadata object) {
    objects.put(object);
    askForPlan();
  }

  @Override
  public synchronized void gone(HasMetadata object) {
    status.forget(WatchedObjects.key(object));
    portProblems.forget(WatchedObjects.key(object));
    objects.remove(object);
    askForPlan();
  }

  @Override
  public synchronized void prometheusOperatorObjectChanged(
      PrometheusOperatorObjects.Kind kind, String key, Optional<HasMetadata> object) {
    objects.putPrometheusOperator(kind, key, object);
    askForPlan();
  }

  /** Counts a change that decides the plan and asks the planner for a plan, unless one is asked. */
  private void askForPlan() {
    planChanges++;
    if (!planAsked) {
      planAsked = true;
      try {
        planner.execute(this::makePlan);
      } catch (RejectedExecutionException closed) {
        // The engine is closing: nobody reads the plan any more, nobody is to wait for it.
        planAsked = false;
        plannedChanges = planChanges;
        notifyAll();
      }
    }
  }

  /** What the planner runs: one plan for every change counted until now. */
  private synchronized void makePlan() {
    planAsked = false;
    long taken = planChanges;
    plans.incrementAndGet();
    try {
      replan();
    } catch (RuntimeException e) {
      LOG.error("planning the stacks' jobs failed; the last plan stays until the next change", e);
    } finally {
      plannedChanges = taken;
      notifyAll();
    }
  }

  /**
   * Selects, plans and publishes the new plan; tells the server which answers it changed, and the
   * listeners of stacks whose selection changed and of monitors whose selecting stacks did.
   */
  private void replan() {
    JobPlan before = plan;
    JobPlan now =
        JobPlan.of(
            objects.stacks(),
            StackSelection.of(objects.stacks(), objects.selectable(), index.snapshot(), tenancy),
            before,
            programs,
            tenancy,
            balancing::placementOf);
    Collection<String> changedJobs = index.setJobs(now.jobs());
    plan = now;
    answerChanges.targetsChanged(now, changedJobs);
    answerChanges.bindingsChanged(before, now);
    List<HasMetadata> changed = new ArrayList<>();
    for (String stack : now.changedStacks(before)) {
      changed.add(objects.stacks().get(stack));
    }
    for (HasMetadata object : objects.ownSelectable()) {
      if (now.selectingChanged(before, WatchedObjects.key(object))) {
        changed.add(object);
      }
    }
    changed.forEach(status::tell);
  }

  // ---------------------------------------------------------------- JobTargets

  @Override
  public Optional<Versioned> targets(String namespace, String stack, int shard, String job) {
    JobPlan.StackJobs jobs = plan.stacks().get(namespace + "/" + stack);
    JobPlan.Binding binding = jobs == null || shard >= Shards.MAX ? null : jobs.jobs().get(job);
    if (binding == null) {
      return Optional.empty();
    }
    if (shard >= jobs.shards()) {
      // A shard out of service (retained after a scale-down, or on its way out) scrapes nothing:
      // an empty list, not a 404, on which Prometheus would keep scraping the targets it had.
      return Optional.of(OUT_OF_SERVICE);
    }
    ShardedJob.Answer answer = index.current(binding).answer(shard);
    return Optional.of(new Versioned(answer.version(), answer.groups()));
  }

  /** The answer to a shard at or above its stack's count; version -1 is never a shard answer's. */
  static final Versioned OUT_OF_SERVICE = new Versioned(-1, List.of());

  @Override
  public boolean placementKnown(String namespace, String stack) {
    return balancing.placementKnown(namespace + "/" + stack);
  }

  @Override
  public void onChange(JobTargets.ChangeListener listener) {
    answerChanges.add(listener);
  }

  // ---------------------------------------------------------------- MonitoringState

  @Override
  public synchronized List<MonitoringStack> stacks() {
    return List.copyOf(objects.stacks().values());
  }

  @Override
  public List<ServiceMonitor> serviceMonitors(MonitoringStack stack) {
    return selected(stack).map(s -> s.serviceMonitors()).orElse(List.of());
  }

  @Override
  public List<PodMonitor> podMonitors(MonitoringStack stack) {
    return selected(stack).map(s -> s.podMonitors()).orElse(List.of());
  }

  @Override
  public List<AlertPolicy> policies(MonitoringStack stack) {
    return selected(stack).map(s -> s.policies()).orElse(List.of());
  }

  private Optional<StackSelection.Selected> selected(MonitoringStack stack) {
    return Optional.ofNullable(plan.stacks().get(Cache.metaNamespaceKeyFunc(stack)))
        .map(JobPlan.StackJobs::selected);
  }

  @Override
  public boolean selectsPolicy(MonitoringStack stack, AlertPolicy policy) {
    return selects(stack, stack.getSpec().policySelector, policy);
  }

  @Override
  public boolean selects(MonitoringStack stack, HasMetadata monitor) {
    return selects(stack, stack.getSpec().monitorSelector, monitor);
  }

  @Override
  public synchronized boolean selects(
      MonitoringStack stack, ResourceSelector selector, HasMetadata object) {
    try {
      return MonitorSelection.of(selector, stack, tenancy).selects(object, index.snapshot());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public List<String> portProblems(HasMetadata monitor) {
    String key = WatchedObjects.key(monitor);
    return status.read(
        key,
        "ports",
        portProblems.of(key, monitor),
        () -> {
          HasMetadata now = object(key);
          return now == null ? List.of() : portProblems.of(key, now);
        });
  }

  @Override
  public StackTargets targets(MonitoringStack stack, Set<String> jobs) {
    String key = WatchedObjects.key(stack);
    String stackKey = Cache.metaNamespaceKeyFunc(stack);
    Set<String> names = Set.copyOf(jobs);
    return status.read(
        key,
        "targets",
        plan.stackTargets(stackKey, names, index),
        () -> plan.stackTargets(stackKey, names, index));
  }

  @Override
  public MonitorTargets targets(HasMetadata monitor) {
    String key = WatchedObjects.key(monitor);
    return status.read(
        key, "targets", plan.monitorTargets(key, index), () -> plan.monitorTargets(key, index));
  }

  @Override
  public Optional<ShardSeries> series(MonitoringStack stack) {
    return balancing.series(stack);
  }

  /** What {@link SeriesBalancing} reads from the engine and tells it. */
  private final class BalancedStacks implements SeriesBalancing.Engine {
    @Override
    public List<MonitoringStack> stacks() {
      return TargetEngine.this.stacks();
    }

    @Override
    public void forEachTarget(String stackKey, ShardedJob.TargetVisitor visitor) {
      JobPlan.StackJobs jobs = plan.stacks().get(stackKey);
      if (jobs != null) {
        jobs.jobs().values().forEach(binding -> index.current(binding).forEachTarget(visitor));
      }
    }

    @Override
    public void placementChanged(String stackKey) {
      answerChanges.stackChanged(plan, stackKey);
      MonitoringStack stack = stack(stackKey);
      if (stack != null) {
        status.tell(stack);
      }
    }

    @Override
    public void seriesRead(MonitoringStack stack) {
      status.tell(stack);
    }
  }

  private synchronized MonitoringStack stack(String stackKey) {
    return objects.stacks().get(stackKey);
  }

  /** Jobs discovery keeps targets for, over all stacks: a gauge of the operator's health. */
  public int jobCount() {
    return index.jobCount();
  }

  /** Targets discovered over all jobs, before sharding: a gauge of the operator's health. */
  public int targetCount() {
    return index.targetCount();
  }

  /**
   * Changes of stacks, monitors, policies and namespaces handed to the engine so far: each decides
   * what stacks select and which jobs they serve.
   */
  public synchronized long planChanges() {
    return planChanges;
  }

  /** Plans made so far: one for each change, or one for all that came while the last was made. */
  public long plans() {
    return plans.get();
  }

  @Override
  public void onChange(Consumer<HasMetadata> listener) {
    status.add(listener);
  }

  /**
   * Tells the listeners that every stack must be reconciled again: something all their objects are
   * made from changed (service discovery's CA).
   */
  public void tellEveryStack() {
    for (MonitoringStack stack : stacks()) {
      status.tell(stack);
    }
  }

  // ---------------------------------------------------------------- InstrumentedPods

  @Override
  public int count(Instrumentation instrumentation) {
    String name = Cache.metaNamespaceKeyFunc(instrumentation);
    String key = "Instrumentation/" + name;
    Instrumentation stub = new Instrumentation();
    stub.setMetadata(
        new ObjectMetaBuilder()
            .withName(instrumentation.getMetadata().getName())
            .withNamespace(instrumentation.getMetadata().getNamespace())
            .build());
    countedInstrumentations.put(key, stub);
    return status.read(key, "pods", podCount(name), () -> podCount(name));
  }

  private synchronized int podCount(String instrumentation) {
    return instrumentedPods.count(instrumentation);
  }

  private synchronized HasMetadata object(String key) {
    HasMetadata object = objects.get(key);
    return object != null ? object : countedInstrumentations.get(key);
  }

  @Override
  public void close() {
    planner.shutdownNow();
    balancing.close();
    status.close();
    watches.close();
  }
}
