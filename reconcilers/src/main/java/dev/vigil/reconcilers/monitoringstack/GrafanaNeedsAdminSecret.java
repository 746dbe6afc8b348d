package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Grafana is on and the stack names no admin Secret of its own: Vigil makes one. */
public class GrafanaNeedsAdminSecret implements Condition<Object, MonitoringStack> {
  @Override
  public boolean isMet(
      DependentResource<Object, MonitoringStack> dependent,
      MonitoringStack stack,
      Context<MonitoringStack> context) {
    return GrafanaEnabled.enabled(stack)
        && GrafanaAdminSecret.inUse(stack).equals(GrafanaAdminSecret.name(stack));
  }
}
