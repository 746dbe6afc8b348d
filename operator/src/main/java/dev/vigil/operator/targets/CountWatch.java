package dev.vigil.operator.targets;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps each object's status following what discovery knows of it: every answer a reconcile reads
 * (a stack's or monitor's targets, a monitor's port problems) is remembered with a way to compute
 * it again, and {@link #check} tells the object's reconciler when the answer now differs from the
 * one its last reconcile read. Comparing with what the reconcile read, not with what was last told,
 * means a reconcile that ran in the middle of a burst is always followed by one that sees the end
 * of it; and an object whose answers stay the same is never reconciled again. Thread-safe.
 */
final class CountWatch {
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  /** One answer as a reconcile read it. */
  private record Read(String object, Supplier<Object> recompute, Object value) {}

  /**
   * Remembers that the reconcile of {@code object} read {@code value} under {@code name}, and how
   * to compute it again.
   *
   * @return {@code value}
   */
  <T> T read(String object, String name, T value, Supplier<Object> recompute) {
    reads.put(object + " " + name, new Read(object, recompute, value));
    return value;
  }

  /**
   * Tells {@code changed} the key of every object one of whose answers differs from what its
   * reconcile read, once per difference.
   */
  void check(Consumer<String> changed) {
    for (Map.Entry<String, Read> entry : reads.entrySet()) {
      Read read = entry.getValue();
      Object now;
      try {
        now = read.recompute().get();
      } catch (RuntimeException e) {
        // An object the schema never checked: its own reconcile reports what is wrong with it.
        continue;
      }
      if (!Objects.equals(now, read.value())) {
        // Told once: the reconcile it causes reads the answer again.
        reads.replace(entry.getKey(), read, new Read(read.object(), read.recompute(), now));
        changed.accept(read.object());
      }
    }
  }

  /** Forgets an object that is gone. */
  void forget(String object) {
    reads.keySet().removeIf(key -> key.startsWith(object + " "));
  }
}
