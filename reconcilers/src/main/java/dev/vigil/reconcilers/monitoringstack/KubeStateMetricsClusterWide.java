package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * kube-state-metrics of a platform stack: its ClusterRole and binding exist while it runs; for a
 * tenant's stack they do not, and the Role in the stack's namespace stands in.
 */
public class KubeStateMetricsClusterWide implements Condition<Object, MonitoringStack> {
  @Override
  public boolean isMet(
      DependentResource<Object, MonitoringStack> dependent,
      MonitoringStack stack,
      Context<MonitoringStack> context) {
    return StackDiscoveryJobs.kubeStateMetrics(stack)
        && KubeStateMetricsClusterRole.clusterWide(stack, context);
  }
}
