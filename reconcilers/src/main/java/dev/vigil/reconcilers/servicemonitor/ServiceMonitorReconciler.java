package dev.vigil.reconcilers.servicemonitor;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.monitoringstack.DeploymentSettings;
import dev.vigil.reconcilers.monitoringstack.DiscoveryChanges;
import dev.vigil.reconcilers.monitoringstack.MonitorAcceptance;
import dev.vigil.reconcilers.monitoringstack.MonitoringState;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
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
public class ServiceMonitorReconciler extends ValidatingReconciler<ServiceMonitor, MonitorStatus> {
  private final MonitorAcceptance acceptance;
  private final SimpleInboundEventSource<ServiceMonitor> discoveryChanges;

  public ServiceMonitorReconciler(Clock clock, MonitoringState state, DeploymentSettings settings) {
    super(clock, ServiceMonitor::new, MonitorStatus::new);
    this.acceptance = new MonitorAcceptance(state, settings, clock);
    this.discoveryChanges = DiscoveryChanges.of(state, ServiceMonitor.class);
  }

  @Override
  public List<EventSource<?, ServiceMonitor>> prepareEventSources(
      EventSourceContext<ServiceMonitor> context) {
    return List.of(discoveryChanges);
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
  protected Readiness act(
      ServiceMonitor monitor,
      Context<ServiceMonitor> context,
      MonitorStatus status,
      Conditions conditions) {
    Readiness ready =
        acceptance.judge(monitor, monitor.getStatus(), status, conditions, context.getClient());
    if (MonitorAcceptance.REASON_REJECTED.equals(ready.reason())
        || MonitorAcceptance.REASON_UNKNOWN_PORT.equals(ready.reason())) {
      warnOnce(monitor, context, ready.reason(), ready.message());
    }
    return ready;
  }
}
