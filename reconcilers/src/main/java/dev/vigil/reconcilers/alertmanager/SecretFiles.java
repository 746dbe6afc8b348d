package dev.vigil.reconcilers.alertmanager;

import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Turns the Secret references of one object (an AlertPolicy's routing, the stack's Alertmanager
 * settings) into the file paths of {@link AlertmanagerConfigBuilder#path}, remembering every key it
 * used. One instance per object: when the object is rejected its keys are dropped with it, so
 * Alertmanager mounts exactly what its configuration reads.
 */
final class SecretFiles {
  private final String namespace;
  private final Predicate<MountedKey> exists;
  private final SortedSet<MountedKey> used = new TreeSet<>();

  /**
   * @param namespace the namespace every reference of the object resolves in
   * @param exists whether a referenced key exists
   */
  SecretFiles(String namespace, Predicate<MountedKey> exists) {
    this.namespace = namespace;
    this.exists = exists;
  }

  /** The keys referenced so far, in order. */
  SortedSet<MountedKey> used() {
    return Collections.unmodifiableSortedSet(used);
  }

  /** The file holding a Secret key; a missing or invalid reference is a problem. */
  String file(SecretKeySelector selector, String field) {
    if (selector == null) {
      throw new PartLeftOut(field + ": a Secret key reference is required");
    }
    MountedKey key;
    try {
      key = MountedKey.secret(namespace, selector.getName(), selector.getKey());
    } catch (IllegalArgumentException e) {
      throw new PartLeftOut(field + ": " + e.getMessage());
    }
    if (!exists.test(key)) {
      throw new PartLeftOut(field + ": " + key.describe() + " does not exist");
    }
    used.add(key);
    return AlertmanagerConfigBuilder.path(key);
  }
}
