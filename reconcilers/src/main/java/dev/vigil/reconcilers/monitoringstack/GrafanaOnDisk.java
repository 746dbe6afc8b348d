package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Grafana with a volume claim template: its PVC. */
public class GrafanaOnDisk implements Condition<Object, MonitoringStack> {
  @Override
  public boolean isMet(
      DependentResource<Object, MonitoringStack> dependent,
      MonitoringStack stack,
      Context<MonitoringStack> context) {
    return GrafanaEnabled.enabled(stack)
        && stack.getSpec().grafana.storage != null
        && stack.getSpec().grafana.storage.volumeClaimTemplate != null;
  }
}
