package dev.vigil.reconcilers.servicemonitor;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Reconciles ServiceMonitors: checks them and reports what Vigil makes of them. */
@ControllerConfiguration(name = "servicemonitor", fieldManager = "vigil")
public class ServiceMonitorReconciler extends ValidatingReconciler<ServiceMonitor, MonitorStatus> {
  public ServiceMonitorReconciler(Clock clock) {
    super(clock, ServiceMonitor::new, MonitorStatus::new);
  }

  @Override
  protected List<String> validate(ServiceMonitor monitor) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < monitor.getSpec().endpoints.size(); i++) {
      problems.addAll(
          RelabelValidator.endpointProblems(
              "spec.endpoints[" + i + "]", monitor.getSpec().endpoints.get(i)));
    }
    return problems;
  }

  @Override
  protected String pendingMessage(ServiceMonitor monitor) {
    return "The spec is valid; no MonitoringStack has taken this monitor in yet.";
  }
}
