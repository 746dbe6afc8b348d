package dev.vigil.operator.servicediscovery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The rendered answers the server holds, by request, shared between requests whose answer has the
 * same version: {@link JobTargets} versions name contents ({@link JobTargets.Versioned}), so stacks
 * whose shards are served the same targets (the same monitors, relabeling and shard count) hold and
 * render one body, not one each. A body is forgotten when no request holds it. Reads are lock-free;
 * writes are serialized. Thread-safe.
 */
final class RenderedBodies<K, B extends RenderedBodies.Versioned> {
  /** What is kept: a body with its version. */
  interface Versioned {
    long version();
  }

  private final Map<K, B> byKey = new ConcurrentHashMap<>();
  private final Map<Long, B> byVersion = new ConcurrentHashMap<>();
  private final Map<Long, Integer> holders = new HashMap<>();

  B get(K key) {
    return byKey.get(key);
  }

  /** The body some request already holds for this version, or null. */
  B ofVersion(long version) {
    return byVersion.get(version);
  }

  synchronized void put(K key, B body) {
    B before = byKey.put(key, body);
    if (before == body) {
      return;
    }
    holders.merge(body.version(), 1, Integer::sum);
    byVersion.putIfAbsent(body.version(), body);
    if (before != null) {
      release(before);
    }
  }

  synchronized void remove(K key) {
    B before = byKey.remove(key);
    if (before != null) {
      release(before);
    }
  }

  synchronized void removeIf(Predicate<K> which) {
    for (K key : List.copyOf(byKey.keySet())) {
      if (which.test(key)) {
        remove(key);
      }
    }
  }

  int size() {
    return byKey.size();
  }

  private void release(B body) {
    Integer left = holders.computeIfPresent(body.version(), (v, n) -> n == 1 ? null : n - 1);
    if (left == null) {
      byVersion.remove(body.version());
    }
  }
}
