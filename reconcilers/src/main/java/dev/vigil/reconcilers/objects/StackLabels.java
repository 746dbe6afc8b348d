package dev.vigil.reconcilers.objects;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import java.util.Map;
import java.util.TreeMap;

/** The labels every object Vigil makes for a stack carries (app.kubernetes.io conventions). */
public final class StackLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String SHARD = "monitoring.vigil.dev/shard";
  public static final String VIGIL = "vigil";

  /** Component label of every stack's Prometheus pods. */
  public static final String PROMETHEUS = "prometheus";

  /** Component label of every stack's Grafana pods. */
  public static final String GRAFANA = "grafana";

  /**
   * The start of the label selector of a dependent's informer, to which its component is appended:
   * Vigil caches only the objects it makes, never all Secrets or ConfigMaps.
   */
  public static final String VIGILS_COMPONENT = MANAGED_BY + "=" + VIGIL + "," + COMPONENT + "=";

  private StackLabels() {}

  public static Map<String, String> of(MonitoringStack stack, String component) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(MANAGED_BY, VIGIL);
    labels.put(PART_OF, VIGIL);
    labels.put(INSTANCE, stack.getMetadata().getName());
    labels.put(COMPONENT, component);
    return labels;
  }

  /** The labels of one shard's objects. */
  public static Map<String, String> ofShard(MonitoringStack stack, String component, int shard) {
    Map<String, String> labels = of(stack, component);
    labels.put(SHARD, Integer.toString(shard));
    return labels;
  }

  /**
   * The labels of one component's pods in every stack Vigil runs, whatever its name or namespace:
   * whom a pipeline's NetworkPolicies admit (any stack's Prometheus scrapes collectors, any stack's
   * Grafana reads Jaeger).
   */
  public static Map<String, String> anyStack(String component) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(MANAGED_BY, VIGIL);
    labels.put(COMPONENT, component);
    return labels;
  }

  /**
   * The labels selecting a component's pods: stack and component, and the shard when not null.
   * Never changes for a given object, as a StatefulSet's selector cannot.
   */
  public static Map<String, String> selector(
      MonitoringStack stack, String component, Integer shard) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(INSTANCE, stack.getMetadata().getName());
    labels.put(COMPONENT, component);
    if (shard != null) {
      labels.put(SHARD, Integer.toString(shard));
    }
    return labels;
  }
}
