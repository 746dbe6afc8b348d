package dev.vigil.reconcilers.podmonitor;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
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
 * Reconciles PodMonitors: checks them, and reports which stacks took them in and how many targets
 * they have. The targets themselves are served by the operator's discovery.
 */
// Periodically, as referenced Secrets are read on demand and never watched.
@ControllerConfiguration(
    name = "podmonitor",
    fieldManager = "vigil",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class PodMonitorReconciler extends ValidatingReconciler<PodMonitor, MonitorStatus> {
  private final MonitorAcceptance acceptance;
  private final SimpleInboundEventSource<PodMonitor> discoveryChanges;

  public PodMonitorReconciler(Clock clock, MonitoringState state, DeploymentSettings settings) {
    super(clock, PodMonitor::new, MonitorStatus::new);
    this.acceptance = new MonitorAcceptance(state, settings, clock);
    this.discoveryChanges = DiscoveryChanges.of(state, PodMonitor.class);
  }

  @Override
  public List<EventSource<?, PodMonitor>> prepareEventSources(
      EventSourceContext<PodMonitor> context) {
    return List.of(discoveryChanges);
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
  protected Readiness act(
      PodMonitor monitor,
      Context<PodMonitor> context,
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
