package dev.vigil.reconcilers.monitors;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.references.ReferenceWatches;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.state.DiscoveryChanges;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import dev.vigil.reconcilers.validation.Validator;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the ServiceMonitor and PodMonitor reconcilers share: after the kind's own checks, the
 * monitor's status says which stacks took it in and how many targets it has ({@link
 * MonitorAcceptance}), with a Warning Event when a stack leaves it out; discovery's changes to its
 * selection or targets, and a change of a Secret or ConfigMap it names, run it again. The targets
 * themselves are served by the operator.
 */
public abstract class MonitorReconciler<M extends CustomResource<?, MonitorStatus>>
    extends ValidatingReconciler<M, MonitorStatus> {
  private final MonitorAcceptance acceptance;
  private final SimpleInboundEventSource<M> discoveryChanges;
  private final ReferenceWatches<M> references = new ReferenceWatches<>();

  protected MonitorReconciler(
      Clock clock,
      MonitoringState state,
      DeploymentSettings settings,
      Class<M> kind,
      Validator<M> validator,
      Supplier<M> emptyMonitor) {
    super(clock, validator, emptyMonitor, MonitorStatus::new);
    this.acceptance = new MonitorAcceptance(state, settings, clock);
    this.discoveryChanges = DiscoveryChanges.of(state, kind);
  }

  @Override
  public List<EventSource<?, M>> prepareEventSources(EventSourceContext<M> context) {
    return List.of(discoveryChanges, references);
  }

  /** No stack can take in an invalid monitor: the ACCEPTED column says False, and why. */
  @Override
  protected void invalid(Conditions conditions, String message) {
    conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_INVALID, message);
  }

  @Override
  protected Readiness act(
      M monitor, Context<M> context, MonitorStatus status, Conditions conditions) {
    ReferencedValues values = new ReferencedValues(context.getClient());
    Readiness ready = acceptance.judge(monitor, monitor.getStatus(), status, conditions, values);
    // A Secret the monitor names that appears, changes or goes judges it again within seconds.
    references.watch(context, monitor, values.objectsRead());
    if (MonitorAcceptance.REASON_REJECTED.equals(ready.reason())
        || MonitorAcceptance.REASON_UNKNOWN_PORT.equals(ready.reason())) {
      warnOnce(monitor, context, ready.reason(), ready.message());
    }
    return ready;
  }
}
