package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of discovery changes (monitor edits) gives each stack one reconcile at once and one at
 * the end of each window, never one per change, and the last change always reaches the stack.
 */
class StackDiscoveryEventsTest {
  static final Duration WINDOW = Duration.ofMillis(500);
  final FixedMonitoringState state = new FixedMonitoringState();
  final StackDiscoveryEvents events = new StackDiscoveryEvents(state, WINDOW);
  final List<ResourceID> reconciles = new CopyOnWriteArrayList<>();
  volatile long lastEventNanos;
  final MonitoringStack stack = named(new MonitoringStack(), "a");
  final MonitoringStack other = named(new MonitoringStack(), "b");

  @BeforeEach
  void start() {
    events.setEventHandler(
        event -> {
          if (event.getRelatedCustomResourceID().equals(ResourceID.fromResource(stack))) {
            lastEventNanos = System.nanoTime();
          }
          reconciles.add(event.getRelatedCustomResourceID());
        });
    events.start();
  }

  @Test
  void aSingleChangeGoesAtOnce() {
    state.changed(stack);
    assertThat(reconciles).containsExactly(ResourceID.fromResource(stack));
  }

  @Test
  void aBurstCostsEachStackOneEventPerWindowAndTheLastArrives() throws InterruptedException {
    long start = System.nanoTime();
    // 2,000 changes over 4 windows, to two stacks.
    long lastStackChange = 0;
    for (int i = 0; i < 2000; i++) {
      if (i % 2 == 0) {
        lastStackChange = System.nanoTime();
      }
      state.changed(i % 2 == 0 ? stack : other);
      Thread.sleep(1);
    }
    long lastChange = System.nanoTime();
    long sentMillis = (lastChange - start) / 1_000_000;
    // The trailing event of the last window arrives within a window of the last change.
    await()
        .atMost(WINDOW.multipliedBy(3))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> settled(sentMillis));
    long forStack = reconciles.stream().filter(ResourceID.fromResource(stack)::equals).count();
    // At most one at once plus one per window begun while changes came (and the trailing one).
    long bound = 2 + sentMillis / WINDOW.toMillis();
    assertThat(forStack)
        .as("events for one stack, %d ms of changes", sentMillis)
        .isBetween(2L, bound);
    assertThat(reconciles.stream().filter(ResourceID.fromResource(other)::equals).count())
        .isBetween(2L, bound);
    assertThat(lastEventNanos)
        .as("an event after the stack's last change")
        .isGreaterThanOrEqualTo(lastStackChange);
  }

  @Test
  void monitorsAreNotStacks() {
    state.changed(named(new ServiceMonitor(), "m"));
    assertThat(reconciles).isEmpty();
  }

  private int seen = -1;

  /** Whether nothing new arrived in the last poll (and the window has passed). */
  private boolean settled(long sentMillis) throws InterruptedException {
    int now = reconciles.size();
    boolean quiet = now == seen;
    seen = now;
    Thread.sleep(WINDOW.toMillis() / 2);
    return quiet && reconciles.size() == now;
  }

  private static <T extends HasMetadata> T named(T object, String name) {
    object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    return object;
  }
}
