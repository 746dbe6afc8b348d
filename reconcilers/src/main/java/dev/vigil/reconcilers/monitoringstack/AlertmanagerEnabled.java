package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Alertmanager's objects exist only while the stack enables it; turning it off deletes them. */
public class AlertmanagerEnabled implements Condition<Object, MonitoringStack> {
  @Override
  public boolean isMet(
      DependentResource<Object, MonitoringStack> dependent,
      MonitoringStack stack,
      Context<MonitoringStack> context) {
    return AlertmanagerConfigBuilder.enabled(stack);
  }
}
