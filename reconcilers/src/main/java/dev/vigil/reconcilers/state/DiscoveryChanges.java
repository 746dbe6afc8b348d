package dev.vigil.reconcilers.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;

/**
 * The event source through which a reconciler hears that the operator's discovery changed what it
 * knows of one of its objects (a stack's selection, a monitor's targets), so it runs again.
 */
public final class DiscoveryChanges {
  private DiscoveryChanges() {}

  public static <R extends HasMetadata> SimpleInboundEventSource<R> of(
      MonitoringState state, Class<R> kind) {
    SimpleInboundEventSource<R> events = new SimpleInboundEventSource<>("discovery");
    state.onChange(
        changed -> {
          // Exactly this kind: prometheus-operator objects read as Vigil's are not ours.
          if (changed.getClass() == kind) {
            events.propagateEvent(ResourceID.fromResource(changed));
          }
        });
    return events;
  }
}
