package dev.vigil.reconcilers.podmonitor;

import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
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
 * Reconciles PodMonitors: checks them, and reports which stacks took them in and how many targets
 * they have. The targets themselves are served by the operator's discovery.
 */
// Periodically, as referenced Secrets are read on demand and never watched.
@ControllerConfiguration(
    name = "podmonitor",
    fieldManager = "vigil",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class PodMonitorReconciler extends MonitorReconciler<PodMonitor> {
  public PodMonitorReconciler(Clock clock, MonitoringState state, DeploymentSettings settings) {
    super(clock, state, settings, PodMonitor.class, PodMonitor::new);
  }

  @Override
  protected List<String> validate(PodMonitor monitor) {
    List<String> problems = new ArrayList<>();
    if (monitor.getSpec().podMetricsEndpoints == null
        || monitor.getSpec().podMetricsEndpoints.isEmpty()) {
      return List.of("spec.podMetricsEndpoints is empty: list at least one endpoint to scrape");
    }
    problems.addAll(
        Quantities.problems(
            "spec.nativeHistogramMinBucketFactor",
            monitor.getSpec().nativeHistogramMinBucketFactor));
    for (int i = 0; i < monitor.getSpec().podMetricsEndpoints.size(); i++) {
      problems.addAll(
          RelabelValidator.endpointProblems(
              "spec.podMetricsEndpoints[" + i + "]", monitor.getSpec().podMetricsEndpoints.get(i)));
    }
    return problems;
  }
}
