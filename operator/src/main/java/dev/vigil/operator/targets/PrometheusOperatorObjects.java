package dev.vigil.operator.targets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.operator.Informers;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import dev.vigil.reconcilers.prometheus.PrometheusConfigInputs;
import dev.vigil.reconcilers.rules.PolicyRules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
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
 * prometheus-operator's {@code monitoring.coreos.com/v1} ServiceMonitors and PodMonitors, read
 * (never written) and converted into Vigil's own types, so the monitors that Helm charts ship go
 * through the same selection, rendering and service discovery as Vigil's. Their fields are Vigil's
 * fields (DESIGN §1); fields Vigil does not know are ignored, as the API server would prune them
 * from a Vigil object, and {@code status} is never read.
 *
 * <p>Whether the CRDs exist is asked through API discovery, which every authenticated user may
 * read: no RBAC on CustomResourceDefinitions is needed. A kind whose CRD is missing at start is
 * looked for again every {@link #RECHECK_PERIOD}, so installing prometheus-operator's CRDs later
 * needs no restart.
 *
 * <p>A converted object is a {@link CoreosServiceMonitor} or {@link CoreosPodMonitor}: a Vigil
 * ServiceMonitor or PodMonitor whose apiVersion stays {@value #API_VERSION} ({@link #isFrom}),
 * which is how the rest of the operator tells it from Vigil's own: no reconciler runs for it and
 * nothing is written to it.
 */
public final class PrometheusOperatorObjects implements AutoCloseable {
  public static final String GROUP = "monitoring.coreos.com";
  public static final String API_VERSION = GROUP + "/v1";
  static final Duration RECHECK_PERIOD = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusOperatorObjects.class);

  /** Reads every field Vigil knows, ignores the others. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A {@value #API_VERSION} ServiceMonitor read into Vigil's type. */
  @Group(GROUP)
  @Version("v1")
  @io.fabric8.kubernetes.model.annotation.Kind("ServiceMonitor")
  public static final class CoreosServiceMonitor extends ServiceMonitor {}

  /** A {@value #API_VERSION} PodMonitor read into Vigil's type. */
  @Group(GROUP)
  @Version("v1")
  @io.fabric8.kubernetes.model.annotation.Kind("PodMonitor")
  public static final class CoreosPodMonitor extends PodMonitor {}

  /**
   * A {@code monitoring.coreos.com/v1} PrometheusRule read as an AlertPolicy without routing: its
   * groups have the same shape.
   */
  @Group(GROUP)
  @Version("v1")
  @io.fabric8.kubernetes.model.annotation.Kind("PrometheusRule")
  public static final class CoreosAlertPolicy extends AlertPolicy {}

  /** The kinds read, with their CRD names. */
  enum Kind {
    SERVICE_MONITOR("ServiceMonitor", "servicemonitors"),
    POD_MONITOR("PodMonitor", "podmonitors"),
    PROMETHEUS_RULE("PrometheusRule", "prometheusrules");

    final String kind;
    final String plural;

    Kind(String kind, String plural) {
      this.kind = kind;
      this.plural = plural;
    }

    String crd() {
      return plural + "." + GROUP;
    }

    HasMetadata convert(GenericKubernetesResource object) {
      return switch (this) {
        case SERVICE_MONITOR -> serviceMonitor(object);
        case POD_MONITOR -> podMonitor(object);
        case PROMETHEUS_RULE -> alertPolicy(object);
      };
    }
  }

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

  PrometheusOperatorObjects(
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
            started.add(Informers.trimmed(scope, PrometheusOperatorObjects::trim, handler(kind)));
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
      List<String> problems = problems(monitor.get());
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

  // ---------------------------------------------------------------- conversion

  /**
   * A {@code monitoring.coreos.com/v1} ServiceMonitor as Vigil's type.
   *
   * @throws IllegalArgumentException when a field Vigil knows has a value it cannot read (the
   *     message names the field)
   */
  public static ServiceMonitor serviceMonitor(GenericKubernetesResource object) {
    ServiceMonitor monitor = convert(object, CoreosServiceMonitor.class);
    if (monitor.getSpec().endpoints != null) {
      requireNoNulls(monitor.getSpec().endpoints, "spec.endpoints");
    }
    return monitor;
  }

  /**
   * A {@code monitoring.coreos.com/v1} PodMonitor as Vigil's type.
   *
   * @throws IllegalArgumentException when a field Vigil knows has a value it cannot read (the
   *     message names the field)
   */
  public static PodMonitor podMonitor(GenericKubernetesResource object) {
    PodMonitor monitor = convert(object, CoreosPodMonitor.class);
    if (monitor.getSpec().podMetricsEndpoints != null) {
      requireNoNulls(monitor.getSpec().podMetricsEndpoints, "spec.podMetricsEndpoints");
    }
    return monitor;
  }

  /**
   * A {@code monitoring.coreos.com/v1} PrometheusRule as an AlertPolicy with its groups and no
   * routing.
   *
   * @throws IllegalArgumentException when a field Vigil knows has a value it cannot read (the
   *     message names the field)
   */
  public static AlertPolicy alertPolicy(GenericKubernetesResource object) {
    AlertPolicy policy = convert(object, CoreosAlertPolicy.class);
    if (policy.getSpec().groups != null) {
      requireNoNulls(policy.getSpec().groups, "spec.groups");
    }
    policy.getSpec().routing = null;
    return policy;
  }

  /**
   * Why a stack would leave the converted monitor out of its configuration, whatever the stack:
   * what Vigil's CRD schema would have refused (bad durations, a timeout over the interval, broken
   * relabelings, two authentication methods, …), checked by the renderer itself. Missing Secret
   * keys and limits of a particular stack are not looked at.
   */
  static List<String> problems(HasMetadata monitor) {
    if (monitor instanceof AlertPolicy policy) {
      return PolicyRules.build(policy, expression -> Optional.empty()).problems();
    }
    PrometheusConfigBuilder.Result result =
        PrometheusConfigBuilder.build(
            ANY_STACK,
            0,
            monitor instanceof ServiceMonitor s ? List.of(s) : List.of(),
            monitor instanceof PodMonitor p ? List.of(p) : List.of(),
            PrometheusConfigInputs.of("http://vigil.invalid", "/token"));
    return result.problems().stream()
        .filter(p -> !"MonitoringStack".equals(p.kind()))
        .map(PrometheusConfigBuilder.Problem::message)
        .toList();
  }

  /** A stack with every default, to render one monitor with. */
  private static final MonitoringStack ANY_STACK = new MonitoringStack();

  static {
    ANY_STACK.setMetadata(new ObjectMeta());
    ANY_STACK.getMetadata().setNamespace("any");
    ANY_STACK.getMetadata().setName("any");
    ANY_STACK.setSpec(new MonitoringStackSpec());
  }

  /** Whether the object came from prometheus-operator's API rather than Vigil's. */
  public static boolean isFrom(HasMetadata object) {
    return API_VERSION.equals(object.getApiVersion());
  }

  private static <T extends CustomResource<?, ?>> T convert(
      GenericKubernetesResource object, Class<T> type) {
    if (!API_VERSION.equals(object.getApiVersion())) {
      throw new IllegalArgumentException(
          "apiVersion is " + object.getApiVersion() + ", not " + API_VERSION);
    }
    if (object.getMetadata() == null
        || object.getMetadata().getName() == null
        || object.getMetadata().getNamespace() == null) {
      throw new IllegalArgumentException("metadata.name and metadata.namespace are required");
    }
    ObjectNode tree = MAPPER.valueToTree(object);
    // Status belongs to prometheus-operator, whose shape is not Vigil's.
    tree.remove("status");
    T converted;
    try {
      converted = MAPPER.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(path(e) + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (converted.getSpec() == null) {
      throw new IllegalArgumentException("spec is required");
    }
    return converted;
  }

  private static void requireNoNulls(List<?> list, String field) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new IllegalArgumentException(field + "[" + i + "] is null");
      }
    }
  }

  /** The failing field as a path: {@code spec.endpoints[0].scheme}. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "object" : path.toString();
  }

  @Override
  public void close() {
    recheck.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
  }
}
