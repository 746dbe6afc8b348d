package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** kube-state-metrics of a tenant's stack: its Role and binding exist while it runs. */
public class KubeStateMetricsNamespaced implements Condition<Object, MonitoringStack> {
  @Override
  public boolean isMet(
      DependentResource<Object, MonitoringStack> dependent,
      MonitoringStack stack,
      Context<MonitoringStack> context) {
    return StackDiscoveryJobs.kubeStateMetrics(stack)
        && !KubeStateMetricsClusterRole.clusterWide(stack, context);
  }
}
