package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.operator.Informers;
import dev.vigil.operator.servicediscovery.JobTargets;
import dev.vigil.reconcilers.discovery.DiscoveryIndex;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.discovery.ObjectRef;
import dev.vigil.reconcilers.discovery.PortCheck;
import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.discovery.TrimmedObjects;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import dev.vigil.reconcilers.selection.MonitorSelection;
import dev.vigil.reconcilers.sharding.ShardedJob;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One set of watches for the whole operator, whatever the number of stacks: Namespaces, Services,
 * EndpointSlices, Pods and Nodes feed a trimmed snapshot and the incremental {@link
 * DiscoveryIndex}; MonitoringStacks, ServiceMonitors and PodMonitors decide which jobs exist and
 * which stack scrapes which, and AlertPolicies which stack loads which rules. Serves each job's
 * targets to HTTP service discovery, relabeled as the stack's Prometheus will relabel them (the
 * ones it would drop left out) and sharded ({@link ShardedJob}: computed once per change of the
 * job, each shard's answer renewed only when it changed), tells the server which answers may have
 * changed, and answers the reconcilers ({@link MonitoringState}) with the counts Prometheus will
 * show.
 *
 * <p>With prometheus-operator objects on, {@code monitoring.coreos.com/v1} ServiceMonitors,
 * PodMonitors and PrometheusRules (as AlertPolicies) join Vigil's own (see {@link
 * PrometheusOperatorObjects}): selected, rendered and served alike. Where one shares kind,
 * namespace and name with a Vigil monitor, their job names would be the same: Vigil's own wins and
 * the other is left out (logged once). No listener is told of them: no reconciler runs for them and
 * Vigil writes nothing to them.
 */
public final class TargetEngine implements JobTargets, MonitoringState, AutoCloseable {
  /**
   * How often target counts are compared with what reconcilers last saw. Counts feed only status,
   * so a few seconds of lag is fine, and bursts of pod changes cause one status write, not many.
   */
  private static final Duration COUNT_PERIOD = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(TargetEngine.class);

  private final KubernetesClient client;
  private final Set<String> watchedNamespaces;
  private final InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
  private final DiscoveryIndex index = new DiscoveryIndex(snapshot);
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  private final Map<String, MonitoringStack> stacks = new TreeMap<>();
  private final Map<String, ServiceMonitor> serviceMonitors = new TreeMap<>();
  private final Map<String, PodMonitor> podMonitors = new TreeMap<>();
  private final Map<String, AlertPolicy> policies = new TreeMap<>();

  /** prometheus-operator's, converted; null when not read. */
  private final PrometheusOperatorObjects prometheusOperatorObjects;

  private final Map<String, ServiceMonitor> coreosServiceMonitors = new TreeMap<>();
  private final Map<String, PodMonitor> coreosPodMonitors = new TreeMap<>();
  private final Map<String, AlertPolicy> coreosPolicies = new TreeMap<>();

  /** prometheus-operator monitors left out for a Vigil monitor of the same name, as logged. */
  private Set<String> loggedCollisions = Set.of();

  /** What each stack scrapes, by stack key "namespace/name". */
  private volatile Map<String, StackJobs> stackJobs = Map.of();

  /** The jobs of each monitor, by monitor key "Kind/namespace/name". */
  private volatile Map<String, Set<String>> monitorJobs = Map.of();

  /** The stacks selecting each monitor, as last told to the listeners. */
  private volatile Map<String, Set<String>> selectingStacks = Map.of();

  /** Each job as each stack's shards see it, shared by stacks whose job is the same. */
  private Map<ShardedJobKey, ShardedJob> shardedJobs = Map.of();

  /** The relabeling of each stack's jobs. */
  private final JobPrograms programs = new JobPrograms();

  /** Who serves each job of the index: (stack, job name) pairs, by the job's name in the index. */
  private volatile Map<String, List<Served>> servedAs = Map.of();

  /** What the reconciles read, to tell them when it changes. */
  private final CountWatch counts = new CountWatch();

  /** Changes of the objects discovery reads; port problems are computed again only after one. */
  private final AtomicLong snapshotChanges = new AtomicLong();

  private final Map<String, PortProblems> portProblems =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final List<Consumer<HasMetadata>> listeners = new CopyOnWriteArrayList<>();
  private final List<JobTargets.ChangeListener> answerListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService counter =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "vigil-target-counts");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * What one stack scrapes: its shard count, its jobs (by name in its configuration), the monitors
   * it selects (by namespace and name), and a fingerprint of the selection that changes whenever
   * the stack's configuration must.
   */
  record StackJobs(
      int shards,
      Map<String, Binding> jobs,
      List<ServiceMonitor> serviceMonitors,
      List<PodMonitor> podMonitors,
      List<AlertPolicy> policies,
      List<String> fingerprint) {}

  /**
   * One job of a stack: its name in the index (a monitor's job is shared by every stack selecting
   * the monitor, a stack's own job is keyed by the stack) and what the stack's shards are served.
   */
  record Binding(String indexed, ShardedJob sharded) {}

  /** What makes two stacks' jobs the same for their shards. */
  private record ShardedJobKey(
      String job, String indexed, TargetRelabeling relabeling, int shards) {}

  /** A job of the index as one stack serves it. */
  private record Served(String namespace, String stack, String job, int shards) {}

  /** A monitor's port problems as computed for one version of the monitor and of the snapshot. */
  private record PortProblems(HasMetadata monitor, long snapshot, List<String> problems) {}

  public TargetEngine(KubernetesClient client, Set<String> watchedNamespaces) {
    this(client, watchedNamespaces, false);
  }

  /**
   * @param prometheusOperatorObjects whether {@code monitoring.coreos.com/v1} ServiceMonitors and
   *     PodMonitors are read too, where their CRDs are installed
   */
  public TargetEngine(
      KubernetesClient client, Set<String> watchedNamespaces, boolean prometheusOperatorObjects) {
    this.client = client;
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
    this.prometheusOperatorObjects =
        prometheusOperatorObjects
            ? new PrometheusOperatorObjects(
                client, this.watchedNamespaces, this::prometheusOperatorObjectChanged)
            : null;
  }

  public void start() {
    // Namespaces are read cluster-wide: their labels decide which monitors a stack selects.
    watchTrimmed(
        List.of(client.namespaces()),
        TrimmedObjects::namespace,
        n -> ObjectRef.namespace(n.getMetadata().getName()),
        true);
    watchTrimmed(
        List.of(client.nodes()),
        TrimmedObjects::node,
        n -> ObjectRef.node(n.getMetadata().getName()),
        false);
    watchTrimmed(
        Informers.scopes(client.services(), watchedNamespaces),
        TrimmedObjects::service,
        s -> ObjectRef.service(s.getMetadata().getNamespace(), s.getMetadata().getName()),
        false);
    watchTrimmed(
        Informers.scopes(client.discovery().v1().endpointSlices(), watchedNamespaces),
        TrimmedObjects::endpointSlice,
        s -> ObjectRef.endpointSlice(s.getMetadata().getNamespace(), s.getMetadata().getName()),
        false);
    watchTrimmed(
        Informers.scopes(client.pods(), watchedNamespaces),
        TrimmedObjects::pod,
        p -> ObjectRef.pod(p.getMetadata().getNamespace(), p.getMetadata().getName()),
        false);
    watch(client.resources(MonitoringStack.class), this::stackChanged);
    watch(client.resources(ServiceMonitor.class), this::serviceMonitorChanged);
    watch(client.resources(PodMonitor.class), this::podMonitorChanged);
    watch(client.resources(AlertPolicy.class), this::policyChanged);
    if (prometheusOperatorObjects != null) {
      prometheusOperatorObjects.start();
    }
    counter.scheduleWithFixedDelay(
        this::tellChangedCounts,
        COUNT_PERIOD.toMillis(),
        COUNT_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * An object as its watch delivers it, added or updated, already trimmed: what the informers'
   * handlers do, for benchmarks and tests that drive the engine without an API server.
   */
  public void deliver(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    if (object instanceof MonitoringStack stack) {
      stackChanged(stack);
    } else if (object instanceof ServiceMonitor monitor) {
      serviceMonitorChanged(monitor);
    } else if (object instanceof PodMonitor monitor) {
      podMonitorChanged(monitor);
    } else if (object instanceof AlertPolicy policy) {
      policyChanged(policy);
    } else if (object instanceof io.fabric8.kubernetes.api.model.Namespace) {
      apply(() -> snapshot.put(object), ObjectRef.namespace(name), true);
    } else if (object instanceof io.fabric8.kubernetes.api.model.Node) {
      apply(() -> snapshot.put(object), ObjectRef.node(name), false);
    } else if (object instanceof io.fabric8.kubernetes.api.model.Service) {
      apply(() -> snapshot.put(object), ObjectRef.service(namespace, name), false);
    } else if (object instanceof io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice) {
      apply(() -> snapshot.put(object), ObjectRef.endpointSlice(namespace, name), false);
    } else if (object instanceof io.fabric8.kubernetes.api.model.Pod) {
      apply(() -> snapshot.put(object), ObjectRef.pod(namespace, name), false);
    } else {
      throw new IllegalArgumentException("the engine does not watch " + object.getKind());
    }
  }

  /** Waits until every watch has listed once; false when it took longer than {@code timeout}. */
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
    return informers.stream().allMatch(SharedIndexInformer::hasSynced)
        && (prometheusOperatorObjects == null || prometheusOperatorObjects.hasSynced());
  }

  // ---------------------------------------------------------------- JobTargets

  @Override
  public Optional<Versioned> targets(String namespace, String stack, int shard, String job) {
    StackJobs jobs = stackJobs.get(namespace + "/" + stack);
    Binding binding = jobs == null || shard >= jobs.shards() ? null : jobs.jobs().get(job);
    if (binding == null) {
      return Optional.empty();
    }
    ShardedJob.Answer answer = current(binding).answer(shard);
    return Optional.of(new Versioned(answer.version(), answer.groups()));
  }

  @Override
  public void onChange(JobTargets.ChangeListener listener) {
    answerListeners.add(listener);
  }

  /** The job's sharded answers, brought up to the index's current targets. */
  private ShardedJob current(Binding binding) {
    long version;
    List<TargetGroup> groups = null;
    synchronized (index) {
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

  /** Tells the server which answers may have changed: those of these jobs of the index. */
  private void tellAnswers(Collection<String> indexedJobs) {
    if (answerListeners.isEmpty()) {
      return;
    }
    Map<String, List<Served>> served = servedAs;
    for (String job : indexedJobs) {
      for (Served s : served.getOrDefault(job, List.of())) {
        answerListeners.forEach(l -> l.changed(s.namespace(), s.stack(), s.job(), s.shards()));
      }
    }
  }

  // ---------------------------------------------------------------- MonitoringState

  @Override
  public synchronized List<MonitoringStack> stacks() {
    return List.copyOf(stacks.values());
  }

  @Override
  public List<ServiceMonitor> serviceMonitors(MonitoringStack stack) {
    StackJobs jobs = stackJobs.get(Cache.metaNamespaceKeyFunc(stack));
    return jobs == null ? List.of() : jobs.serviceMonitors();
  }

  @Override
  public List<AlertPolicy> policies(MonitoringStack stack) {
    StackJobs jobs = stackJobs.get(Cache.metaNamespaceKeyFunc(stack));
    return jobs == null ? List.of() : jobs.policies();
  }

  @Override
  public synchronized boolean selectsPolicy(MonitoringStack stack, AlertPolicy policy) {
    try {
      return MonitorSelection.of(stack.getSpec().policySelector, stack).selects(policy, snapshot);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public List<PodMonitor> podMonitors(MonitoringStack stack) {
    StackJobs jobs = stackJobs.get(Cache.metaNamespaceKeyFunc(stack));
    return jobs == null ? List.of() : jobs.podMonitors();
  }

  @Override
  public List<String> portProblems(HasMetadata monitor) {
    String key = monitorKey(monitor);
    return counts.read(key, "ports", portProblemsNow(key, monitor), () -> portProblemsOf(key));
  }

  /** The port problems of the monitor stored under {@code key}, for the count watch. */
  private List<String> portProblemsOf(String key) {
    HasMetadata monitor = objectOf(key);
    return monitor == null ? List.of() : portProblemsNow(key, monitor);
  }

  /**
   * Endpoints whose port names no port of what they select; computed again only after the objects
   * discovery reads or the monitor changed, as it reads every selected Service or Pod.
   */
  private List<String> portProblemsNow(String key, HasMetadata monitor) {
    long snapshotVersion = snapshotChanges.get();
    PortProblems cached = portProblems.get(key);
    if (cached != null && cached.monitor() == monitor && cached.snapshot() == snapshotVersion) {
      return cached.problems();
    }
    List<String> problems = computePortProblems(monitor);
    portProblems.put(key, new PortProblems(monitor, snapshotVersion, problems));
    return problems;
  }

  private synchronized List<String> computePortProblems(HasMetadata monitor) {
    List<DiscoveryJob> jobs;
    String field;
    try {
      if (monitor instanceof ServiceMonitor serviceMonitor) {
        jobs = DiscoveryJob.forServiceMonitor(serviceMonitor);
        field = "spec.endpoints[";
      } else if (monitor instanceof PodMonitor podMonitor) {
        jobs = DiscoveryJob.forPodMonitor(podMonitor);
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

  @Override
  public synchronized boolean selects(
      MonitoringStack stack, ResourceSelector selector, HasMetadata object) {
    try {
      return MonitorSelection.of(selector, stack).selects(object, snapshot);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public synchronized boolean selects(MonitoringStack stack, HasMetadata monitor) {
    try {
      return MonitorSelection.of(stack.getSpec().monitorSelector, stack).selects(monitor, snapshot);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public StackTargets targets(MonitoringStack stack, Set<String> jobs) {
    String key = monitorKey(stack);
    Set<String> names = Set.copyOf(jobs);
    return counts.read(key, "targets", stackTargets(key, names), () -> stackTargets(key, names));
  }

  private StackTargets stackTargets(String stackKey, Set<String> names) {
    StackJobs jobs = stackJobs.get(stackKey.substring(stackKey.indexOf('/') + 1));
    if (jobs == null) {
      return new StackTargets(new int[0], List.of());
    }
    int[] perShard = new int[jobs.shards()];
    List<String> unevaluated = new ArrayList<>();
    for (Map.Entry<String, Binding> job : jobs.jobs().entrySet()) {
      if (!names.contains(job.getKey())) {
        continue;
      }
      ShardedJob sharded = current(job.getValue());
      int[] scraped = sharded.scrapedPerShard();
      for (int i = 0; i < perShard.length; i++) {
        perShard[i] += scraped[i];
      }
      sharded.unevaluated().ifPresent(why -> unevaluated.add(job.getKey() + ": " + why));
    }
    return new StackTargets(perShard, unevaluated);
  }

  @Override
  public MonitorTargets targets(HasMetadata monitor) {
    String key = monitorKey(monitor);
    return counts.read(key, "targets", monitorTargets(key), () -> monitorTargets(key));
  }

  /**
   * A monitor's jobs as the stacks that select it serve them: discovered as the index has them,
   * scraped as the stack that keeps the most keeps them.
   */
  private MonitorTargets monitorTargets(String monitorKey) {
    int scraped = 0;
    int discovered = 0;
    Set<String> unevaluated = new TreeSet<>();
    Set<String> stacksOfMonitor = selectingStacks.getOrDefault(monitorKey, Set.of());
    for (String job : monitorJobs.getOrDefault(monitorKey, Set.of())) {
      int jobScraped = 0;
      int jobDiscovered = 0;
      for (String stackKey : stacksOfMonitor) {
        StackJobs jobs = stackJobs.get(stackKey);
        Binding binding = jobs == null ? null : jobs.jobs().get(job);
        if (binding != null) {
          ShardedJob sharded = current(binding);
          jobScraped = Math.max(jobScraped, sharded.scraped());
          jobDiscovered = sharded.discovered();
          sharded.unevaluated().ifPresent(why -> unevaluated.add(job + ": " + why));
        }
      }
      scraped += jobScraped;
      discovered += jobDiscovered;
    }
    return new MonitorTargets(scraped, discovered, List.copyOf(unevaluated));
  }

  /** Jobs discovery keeps targets for, over all stacks: a gauge of the operator's health. */
  public int jobCount() {
    synchronized (index) {
      return index.jobNames().size();
    }
  }

  /** Targets discovered over all jobs, before sharding: a gauge of the operator's health. */
  public int targetCount() {
    int targets = 0;
    synchronized (index) {
      for (String job : index.jobNames()) {
        for (TargetGroup group : index.groups(job)) {
          targets += group.targets().size();
        }
      }
    }
    return targets;
  }

  @Override
  public void onChange(Consumer<HasMetadata> listener) {
    listeners.add(listener);
  }

  private void tell(HasMetadata changed) {
    if (PrometheusOperatorObjects.isFrom(changed)) {
      return; // not ours: no reconciler, no status
    }
    for (Consumer<HasMetadata> listener : listeners) {
      try {
        listener.accept(changed);
      } catch (RuntimeException e) {
        LOG.warn("a listener failed on {}", Cache.metaNamespaceKeyFunc(changed), e);
      }
    }
  }

  /**
   * Tells the reconcilers of every stack and monitor whose answers changed since they read them.
   */
  private void tellChangedCounts() {
    try {
      counts.check(
          key -> {
            HasMetadata object = objectOf(key);
            if (object != null) {
              tell(object);
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("comparing target counts failed", e);
    }
  }

  /** The stack or monitor stored under a {@link #monitorKey}, or null. */
  private synchronized HasMetadata objectOf(String key) {
    String kind = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return switch (kind) {
      case "MonitoringStack" -> stacks.get(name);
      case "ServiceMonitor" -> serviceMonitors.get(name);
      case "PodMonitor" -> podMonitors.get(name);
      default -> null;
    };
  }

  private static String monitorKey(HasMetadata object) {
    String key = object.getKind() + "/" + Cache.metaNamespaceKeyFunc(object);
    // Kept apart from Vigil's: a stack's fingerprint changes when one replaces the other.
    return PrometheusOperatorObjects.isFrom(object)
        ? PrometheusOperatorObjects.GROUP + "/" + key
        : key;
  }

  // ---------------------------------------------------------------- watches

  /** Objects discovery reads: trimmed in the informers' caches and in the snapshot. */
  private <T extends HasMetadata> void watchTrimmed(
      List<? extends Informable<T>> informables,
      UnaryOperator<T> trim,
      Function<T, ObjectRef> ref,
      boolean affectsSelection) {
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            apply(() -> snapshot.put(trim.apply(obj)), ref.apply(obj), affectsSelection);
          }

          @Override
          public void onUpdate(T old, T obj) {
            apply(() -> snapshot.put(trim.apply(obj)), ref.apply(obj), affectsSelection);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            apply(() -> snapshot.delete(obj), ref.apply(obj), affectsSelection);
          }
        };
    for (Informable<T> informable : informables) {
      informers.add(Informers.trimmed(informable, trim, handler));
    }
  }

  /**
   * Whether an update changed neither spec (generation) nor labels: the operator's own status
   * writes. Selection and jobs depend on neither, and recomputing them for every status write costs
   * stacks × monitors each time, which stalled discovery when a thousand objects arrived.
   */
  static boolean statusOnly(HasMetadata old, HasMetadata now) {
    Long generation = now.getMetadata().getGeneration();
    return generation != null
        && generation.equals(old.getMetadata().getGeneration())
        && Objects.equals(old.getMetadata().getLabels(), now.getMetadata().getLabels());
  }

  /** Vigil's own kinds: kept whole, few and small. */
  private <T extends HasMetadata, L, R extends Resource<T>> void watch(
      MixedOperation<T, L, R> operation, Consumer<T> changed) {
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            changed.accept(obj);
          }

          @Override
          public void onUpdate(T old, T obj) {
            if (statusOnly(old, obj)) {
              return;
            }
            changed.accept(obj);
          }

          @Override
          public void onDelete(T obj, boolean unknown) {
            forget(obj);
          }
        };
    for (var scope : Informers.scopes(operation, watchedNamespaces)) {
      informers.add(scope.inform(handler));
    }
  }

  private synchronized void apply(Runnable update, ObjectRef ref, boolean affectsSelection) {
    update.run();
    snapshotChanges.incrementAndGet();
    SortedSet<String> changed;
    synchronized (index) {
      changed = index.objectChanged(ref);
    }
    tellAnswers(changed);
    if (affectsSelection) {
      // Namespace labels decide which monitors a stack selects.
      recomputeJobs();
    }
  }

  private synchronized void stackChanged(MonitoringStack stack) {
    stacks.put(Cache.metaNamespaceKeyFunc(stack), stack);
    recomputeJobs();
  }

  private synchronized void serviceMonitorChanged(ServiceMonitor monitor) {
    serviceMonitors.put(Cache.metaNamespaceKeyFunc(monitor), monitor);
    recomputeJobs();
  }

  private synchronized void podMonitorChanged(PodMonitor monitor) {
    podMonitors.put(Cache.metaNamespaceKeyFunc(monitor), monitor);
    recomputeJobs();
  }

  private synchronized void policyChanged(AlertPolicy policy) {
    policies.put(Cache.metaNamespaceKeyFunc(policy), policy);
    recomputeJobs();
  }

  /** A prometheus-operator monitor, converted, or empty when gone or unreadable. */
  private synchronized void prometheusOperatorObjectChanged(
      PrometheusOperatorObjects.Kind kind, String key, Optional<HasMetadata> monitor) {
    if (monitor.orElse(null) instanceof ServiceMonitor serviceMonitor) {
      coreosServiceMonitors.put(key, serviceMonitor);
    } else if (monitor.orElse(null) instanceof PodMonitor podMonitor) {
      coreosPodMonitors.put(key, podMonitor);
    } else if (monitor.orElse(null) instanceof AlertPolicy policy) {
      coreosPolicies.put(key, policy);
    } else {
      switch (kind) {
        case SERVICE_MONITOR -> coreosServiceMonitors.remove(key);
        case POD_MONITOR -> coreosPodMonitors.remove(key);
        case PROMETHEUS_RULE -> coreosPolicies.remove(key);
      }
    }
    recomputeJobs();
  }

  /**
   * Vigil's monitors of one kind and prometheus-operator's of the same kind; where both have one of
   * the same namespace and name, Vigil's, and the other's "Kind namespace/name" goes into {@code
   * collisions}.
   */
  private static <T extends HasMetadata> Collection<T> withPrometheusOperatorObjects(
      Map<String, T> own, Map<String, T> coreos, Set<String> collisions) {
    if (coreos.isEmpty()) {
      return own.values();
    }
    Map<String, T> all = new TreeMap<>(coreos);
    for (Map.Entry<String, T> entry : own.entrySet()) {
      T replaced = all.put(entry.getKey(), entry.getValue());
      if (replaced != null) {
        collisions.add(replaced.getKind() + " " + entry.getKey());
      }
    }
    return all.values();
  }

  /** Logs each collision once, when it starts. */
  private void logCollisions(Set<String> collisions) {
    for (String collision : collisions) {
      if (!loggedCollisions.contains(collision)) {
        LOG.warn(
            "{} {} is left out: a Vigil object of the same kind, namespace and name has its job"
                + " names (or rule file)",
            PrometheusOperatorObjects.API_VERSION,
            collision);
      }
    }
    loggedCollisions = Set.copyOf(collisions);
  }

  private synchronized void forget(HasMetadata object) {
    String key = Cache.metaNamespaceKeyFunc(object);
    counts.forget(monitorKey(object));
    portProblems.remove(monitorKey(object));
    if (object instanceof MonitoringStack) {
      stacks.remove(key);
    } else if (object instanceof ServiceMonitor) {
      serviceMonitors.remove(key);
    } else if (object instanceof PodMonitor) {
      podMonitors.remove(key);
    } else if (object instanceof AlertPolicy) {
      policies.remove(key);
    }
    recomputeJobs();
  }

  /**
   * Which jobs exist and which stack scrapes which; one bad object never stops the others. Tells
   * the listeners of stacks whose selection changed and of monitors whose selecting stacks did.
   */
  private void recomputeJobs() {
    Map<String, DiscoveryJob> jobs = new LinkedHashMap<>();
    Map<ShardedJobKey, ShardedJob> sharded = new HashMap<>();
    Map<String, List<Served>> served = new HashMap<>();
    Map<String, Set<String>> jobsOfMonitor = new HashMap<>();
    Map<String, StackJobs> byStack = new HashMap<>();
    Map<String, Set<String>> selecting = new HashMap<>();
    List<HasMetadata> changed = new ArrayList<>();
    Set<String> collisions = new TreeSet<>();
    Collection<ServiceMonitor> allServiceMonitors =
        withPrometheusOperatorObjects(serviceMonitors, coreosServiceMonitors, collisions);
    Collection<PodMonitor> allPodMonitors =
        withPrometheusOperatorObjects(podMonitors, coreosPodMonitors, collisions);
    Collection<AlertPolicy> allPolicies =
        withPrometheusOperatorObjects(policies, coreosPolicies, collisions);
    logCollisions(collisions);
    for (Map.Entry<String, MonitoringStack> entry : stacks.entrySet()) {
      MonitoringStack stack = entry.getValue();
      MonitorSelection selection;
      try {
        selection = MonitorSelection.of(stack.getSpec().monitorSelector, stack);
      } catch (IllegalArgumentException e) {
        LOG.debug("stack {} has an invalid monitorSelector: {}", entry.getKey(), e.getMessage());
        continue;
      }
      Map<String, String> stackJobNames = new TreeMap<>();
      List<ServiceMonitor> selectedServiceMonitors = new ArrayList<>();
      List<PodMonitor> selectedPodMonitors = new ArrayList<>();
      List<String> fingerprint = new ArrayList<>();
      for (ServiceMonitor monitor : allServiceMonitors) {
        if (selection.selects(monitor, snapshot)) {
          selectedServiceMonitors.add(monitor);
          addJobs(
              jobs,
              stackJobNames,
              jobsOfMonitor,
              monitor,
              () -> DiscoveryJob.forServiceMonitor(monitor));
        }
      }
      for (PodMonitor monitor : allPodMonitors) {
        if (selection.selects(monitor, snapshot)) {
          selectedPodMonitors.add(monitor);
          addJobs(
              jobs,
              stackJobNames,
              jobsOfMonitor,
              monitor,
              () -> DiscoveryJob.forPodMonitor(monitor));
        }
      }
      List<AlertPolicy> selectedPolicies = new ArrayList<>();
      try {
        MonitorSelection policySelection =
            MonitorSelection.of(stack.getSpec().policySelector, stack);
        for (AlertPolicy policy : allPolicies) {
          if (policySelection.selects(policy, snapshot)) {
            selectedPolicies.add(policy);
          }
        }
      } catch (IllegalArgumentException e) {
        LOG.debug("stack {} has an invalid policySelector: {}", entry.getKey(), e.getMessage());
      }
      List<HasMetadata> selected = concat(selectedServiceMonitors, selectedPodMonitors);
      selected.addAll(selectedPolicies);
      for (HasMetadata object : selected) {
        fingerprint.add(monitorKey(object) + "@" + object.getMetadata().getGeneration());
        selecting.computeIfAbsent(monitorKey(object), k -> new TreeSet<>()).add(entry.getKey());
      }
      for (DiscoveryJob own : StackDiscoveryJobs.of(stack)) {
        DiscoveryJob keyed = own.withName(entry.getKey() + " " + own.name());
        jobs.put(keyed.name(), keyed);
        stackJobNames.put(own.name(), keyed.name());
      }
      int shards = Shards.of(stack);
      Map<String, TargetRelabeling> relabelings = new HashMap<>(programs.own(stack));
      for (HasMetadata monitor : concat(selectedServiceMonitors, selectedPodMonitors)) {
        relabelings.putAll(programs.monitor(stack, monitor));
      }
      Map<String, Binding> bindings = new TreeMap<>();
      for (Map.Entry<String, String> job : stackJobNames.entrySet()) {
        ShardedJobKey key =
            new ShardedJobKey(job.getKey(), job.getValue(), relabelings.get(job.getKey()), shards);
        ShardedJob reused = shardedJobs.get(key);
        bindings.put(
            job.getKey(),
            new Binding(
                job.getValue(),
                sharded.computeIfAbsent(
                    key,
                    k ->
                        reused != null
                            ? reused
                            : new ShardedJob(k.job(), k.relabeling(), shards))));
        served
            .computeIfAbsent(job.getValue(), k -> new ArrayList<>())
            .add(
                new Served(
                    stack.getMetadata().getNamespace(),
                    stack.getMetadata().getName(),
                    job.getKey(),
                    shards));
      }
      StackJobs now =
          new StackJobs(
              shards,
              Map.copyOf(bindings),
              List.copyOf(selectedServiceMonitors),
              List.copyOf(selectedPodMonitors),
              List.copyOf(selectedPolicies),
              List.copyOf(fingerprint));
      StackJobs before = stackJobs.get(entry.getKey());
      if (before == null || !before.fingerprint().equals(now.fingerprint())) {
        changed.add(stack);
      }
      byStack.put(entry.getKey(), now);
    }
    SortedSet<String> changedJobs;
    synchronized (index) {
      changedJobs = index.setJobs(jobs.values());
    }
    programs.retainUsed();
    Map<String, StackJobs> previous = stackJobs;
    stackJobs = Map.copyOf(byStack);
    shardedJobs = sharded;
    monitorJobs = Map.copyOf(jobsOfMonitor);
    servedAs = Map.copyOf(served);
    tellAnswers(changedJobs);
    tellChangedBindings(previous, stackJobs);
    List<HasMetadata> selectable = concat(serviceMonitors.values(), podMonitors.values());
    selectable.addAll(policies.values());
    for (HasMetadata monitor : selectable) {
      String key = monitorKey(monitor);
      if (!selecting
          .getOrDefault(key, Set.of())
          .equals(selectingStacks.getOrDefault(key, Set.of()))) {
        changed.add(monitor);
      }
    }
    selectingStacks = selecting;
    changed.forEach(this::tell);
  }

  /**
   * Tells the server of every job of every stack whose answers are now made differently (a new
   * relabeling, shard count or job) or that is gone.
   */
  private void tellChangedBindings(Map<String, StackJobs> before, Map<String, StackJobs> after) {
    if (answerListeners.isEmpty()) {
      return;
    }
    Set<String> stackKeys = new TreeSet<>(before.keySet());
    stackKeys.addAll(after.keySet());
    for (String stackKey : stackKeys) {
      StackJobs was = before.get(stackKey);
      StackJobs now = after.get(stackKey);
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
        Binding a = was == null ? null : was.jobs().get(job);
        Binding b = now == null ? null : now.jobs().get(job);
        if (a == null || b == null || a.sharded() != b.sharded()) {
          answerListeners.forEach(l -> l.changed(namespace, name, job, shards));
        }
      }
    }
  }

  private static List<HasMetadata> concat(
      Collection<? extends HasMetadata> a, Collection<? extends HasMetadata> b) {
    List<HasMetadata> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
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
        jobsOfMonitor.computeIfAbsent(monitorKey(monitor), k -> new TreeSet<>()).add(job.name());
      }
    } catch (RuntimeException e) {
      // prometheus-operator's objects are not checked by Vigil's schema: anything may be off.
      LOG.debug("{} is left out: {}", monitorKey(monitor), e.getMessage());
    }
  }

  @Override
  public void close() {
    counter.shutdownNow();
    if (prometheusOperatorObjects != null) {
      prometheusOperatorObjects.close();
    }
    informers.forEach(SharedIndexInformer::close);
  }
}
