package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.operator.Informers;
import dev.vigil.operator.servicediscovery.JobTargets;
import dev.vigil.reconcilers.discovery.DiscoveryIndex;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.discovery.ObjectRef;
import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.discovery.TrimmedObjects;
import dev.vigil.reconcilers.monitoringstack.MonitorSelection;
import dev.vigil.reconcilers.sharding.RendezvousSharding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * which stack scrapes which. Serves each job's targets, sharded, to HTTP service discovery.
 */
public final class TargetEngine implements JobTargets, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TargetEngine.class);

  private final KubernetesClient client;
  private final Set<String> watchedNamespaces;
  private final InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
  private final DiscoveryIndex index = new DiscoveryIndex(snapshot);
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  private final Map<String, MonitoringStack> stacks = new TreeMap<>();
  private final Map<String, ServiceMonitor> serviceMonitors = new TreeMap<>();
  private final Map<String, PodMonitor> podMonitors = new TreeMap<>();

  /** The jobs each stack scrapes (stack key "namespace/name" → job names) and its shard count. */
  private volatile Map<String, StackJobs> stackJobs = Map.of();

  record StackJobs(int shards, Set<String> jobs) {}

  public TargetEngine(KubernetesClient client, Set<String> watchedNamespaces) {
    this.client = client;
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
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
  }

  public boolean hasSynced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  // ---------------------------------------------------------------- JobTargets

  @Override
  public Optional<Versioned> targets(String namespace, String stack, int shard, String job) {
    StackJobs jobs = stackJobs.get(namespace + "/" + stack);
    if (jobs == null || shard >= jobs.shards() || !jobs.jobs().contains(job)) {
      return Optional.empty();
    }
    long version;
    List<TargetGroup> groups;
    synchronized (index) {
      version = index.version(job);
      groups = index.groups(job);
    }
    List<TargetGroup> mine = RendezvousSharding.assignGroups(job, groups, jobs.shards()).get(shard);
    // Shard counts are at most 100 (schema), so the low byte keeps versions of different counts
    // apart.
    return Optional.of(new Versioned((version << 8) | jobs.shards(), mine));
  }

  /** Targets of every job a stack scrapes, per shard, for status. */
  public int[] targetsPerShard(String namespace, String stack) {
    StackJobs jobs = stackJobs.get(namespace + "/" + stack);
    if (jobs == null) {
      return new int[0];
    }
    int[] counts = new int[jobs.shards()];
    for (String job : jobs.jobs()) {
      List<List<TargetGroup>> shards =
          RendezvousSharding.assignGroups(job, index.groups(job), jobs.shards());
      for (int i = 0; i < shards.size(); i++) {
        counts[i] += shards.get(i).stream().mapToInt(g -> g.targets().size()).sum();
      }
    }
    return counts;
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
    synchronized (index) {
      index.objectChanged(ref);
    }
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

  private synchronized void forget(HasMetadata object) {
    String key = Cache.metaNamespaceKeyFunc(object);
    if (object instanceof MonitoringStack) {
      stacks.remove(key);
    } else if (object instanceof ServiceMonitor) {
      serviceMonitors.remove(key);
    } else if (object instanceof PodMonitor) {
      podMonitors.remove(key);
    }
    recomputeJobs();
  }

  /** Which jobs exist and which stack scrapes which; one bad object never stops the others. */
  private void recomputeJobs() {
    Map<String, DiscoveryJob> jobs = new LinkedHashMap<>();
    Map<String, StackJobs> byStack = new HashMap<>();
    for (Map.Entry<String, MonitoringStack> entry : stacks.entrySet()) {
      MonitoringStack stack = entry.getValue();
      MonitorSelection selection;
      try {
        selection = MonitorSelection.of(stack.getSpec().monitorSelector, stack);
      } catch (IllegalArgumentException e) {
        LOG.debug("stack {} has an invalid monitorSelector: {}", entry.getKey(), e.getMessage());
        continue;
      }
      Set<String> stackJobNames = new TreeSet<>();
      for (ServiceMonitor monitor : serviceMonitors.values()) {
        if (selection.selects(monitor, snapshot)) {
          addJobs(jobs, stackJobNames, monitor, () -> DiscoveryJob.forServiceMonitor(monitor));
        }
      }
      for (PodMonitor monitor : podMonitors.values()) {
        if (selection.selects(monitor, snapshot)) {
          addJobs(jobs, stackJobNames, monitor, () -> DiscoveryJob.forPodMonitor(monitor));
        }
      }
      int shards = stack.getSpec().scraper == null ? 1 : stack.getSpec().scraper.shards;
      byStack.put(entry.getKey(), new StackJobs(shards, Set.copyOf(stackJobNames)));
    }
    synchronized (index) {
      index.setJobs(jobs.values());
    }
    stackJobs = Map.copyOf(byStack);
  }

  private static void addJobs(
      Map<String, DiscoveryJob> jobs,
      Set<String> stackJobNames,
      HasMetadata monitor,
      Supplier<List<DiscoveryJob>> build) {
    try {
      for (DiscoveryJob job : build.get()) {
        jobs.putIfAbsent(job.name(), job);
        stackJobNames.add(job.name());
      }
    } catch (IllegalArgumentException e) {
      LOG.debug("{} is left out: {}", Cache.metaNamespaceKeyFunc(monitor), e.getMessage());
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
