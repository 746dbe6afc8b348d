package dev.vigil.operator.targets;

import static dev.vigil.operator.targets.EngineObjects.coreosServiceMonitor;
import static dev.vigil.operator.targets.EngineObjects.serviceMonitor;
import static dev.vigil.operator.targets.EngineObjects.stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Vigil's and prometheus-operator's objects side by side: Vigil's wins a shared name. */
class WatchedObjectsTest {
  static final String OWN =
      """
      apiVersion: monitoring.vigil.dev/v1alpha1
      kind: ServiceMonitor
      metadata: {name: checkout, namespace: shop}
      spec: {selector: {}, endpoints: [{port: http}]}
      """;

  static String coreos(String name) {
    return """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: %s, namespace: shop}
        spec: {selector: {}, endpoints: [{port: web}]}
        """
        .formatted(name);
  }

  @Test
  void vigilsObjectWinsOverPrometheusOperatorsOfTheSameNameAndBothKeepTheirKeys() {
    WatchedObjects objects = new WatchedObjects();
    ServiceMonitor own = serviceMonitor(OWN);
    ServiceMonitor same = coreosServiceMonitor(coreos("checkout"));
    ServiceMonitor other = coreosServiceMonitor(coreos("cart"));
    objects.put(own);
    objects.putPrometheusOperator(
        PrometheusOperatorObjects.Kind.SERVICE_MONITOR, "shop/checkout", Optional.of(same));
    objects.putPrometheusOperator(
        PrometheusOperatorObjects.Kind.SERVICE_MONITOR, "shop/cart", Optional.of(other));
    assertThat(objects.selectable().serviceMonitors()).containsExactly(other, own);
    assertThat(WatchedObjects.key(own)).isEqualTo("ServiceMonitor/shop/checkout");
    assertThat(WatchedObjects.key(same))
        .isEqualTo("monitoring.coreos.com/ServiceMonitor/shop/checkout");
    // Only Vigil's objects have a reconciler to tell.
    assertThat(objects.ownSelectable()).containsExactly(own);
    assertThat(objects.get("ServiceMonitor/shop/checkout")).isSameAs(own);

    // Vigil's goes: prometheus-operator's takes its place.
    objects.remove(own);
    assertThat(objects.selectable().serviceMonitors()).containsExactly(other, same);
    // An object that can no longer be read is left out rather than kept stale.
    objects.putPrometheusOperator(
        PrometheusOperatorObjects.Kind.SERVICE_MONITOR, "shop/cart", Optional.empty());
    assertThat(objects.selectable().serviceMonitors()).containsExactly(same);
  }

  @Test
  void stacksAreKeptByNamespaceAndName() {
    WatchedObjects objects = new WatchedObjects();
    var stack =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: platform, namespace: monitoring}
            spec: {}
            """);
    objects.put(stack);
    assertThat(objects.stacks()).containsOnlyKeys("monitoring/platform");
    assertThat(objects.get("MonitoringStack/monitoring/platform")).isSameAs(stack);
    objects.remove(stack);
    assertThat(objects.stacks()).isEmpty();
    assertThat(objects.get("MonitoringStack/monitoring/platform")).isNull();
  }
}
