package dev.vigil.operator.instrumentation;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.operator.informers.Informers;
import dev.vigil.reconcilers.injection.CatalogLookup;
import dev.vigil.reconcilers.injection.InstrumentationCatalog;
import dev.vigil.reconcilers.injection.InstrumentationLookup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Instrumentations and TracingPipelines in the watched namespaces, cached whole (few and small) by
 * informers that run on every replica, leader or not: the webhook serves on all of them. JOSDK's
 * caches of the same kinds belong to the reconcilers and run their own lifecycle, so the webhook
 * keeps its own. Reads are index lookups, thread-safe.
 */
public final class InstrumentationInformers implements InstrumentationCatalog, AutoCloseable {
  private final KubernetesClient client;
  private final Set<String> watchedNamespaces;
  private final List<SharedIndexInformer<Instrumentation>> instrumentations =
      new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<TracingPipeline>> pipelines = new CopyOnWriteArrayList<>();

  /**
   * @param watchedNamespaces the namespaces the operator watches; empty: all
   */
  public InstrumentationInformers(KubernetesClient client, Set<String> watchedNamespaces) {
    this.client = client;
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
  }

  /** Starts the informers; returns at once (see {@link #hasSynced}). */
  public void start() {
    for (var scope : Informers.scopes(client.resources(Instrumentation.class), watchedNamespaces)) {
      instrumentations.add(scope.runnableInformer(0).run());
    }
    for (var scope : Informers.scopes(client.resources(TracingPipeline.class), watchedNamespaces)) {
      pipelines.add(scope.runnableInformer(0).run());
    }
  }

  /** Whether every informer has listed once. */
  public boolean hasSynced() {
    return instrumentations.stream().allMatch(SharedIndexInformer::hasSynced)
        && pipelines.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** The lookup the pod-mutating webhook hands its {@code PodInjector}. */
  public InstrumentationLookup lookup() {
    return new CatalogLookup(this);
  }

  @Override
  public List<Instrumentation> instrumentations(String namespace) {
    List<Instrumentation> found = new ArrayList<>();
    for (SharedIndexInformer<Instrumentation> informer : instrumentations) {
      found.addAll(informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
    }
    return found;
  }

  @Override
  public Optional<Instrumentation> instrumentation(String namespace, String name) {
    return byKey(instrumentations, namespace, name);
  }

  @Override
  public Optional<TracingPipeline> tracingPipeline(String namespace, String name) {
    return byKey(pipelines, namespace, name);
  }

  private static <T extends HasMetadata> Optional<T> byKey(
      List<SharedIndexInformer<T>> informers, String namespace, String name) {
    String key = namespace + "/" + name;
    for (SharedIndexInformer<T> informer : informers) {
      T found = informer.getIndexer().getByKey(key);
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    instrumentations.forEach(SharedIndexInformer::close);
    pipelines.forEach(SharedIndexInformer::close);
  }
}
