package dev.vigil.operator.targets;

import dev.vigil.operator.informers.Informers;
import dev.vigil.operator.targets.PrometheusOperatorObjects.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of prometheus-operator's {@code monitoring.coreos.com/v1} ServiceMonitors,
 * PodMonitors and PrometheusRules: read (never written), trimmed to identity, labels and spec, and
 * handed on converted ({@link PrometheusOperatorObjects}), with what every stack will leave out of
 * one logged once per version of the object.
 *
 * <p>Whether the CRDs exist is asked through API discovery, which every authenticated user may
 * read: no RBAC on CustomResourceDefinitions is needed. A kind whose CRD is missing at start is
 * looked for again every {@link #RECHECK_PERIOD}, so installing prometheus-operator's CRDs later
 * needs no restart.
 */
final class PrometheusOperatorWatches implements AutoCloseable {
  static final Duration RECHECK_PERIOD = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusOperatorWatches.class);
  private static final String API_VERSION = PrometheusOperatorObjects.API_VERSION;

  /**
   * Told of every object as converted ({@code monitor} present), and when it is gone or can no
   * longer be read (empty): a broken update leaves the object out rather than keep a stale copy.
   */
  @FunctionalInterface
  interface Listener {
    void changed(Kind kind, String key, Optional<HasMetadata> monitor);
  }

  private final KubernetesClient client;
  private final Set<String> watchedNamespaces;
  private final Listener listener;
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers =
      new CopyOnWriteArrayList<>();
  private final Set<Kind> watching = ConcurrentHashMap.newKeySet();

  /** Objects whose conversion failed, as "kind/namespace/name@resourceVersion": warned once. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService recheck =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "vigil-prometheus-operator-crds");
            thread.setDaemon(true);
            return thread;
          });

  PrometheusOperatorWatches(
      KubernetesClient client, Set<String> watchedNamespaces, Listener listener) {
    this.client = client;
    this.watchedNamespaces = Set.copyOf(watchedNamespaces);
    this.listener = listener;
  }

  /**
   * Watches the kinds whose CRDs exist now (returning once they have listed), and looks for the
   * others periodically.
   */
  void start() {
    if (!watchInstalledKinds()) {
      LOG.info(
          "prometheus-operator objects: {} not installed; looking again every {}s",
          missing(),
          RECHECK_PERIOD.toSeconds());
      recheck.scheduleWithFixedDelay(
          () -> {
            if (watchInstalledKinds()) {
              recheck.shutdown();
            }
          },
          RECHECK_PERIOD.toMillis(),
          RECHECK_PERIOD.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Starts the watches of kinds now installed; true when every kind is watched. */
  private synchronized boolean watchInstalledKinds() {
    for (Kind kind : Kind.values()) {
      if (watching.contains(kind)) {
        continue;
      }
      try {
        if (!client.supports(API_VERSION, kind.kind)) {
          continue;
        }
        List<SharedIndexInformer<GenericKubernetesResource>> started = new ArrayList<>();
        try {
          for (var scope :
              Informers.scopes(
                  client.genericKubernetesResources(API_VERSION, kind.kind), watchedNamespaces)) {
            started.add(Informers.trimmed(scope, PrometheusOperatorWatches::trim, handler(kind)));
          }
        } catch (RuntimeException e) {
          // All scopes or none, so a retry starts no second informer for a namespace.
          started.forEach(SharedIndexInformer::close);
          throw e;
        }
        informers.addAll(started);
        watching.add(kind);
        LOG.info("prometheus-operator objects: watching {} {}", API_VERSION, kind.kind);
      } catch (RuntimeException e) {
        // Discovery down or RBAC missing: the rest of Vigil keeps working; try again later.
        LOG.warn("prometheus-operator objects: cannot watch {}: {}", kind.crd(), e.toString());
      }
    }
    return watching.size() == Kind.values().length;
  }

  private List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      if (!watching.contains(kind)) {
        missing.add(kind.crd());
      }
    }
    return missing;
  }

  /** Whether every watch started so far has listed once. */
  boolean hasSynced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  private ResourceEventHandler<GenericKubernetesResource> handler(Kind kind) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        converted(kind, obj);
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
        converted(kind, obj);
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
        String key = Cache.metaNamespaceKeyFunc(obj);
        warned.removeIf(w -> w.startsWith(kind.kind + "/" + key + "@"));
        listener.changed(kind, key, Optional.empty());
      }
    };
  }

  private void converted(Kind kind, GenericKubernetesResource object) {
    String key = Cache.metaNamespaceKeyFunc(object);
    String version = kind.kind + "/" + key + "@" + object.getMetadata().getResourceVersion();
    warned.removeIf(w -> w.startsWith(kind.kind + "/" + key + "@") && !w.equals(version));
    Optional<HasMetadata> monitor;
    try {
      monitor = Optional.of(kind.convert(object));
      // No status to report in: say once, in the log, what every stack will leave out.
      List<String> problems = PrometheusOperatorObjects.problems(monitor.get());
      if (!problems.isEmpty() && warned.add(version)) {
        LOG.warn(
            "{} {} {} is left out of every stack's configuration: {}",
            API_VERSION,
            kind.kind,
            key,
            String.join("; ", problems));
      }
    } catch (IllegalArgumentException e) {
      if (warned.add(version)) {
        LOG.warn("{} {} {} is left out: {}", API_VERSION, kind.kind, key, e.getMessage());
      }
      monitor = Optional.empty();
    }
    try {
      listener.changed(kind, key, monitor);
    } catch (RuntimeException e) {
      LOG.warn("prometheus-operator {} {} could not be taken in", kind.kind, key, e);
    }
  }

  /**
   * What is cached of an object: identity, labels and spec. A new object, since the one the
   * informer hands over is not ours to change.
   */
  static GenericKubernetesResource trim(GenericKubernetesResource object) {
    ObjectMeta from = object.getMetadata();
    ObjectMeta kept = new ObjectMeta();
    kept.setName(from.getName());
    kept.setNamespace(from.getNamespace());
    kept.setUid(from.getUid());
    kept.setResourceVersion(from.getResourceVersion());
    kept.setGeneration(from.getGeneration());
    kept.setLabels(from.getLabels());
    GenericKubernetesResource trimmed = new GenericKubernetesResource();
    trimmed.setApiVersion(object.getApiVersion());
    trimmed.setKind(object.getKind());
    trimmed.setMetadata(kept);
    Object spec = object.getAdditionalProperties().get("spec");
    if (spec != null) {
      trimmed.setAdditionalProperty("spec", spec);
    }
    return trimmed;
  }

  @Override
  public void close() {
    recheck.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
  }
}
