package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Grafana runs while the stack enables it; turning it off deletes it. */
public class GrafanaEnabled implements Condition<Object, MonitoringStack> {
  @Override
  public boolean isMet(
      DependentResource<Object, MonitoringStack> dependent,
      MonitoringStack stack,
      Context<MonitoringStack> context) {
    return enabled(stack);
  }

  static boolean enabled(MonitoringStack stack) {
    return stack.getSpec().grafana != null && Boolean.TRUE.equals(stack.getSpec().grafana.enabled);
  }
}
