package dev.vigil.reconcilers.robustness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per object, the reconciles JOSDK starts and the ones that ended in an exception (handled
 * by {@code updateErrorStatus} or not: JOSDK reports both as failed), for tests that bound them.
 */
public final class ReconcileCounter implements Metrics {
  private final Map<String, AtomicInteger> reconciles = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong lastFailureAt = new AtomicLong();

  /** JOSDK retries a failed reconcile after up to about 10 s (2 s, growing 1.5 times). */
  static final long RETRY_WINDOW_MILLIS = 12_000;

  /** kind/namespace/name, as this counter keys objects. */
  public static String key(HasMetadata object) {
    return object.getKind()
        + "/"
        + object.getMetadata().getNamespace()
        + "/"
        + object.getMetadata().getName();
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    reconciles.computeIfAbsent(key(resource), k -> new AtomicInteger()).incrementAndGet();
    total.incrementAndGet();
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    inFlight.incrementAndGet();
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    inFlight.decrementAndGet();
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    lastFailureAt.set(System.currentTimeMillis());
    StackTraceElement[] at = exception.getStackTrace();
    failures.add(
        key(resource) + ": " + exception + " at " + List.of(at).subList(0, Math.min(6, at.length)));
  }

  public long total() {
    return total.get();
  }

  public int of(String key) {
    AtomicInteger count = reconciles.get(key);
    return count == null ? 0 : count.get();
  }

  /** Every object's count, sorted by key. */
  public Map<String, Integer> perObject() {
    Map<String, Integer> counts = new TreeMap<>();
    reconciles.forEach((key, count) -> counts.put(key, count.get()));
    return counts;
  }

  /** The {@code limit} objects reconciled most since {@code before}, as key=count. */
  public static List<String> busiest(
      Map<String, Integer> now, Map<String, Integer> before, int limit) {
    return now.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0)))
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(limit)
        .map(e -> e.getKey() + "=" + e.getValue())
        .toList();
  }

  public List<String> failures() {
    return new ArrayList<>(failures);
  }

  /**
   * Waits until no reconcile started or ran for {@code quiet} milliseconds and none is due for a
   * retry; false when that did not happen within {@code atMost} milliseconds (a hot loop, or a load
   * too slow to settle).
   */
  public boolean awaitQuiet(long quiet, long atMost) throws InterruptedException {
    long deadline = System.currentTimeMillis() + atMost;
    long seen = total();
    long quietSince = System.currentTimeMillis();
    long started = System.currentTimeMillis();
    long lastReport = started;
    Map<String, Integer> before = perObject();
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      long now = total();
      if (System.currentTimeMillis() - lastReport >= 10_000) {
        lastReport = System.currentTimeMillis();
        Map<String, Integer> counts = perObject();
        System.out.printf(
            "waiting for reconciles to stop: %d after %d s; busiest since: %s%n",
            now, (lastReport - started) / 1000, busiest(counts, before, 5));
        before = counts;
      }
      if (now != seen || inFlight.get() > 0) {
        seen = now;
        quietSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - quietSince >= quiet
          && System.currentTimeMillis() - lastFailureAt.get() >= RETRY_WINDOW_MILLIS) {
        return true; // nothing started, nothing running, no retry due
      }
    }
    return false;
  }
}
