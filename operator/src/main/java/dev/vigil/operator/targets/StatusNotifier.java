package dev.vigil.operator.targets;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the reconcilers of Vigil's own stacks and monitors when what their status says may be out
 * of date: at once when their selection changed, and within {@link #COUNT_PERIOD} when an answer
 * their last reconcile read (targets, port problems) now differs ({@link CountWatch}). Never of
 * prometheus-operator's objects: no reconciler runs for them. Thread-safe.
 */
final class StatusNotifier implements AutoCloseable {
  /**
   * How often target counts are compared with what reconcilers last saw. Counts feed only status,
   * so a few seconds of lag is fine, and bursts of pod changes cause one status write, not many.
   */
  static final Duration COUNT_PERIOD = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(StatusNotifier.class);

  private final CountWatch counts = new CountWatch();
  private final Function<String, HasMetadata> objects;
  private final List<Consumer<HasMetadata>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService counter =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "vigil-target-counts");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param objects the stack or monitor stored under a key the answers were read for, or null
   */
  StatusNotifier(Function<String, HasMetadata> objects) {
    this.objects = objects;
  }

  void add(Consumer<HasMetadata> listener) {
    listeners.add(listener);
  }

  /** Starts comparing the answers read with what they are now, every {@link #COUNT_PERIOD}. */
  void start() {
    counter.scheduleWithFixedDelay(
        this::tellChangedCounts,
        COUNT_PERIOD.toMillis(),
        COUNT_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** An answer a reconcile of the object under {@code key} read: see {@link CountWatch#read}. */
  <T> T read(String key, String name, T value, Supplier<Object> recompute) {
    return counts.read(key, name, value, recompute);
  }

  /** Forgets the answers read for an object that is gone. */
  void forget(String key) {
    counts.forget(key);
  }

  /** Tells the listeners that {@code changed} must be reconciled again. */
  void tell(HasMetadata changed) {
    if (PrometheusOperatorObjects.isFrom(changed)) {
      return; // not ours: no reconciler, no status
    }
    for (Consumer<HasMetadata> listener : listeners) {
      try {
        listener.accept(changed);
      } catch (RuntimeException e) {
        LOG.warn("a listener failed on {}", Cache.metaNamespaceKeyFunc(changed), e);
      }
    }
  }

  private void tellChangedCounts() {
    try {
      counts.check(
          key -> {
            HasMetadata object = objects.apply(key);
            if (object != null) {
              tell(object);
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("comparing target counts failed", e);
    }
  }

  @Override
  public void close() {
    counter.shutdownNow();
  }
}
