package dev.vigil.reconcilers.discovery;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One shared {@code String} per label name. Names such as {@code
 * __meta_kubernetes_pod_label_app_kubernetes_io_name} are built afresh for every target of every
 * job; on a big cluster those copies were a third of the targets' heap. A name no target uses any
 * more is forgotten with its last target. Not thread-safe: each {@link DiscoveryIndex} has its own,
 * used under its lock.
 */
final class LabelNames {
  private final Map<String, WeakReference<String>> names = new WeakHashMap<>();

  /** The shared instance equal to {@code name}; {@code name} itself the first time. */
  String canonical(String name) {
    WeakReference<String> known = names.get(name);
    String shared = known == null ? null : known.get();
    if (shared != null) {
      return shared;
    }
    names.put(name, new WeakReference<>(name));
    return name;
  }
}
