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
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblem;
import dev.vigil.reconcilers.prometheus.PrometheusConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import dev.vigil.reconcilers.prometheus.PrometheusConfigInputs;
import dev.vigil.reconcilers.rules.PolicyRules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Optional;

/**
 * prometheus-operator's {@code monitoring.coreos.com/v1} ServiceMonitors, PodMonitors and
 * PrometheusRules converted into Vigil's own types (read by {@link PrometheusOperatorWatches}), so
 * the monitors and rules that Helm charts ship go through the same selection, rendering and service
 * discovery as Vigil's. Their fields are Vigil's fields (DESIGN §1); fields Vigil does not know are
 * ignored, as the API server would prune them from a Vigil object, and {@code status} is never
 * read.
 *
 * <p>A converted object is a {@link CoreosServiceMonitor} or {@link CoreosPodMonitor}: a Vigil
 * ServiceMonitor or PodMonitor whose apiVersion stays {@value #API_VERSION} ({@link #isFrom}),
 * which is how the rest of the operator tells it from Vigil's own: no reconciler runs for it and
 * nothing is written to it.
 */
public final class PrometheusOperatorObjects {
  public static final String GROUP = "monitoring.coreos.com";
  public static final String API_VERSION = GROUP + "/v1";

  private PrometheusOperatorObjects() {}

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
    BuiltConfig<PrometheusConfig> result =
        PrometheusConfigBuilder.build(
            ANY_STACK,
            0,
            monitor instanceof ServiceMonitor s ? List.of(s) : List.of(),
            monitor instanceof PodMonitor p ? List.of(p) : List.of(),
            PrometheusConfigInputs.of("http://vigil.invalid", "/token"));
    return result.problems().stream()
        .filter(p -> !"MonitoringStack".equals(p.kind()))
        .map(ObjectProblem::message)
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
}
