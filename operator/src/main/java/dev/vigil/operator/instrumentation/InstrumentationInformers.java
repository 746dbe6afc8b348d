package dev.vigil.operator.instrumentation;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.operator.informers.Informers;
import dev.vigil.reconcilers.injection.CatalogLookup;
import dev.vigil.reconcilers.injection.InstrumentationCatalog;
import dev.vigil.reconcilers.injection.InstrumentationLookup;
import dev.vigil.reconcilers.injection.OpenTelemetryInstrumentations;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instrumentations and TracingPipelines in the watched namespaces, cached whole (few and small) by
 * informers that run on every replica, leader or not: the webhook serves on all of them. JOSDK's
 * caches of the same kinds belong to the reconcilers and run their own lifecycle, so the webhook
 * keeps its own. Reads are index lookups, thread-safe.
 *
 * <p>With the compatibility flag, the OpenTelemetry operator's {@code opentelemetry.io/v1alpha1}
 * Instrumentations too, as generic objects (read, never written), when their CRD exists: asked
 * through API discovery at start, and again every {@link #RECHECK_PERIOD} while it is absent, so
 * installing the OpenTelemetry operator later needs no restart.
 */
public final class InstrumentationInformers implements InstrumentationCatalog, AutoCloseable {
  /** How often a missing {@code instrumentations.opentelemetry.io} CRD is looked for again. */
  static final long RECHECK_PERIOD_SECONDS = 60;

  private static final Logger LOG = LoggerFactory.getLogger(InstrumentationInformers.class);

  private final KubernetesClient client;
  private final Set<String> watchedNamespaces;
  private final boolean openTelemetry;
  private final List<SharedIndexInformer<GenericKubernetesResource>> openTelemetryInformers =
      new CopyOnWriteArrayList<>();
  private volatile boolean watchingOpenTelemetry;
  private volatile ScheduledExecutorService recheck;
  private final List<SharedIndexInformer<Instrumentation>> instrumentations =
      new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<TracingPipeline>> pipelines = new CopyOnWriteArrayList<>();

  /**
   * @param watchedNamespaces the namespaces the operator watches; empty: all
   */
  public InstrumentationInformers(KubernetesClient client, Set<String> watchedNamespaces) {
    this(client, watchedNamespaces, false);
  }

  /**
   * @param watchedNamespaces the namespaces the operator watches; empty: all
   * @param openTelemetry whether to read the OpenTelemetry operator's Instrumentations too (the
   *     compatibility flag)
   */
  public InstrumentationInformers(
      KubernetesClient client, Set<String> watchedNamespaces, boolean openTelemetry) {
    this.client = client;
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
    this.openTelemetry = openTelemetry;
  }

  /** Starts the informers; returns at once (see {@link #hasSynced}). */
  public void start() {
    for (var scope : Informers.scopes(client.resources(Instrumentation.class), watchedNamespaces)) {
      instrumentations.add(scope.runnableInformer(0).run());
    }
    for (var scope : Informers.scopes(client.resources(TracingPipeline.class), watchedNamespaces)) {
      pipelines.add(scope.runnableInformer(0).run());
    }
    if (openTelemetry && !watchOpenTelemetry()) {
      LOG.info(
          "{} not installed; looking again every {}s",
          OpenTelemetryInstrumentations.CRD,
          RECHECK_PERIOD_SECONDS);
      ScheduledExecutorService executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "vigil-opentelemetry-instrumentations");
                thread.setDaemon(true);
                return thread;
              });
      recheck = executor;
      executor.scheduleWithFixedDelay(
          () -> {
            if (watchOpenTelemetry()) {
              executor.shutdown();
            }
          },
          RECHECK_PERIOD_SECONDS,
          RECHECK_PERIOD_SECONDS,
          TimeUnit.SECONDS);
    }
  }

  /** Starts the OpenTelemetry operator's Instrumentations' informers if their CRD exists. */
  private synchronized boolean watchOpenTelemetry() {
    if (watchingOpenTelemetry) {
      return true;
    }
    try {
      if (!client.supports(
          OpenTelemetryInstrumentations.API_VERSION, OpenTelemetryInstrumentations.KIND)) {
        return false;
      }
      List<SharedIndexInformer<GenericKubernetesResource>> started = new ArrayList<>();
      try {
        for (var scope :
            Informers.scopes(
                client.genericKubernetesResources(
                    OpenTelemetryInstrumentations.API_VERSION, OpenTelemetryInstrumentations.KIND),
                watchedNamespaces)) {
          started.add(scope.runnableInformer(0).run());
        }
      } catch (RuntimeException e) {
        // All scopes or none, so a retry starts no second informer for a namespace.
        started.forEach(SharedIndexInformer::close);
        throw e;
      }
      openTelemetryInformers.addAll(started);
      watchingOpenTelemetry = true;
      LOG.info(
          "watching {} {} for the pod webhook",
          OpenTelemetryInstrumentations.API_VERSION,
          OpenTelemetryInstrumentations.KIND);
      return true;
    } catch (RuntimeException e) {
      // Discovery down or RBAC missing: Vigil's own Instrumentations keep working; try again.
      LOG.warn("cannot watch {}: {}", OpenTelemetryInstrumentations.CRD, e.toString());
      return false;
    }
  }

  /** Whether every informer has listed once. */
  public boolean hasSynced() {
    return instrumentations.stream().allMatch(SharedIndexInformer::hasSynced)
        && pipelines.stream().allMatch(SharedIndexInformer::hasSynced)
        && openTelemetryInformers.stream().allMatch(SharedIndexInformer::hasSynced);
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
  public List<GenericKubernetesResource> openTelemetryInstrumentations(String namespace) {
    List<GenericKubernetesResource> found = new ArrayList<>();
    for (SharedIndexInformer<GenericKubernetesResource> informer : openTelemetryInformers) {
      found.addAll(informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
    }
    return found;
  }

  @Override
  public Optional<GenericKubernetesResource> openTelemetryInstrumentation(
      String namespace, String name) {
    return byKey(openTelemetryInformers, namespace, name);
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
    ScheduledExecutorService executor = recheck;
    if (executor != null) {
      executor.shutdownNow();
    }
    openTelemetryInformers.forEach(SharedIndexInformer::close);
  }
}
