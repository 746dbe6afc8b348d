package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackStatus;
import dev.vigil.api.v1alpha1.monitoringstack.RemoteWriteSpec;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Reconciles MonitoringStacks: checks them and reports what Vigil makes of them. */
@Workflow(
    explicitInvocation = true,
    dependents = {@Dependent(type = ServiceDiscoveryTokenSecret.class)})
@ControllerConfiguration(name = "monitoringstack", fieldManager = "vigil")
public class MonitoringStackReconciler
    extends ValidatingReconciler<MonitoringStack, MonitoringStackStatus> {
  public MonitoringStackReconciler(Clock clock) {
    super(clock, MonitoringStack::new, MonitoringStackStatus::new);
  }

  @Override
  protected List<String> validate(MonitoringStack stack) {
    List<String> problems = new ArrayList<>();
    List<RemoteWriteSpec> remoteWrite =
        stack.getSpec().scraper == null ? null : stack.getSpec().scraper.remoteWrite;
    for (int i = 0; remoteWrite != null && i < remoteWrite.size(); i++) {
      problems.addAll(
          RelabelValidator.problems(
              "spec.scraper.remoteWrite[" + i + "].writeRelabelConfigs",
              remoteWrite.get(i).writeRelabelConfigs));
    }
    return problems;
  }

  /** The workflow runs only for a valid stack, so a bad spec never deploys anything. */
  @Override
  protected void act(MonitoringStack stack, Context<MonitoringStack> context) {
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
  }

  @Override
  protected String pendingMessage(MonitoringStack stack) {
    return "The spec is valid; this Vigil build does not deploy Prometheus yet (only the service"
        + " discovery token Secret).";
  }
}
