package dev.vigil.reconcilers.podmonitor;

import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.reconcilers.monitors.MonitorReconciler;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.validation.PodMonitorValidator;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import java.time.Clock;
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
    super(clock, state, settings, PodMonitor.class, new PodMonitorValidator(), PodMonitor::new);
  }
}
