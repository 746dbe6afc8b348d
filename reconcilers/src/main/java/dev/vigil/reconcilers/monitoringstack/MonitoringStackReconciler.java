package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackStatus;
import dev.vigil.api.v1alpha1.monitoringstack.RemoteWriteSpec;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Reconciles MonitoringStacks: checks them and reports what Vigil makes of them. */
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

  @Override
  protected String pendingMessage(MonitoringStack stack) {
    return "The spec is valid; this Vigil build does not deploy Prometheus yet.";
  }
}
