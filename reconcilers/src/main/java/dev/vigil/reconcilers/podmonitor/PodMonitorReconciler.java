package dev.vigil.reconcilers.podmonitor;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
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
    List<PodMetricsEndpoint> endpoints = monitor.getSpec().podMetricsEndpoints;
    for (int i = 0; endpoints != null && i < endpoints.size(); i++) {
      PodMetricsEndpoint endpoint = endpoints.get(i);
      String path = "spec.podMetricsEndpoints[" + i + "]";
      problems.addAll(RelabelValidator.problems(path + ".relabelings", endpoint.relabelings));
      problems.addAll(
          RelabelValidator.problems(path + ".metricRelabelings", endpoint.metricRelabelings));
    }
    return problems;
  }

  @Override
  protected String pendingMessage(PodMonitor monitor) {
    return "The spec is valid; no MonitoringStack has taken this monitor in yet.";
  }
}
