package dev.vigil.reconcilers.servicemonitor;

import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.monitors.MonitorReconciler;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.status.Quantities;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles ServiceMonitors: checks them, and reports which stacks took them in and how many
 * targets they have. The targets themselves are served by the operator's discovery.
 */
// Periodically, as referenced Secrets are read on demand and never watched.
@ControllerConfiguration(
    name = "servicemonitor",
    fieldManager = "vigil",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class ServiceMonitorReconciler extends MonitorReconciler<ServiceMonitor> {
  public ServiceMonitorReconciler(Clock clock, MonitoringState state, DeploymentSettings settings) {
    super(clock, state, settings, ServiceMonitor.class, ServiceMonitor::new);
  }

  @Override
  protected List<String> validate(ServiceMonitor monitor) {
    List<String> problems = new ArrayList<>();
    if (monitor.getSpec().endpoints == null || monitor.getSpec().endpoints.isEmpty()) {
      return List.of("spec.endpoints is empty: list at least one endpoint to scrape");
    }
    problems.addAll(
        Quantities.problems(
            "spec.nativeHistogramMinBucketFactor",
            monitor.getSpec().nativeHistogramMinBucketFactor));
    for (int i = 0; i < monitor.getSpec().endpoints.size(); i++) {
      problems.addAll(
          RelabelValidator.endpointProblems(
              "spec.endpoints[" + i + "]", monitor.getSpec().endpoints.get(i)));
    }
    return problems;
  }
}
