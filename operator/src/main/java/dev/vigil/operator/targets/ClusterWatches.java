package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.operator.informers.Informers;
import dev.vigil.reconcilers.discovery.TrimmedObjects;
import dev.vigil.reconcilers.objects.TrimmingStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The engine's informers, one set for the whole operator: Namespaces (cluster-wide, since their
 * labels decide selection) and Nodes, and in the watched namespaces Services, EndpointSlices and
 * Pods, each trimmed to what discovery reads before it is cached; and Vigil's MonitoringStacks,
 * ServiceMonitors, PodMonitors and AlertPolicies, kept whole (few and small) and handed on only
 * when their spec or labels changed; and, when asked for, prometheus-operator's ({@link
 * PrometheusOperatorWatches}).
 */
final class ClusterWatches implements AutoCloseable {
  /** Where the watches deliver. */
  interface Sink {
    /** An object discovery reads, added or updated, trimmed. */
    void put(HasMetadata trimmed);

    /** An object discovery reads, deleted. */
    void delete(HasMetadata object);

    /** A stack, monitor or policy, added or with a new spec or labels. */
    void changed(HasMetadata object);

    /** A stack, monitor or policy, deleted. */
    void gone(HasMetadata object);

    /** A prometheus-operator object, converted, or empty when gone or unreadable. */
    void prometheusOperatorObjectChanged(
        PrometheusOperatorObjects.Kind kind, String key, Optional<HasMetadata> object);
  }

  private final KubernetesClient client;
  private final Set<String> watchedNamespaces;
  private final Sink sink;
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  /**
   * One informer, and how many objects its handler has handed to the sink as added. An informer has
   * synced once its first list is in its store, but its handler hands the objects on after that,
   * one at a time: at 100,000 Pods discovery took minutes more to take them all in, and the
   * reconcilers, started at "synced", wrote every stack's configuration 46 times meanwhile with
   * monitors missing (docs/performance.md, the 100k run).
   */
  private static final class Watch {
    final AtomicLong added = new AtomicLong();
    volatile SharedIndexInformer<?> informer;
    volatile boolean caughtUp;

    /** Listed once, and every object of its store handed on (it stays so once it was). */
    boolean hasSynced() {
      if (!caughtUp) {
        SharedIndexInformer<?> listed = informer;
        caughtUp =
            listed != null
                && listed.hasSynced()
                && added.get() >= listed.getStore().listKeys().size();
      }
      return caughtUp;
    }
  }

  /** prometheus-operator's objects; null when not read. */
  private final PrometheusOperatorWatches prometheusOperator;

  /**
   * @param prometheusOperatorObjects whether {@code monitoring.coreos.com/v1} ServiceMonitors,
   *     PodMonitors and PrometheusRules are read too, where their CRDs are installed
   */
  ClusterWatches(
      KubernetesClient client,
      Set<String> watchedNamespaces,
      boolean prometheusOperatorObjects,
      Sink sink) {
    this.client = client;
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
    this.sink = sink;
    this.prometheusOperator =
        prometheusOperatorObjects
            ? new PrometheusOperatorWatches(
                client, watchedNamespaces, sink::prometheusOperatorObjectChanged)
            : null;
  }

  void start() {
    watchTrimmed(List.of(client.namespaces()), TrimmedObjects::namespace);
    watchTrimmed(List.of(client.nodes()), TrimmedObjects::node);
    watchTrimmed(Informers.scopes(client.services(), watchedNamespaces), TrimmedObjects::service);
    watchTrimmed(
        Informers.scopes(client.discovery().v1().endpointSlices(), watchedNamespaces),
        TrimmedObjects::endpointSlice);
    watchTrimmed(Informers.scopes(client.pods(), watchedNamespaces), TrimmedObjects::pod);
    watchWhole(client.resources(MonitoringStack.class));
    watchWhole(client.resources(ServiceMonitor.class));
    watchWhole(client.resources(PodMonitor.class));
    watchWhole(client.resources(AlertPolicy.class));
    if (prometheusOperator != null) {
      prometheusOperator.start();
    }
  }

  /** Whether every watch has listed once and handed on every object it listed. */
  boolean hasSynced() {
    return watches.stream().allMatch(Watch::hasSynced)
        && (prometheusOperator == null || prometheusOperator.hasSynced());
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

  private <T extends HasMetadata> void watchTrimmed(
      List<? extends Informable<T>> informables, UnaryOperator<T> trim) {
    // Discovery's snapshot takes the informer store's trimmed copy, not a second one: two trimmed
    // copies of every Pod were a tenth of the heap at 10,000 Pods (docs/performance.md).
    for (Informable<T> informable : informables) {
      TrimmingStore<T> store = new TrimmingStore<>(trim);
      Watch watch = new Watch();
      ResourceEventHandler<T> handler =
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
              sink.put(stored(store, trim, obj));
              watch.added.incrementAndGet();
            }

            @Override
            public void onUpdate(T old, T obj) {
              sink.put(stored(store, trim, obj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
              sink.delete(obj);
            }
          };
      watch.informer = Informers.trimmed(informable, store, handler);
      watches.add(watch);
    }
  }

  /**
   * The store's trimmed copy of the object (events carry the whole object, or at the first list the
   * store's copy), or a trimmed copy when the store no longer has it. The store may already hold a
   * newer version than the event's: the newer one's own event follows and puts it again.
   */
  static <T extends HasMetadata> T stored(TrimmingStore<T> store, UnaryOperator<T> trim, T obj) {
    T kept = store.get(Cache.metaNamespaceKeyFunc(obj));
    return kept != null ? kept : trim.apply(obj);
  }

  private <T extends HasMetadata, L, R extends Resource<T>> void watchWhole(
      MixedOperation<T, L, R> operation) {
    for (var scope : Informers.scopes(operation, watchedNamespaces)) {
      Watch watch = new Watch();
      ResourceEventHandler<T> handler =
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
              sink.changed(obj);
              watch.added.incrementAndGet();
            }

            @Override
            public void onUpdate(T old, T obj) {
              if (!statusOnly(old, obj)) {
                sink.changed(obj);
              }
            }

            @Override
            public void onDelete(T obj, boolean unknown) {
              sink.gone(obj);
            }
          };
      watch.informer = scope.withLimit(Informers.LIST_LIMIT).inform(handler);
      watches.add(watch);
    }
  }

  @Override
  public void close() {
    if (prometheusOperator != null) {
      prometheusOperator.close();
    }
    watches.forEach(watch -> watch.informer.close());
  }
}
