package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OncePerWindowTest {
  static final Duration WINDOW = Duration.ofMillis(400);
  final List<ResourceID> sent = new CopyOnWriteArrayList<>();
  final OncePerWindow events = new OncePerWindow(WINDOW, sent::add);
  final ResourceID a = new ResourceID("a", "ns");
  final ResourceID b = new ResourceID("b", "ns");

  @Test
  void aBurstIsOneEventNowAndOneAtTheWindowsEndPerObject() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      events.offer(a);
    }
    events.offer(b);
    assertThat(sent).containsExactly(a, b);
    Thread.sleep(WINDOW.toMillis() / 2);
    assertThat(sent).as("nothing more inside the window").containsExactly(a, b);
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 3);
    assertThat(sent).containsExactly(a, b, a);
    Thread.sleep(WINDOW.toMillis() * 2);
    assertThat(sent).as("one trailing event, not one per offer").hasSize(3);
  }

  @Test
  void aQuietObjectsNextEventGoesAtOnce() throws InterruptedException {
    events.offer(a);
    Thread.sleep(WINDOW.toMillis() + 100);
    events.offer(a);
    assertThat(sent).containsExactly(a, a);
  }
}
