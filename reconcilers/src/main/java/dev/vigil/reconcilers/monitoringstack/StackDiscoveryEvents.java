package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.state.MonitoringState;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;

/**
 * Tells a stack's reconciler that discovery changed what the stack selects or scrapes (a monitor
 * created, edited, deleted; a policy; a namespace's labels), at most once per {@link #WINDOW} and
 * stack: the first change of a quiet stack goes at once, so a single edit is not delayed; the
 * others of its window become one event at the window's end, so the last change always arrives.
 *
 * <p>Each stack reconcile renders every shard's configuration and rewrites the config Secrets whose
 * text changed, and each rewrite makes every replica of the shard reload Prometheus. Without the
 * window a burst of monitor edits (a GitOps sync of a thousand monitors, say) rewrote each Secret
 * once per reconcile the stack could run, 40 to 50 times per 1,000 edits (docs/performance.md);
 * with it, at most once per window while the burst lasts, and once after.
 */
final class StackDiscoveryEvents extends SimpleInboundEventSource<MonitoringStack> {
  /** The shortest time between two discovery events for one stack. */
  static final Duration WINDOW = Duration.ofSeconds(2);

  StackDiscoveryEvents(MonitoringState state) {
    this(state, WINDOW);
  }

  StackDiscoveryEvents(MonitoringState state, Duration window) {
    super("discovery");
    OncePerWindow oncePerWindow = new OncePerWindow(window, this::propagateEvent);
    state.onChange(
        changed -> {
          // Exactly this kind: prometheus-operator objects read as Vigil's are not ours.
          if (changed.getClass() == MonitoringStack.class) {
            oncePerWindow.offer(ResourceID.fromResource(changed));
          }
        });
  }
}
