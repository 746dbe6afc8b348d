package dev.vigil.reconcilers.scope;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * prometheus-operator's kinds as the operator reads them (its {@code PrometheusOperatorObjects}):
 * Vigil's types whose apiVersion, computed from these annotations, is {@code
 * monitoring.coreos.com/v1}. A CustomResource's apiVersion cannot be set otherwise.
 */
public final class PrometheusOperatorKinds {
  private PrometheusOperatorKinds() {}

  @Group("monitoring.coreos.com")
  @Version("v1")
  @Kind("PrometheusRule")
  public static final class PrometheusRule extends AlertPolicy {}

  @Group("monitoring.coreos.com")
  @Version("v1")
  @Kind("PodMonitor")
  public static final class CoreosPodMonitor extends PodMonitor {}

  @Group("monitoring.coreos.com")
  @Version("v1")
  @Kind("ServiceMonitor")
  public static final class CoreosServiceMonitor extends ServiceMonitor {}

  /** {@code policy}'s metadata and spec as a PrometheusRule. */
  public static AlertPolicy prometheusRule(AlertPolicy policy) {
    PrometheusRule rule = new PrometheusRule();
    rule.setMetadata(new ObjectMetaBuilder(policy.getMetadata()).build());
    rule.setSpec(policy.getSpec());
    return rule;
  }
}
