package dev.vigil.reconcilers.servicemonitor;

import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.monitors.MonitorReconciler;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.validation.ServiceMonitorValidator;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import java.time.Clock;
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
    super(
        clock,
        state,
        settings,
        ServiceMonitor.class,
        new ServiceMonitorValidator(),
        ServiceMonitor::new);
  }
}
