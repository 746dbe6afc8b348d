package dev.vigil.reconcilers.monitoringstack;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Passes on at most one event per object and window: the first event of a quiet object goes at
 * once, the others of its window become one event at the window's end. So a burst of changes costs
 * an object one reconcile per window, and the last change is never lost.
 */
final class OncePerWindow {
  private final long windowMillis;
  private final Consumer<ResourceID> send;

  /** When each object was last sent an event; only objects inside their window are kept. */
  private final Map<ResourceID, Long> lastSent = new HashMap<>();

  /** Objects with an event waiting for their window to end. */
  private final Set<ResourceID> waiting = new HashSet<>();

  OncePerWindow(Duration window, Consumer<ResourceID> send) {
    this.windowMillis = window.toMillis();
    this.send = send;
  }

  synchronized void offer(ResourceID id) {
    long now = nowMillis();
    lastSent.values().removeIf(sent -> now - sent >= windowMillis);
    Long last = lastSent.get(id);
    if (last == null && !waiting.contains(id)) {
      lastSent.put(id, now);
      send.accept(id);
    } else if (waiting.add(id)) {
      long delay = last == null ? 0 : last + windowMillis - now;
      CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
          .execute(() -> sendWaiting(id));
    }
  }

  private synchronized void sendWaiting(ResourceID id) {
    waiting.remove(id);
    lastSent.put(id, nowMillis());
    send.accept(id);
  }

  private static long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }
}
