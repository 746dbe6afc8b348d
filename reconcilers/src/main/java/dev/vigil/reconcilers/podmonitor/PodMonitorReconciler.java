package dev.vigil.reconcilers.podmonitor;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Reconciles PodMonitors: checks them and reports what Vigil makes of them. */
@ControllerConfiguration(name = "podmonitor", fieldManager = "vigil")
public class PodMonitorReconciler extends ValidatingReconciler<PodMonitor, MonitorStatus> {
  public PodMonitorReconciler(Clock clock) {
    super(clock, PodMonitor::new, MonitorStatus::new);
  }

  @Override
  protected List<String> validate(PodMonitor monitor) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < monitor.getSpec().podMetricsEndpoints.size(); i++) {
      problems.addAll(
          RelabelValidator.endpointProblems(
              "spec.podMetricsEndpoints[" + i + "]", monitor.getSpec().podMetricsEndpoints.get(i)));
    }
    return problems;
  }

  @Override
  protected String pendingMessage(PodMonitor monitor) {
    return "The spec is valid; no MonitoringStack has taken this monitor in yet.";
  }
}
