package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** kube-state-metrics runs while the stack enables it; turning it off deletes it. */
public class KubeStateMetricsEnabled implements Condition<Object, MonitoringStack> {
  @Override
  public boolean isMet(
      DependentResource<Object, MonitoringStack> dependent,
      MonitoringStack stack,
      Context<MonitoringStack> context) {
    return StackDiscoveryJobs.kubeStateMetrics(stack);
  }
}
