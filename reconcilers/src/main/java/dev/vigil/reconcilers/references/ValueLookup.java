package dev.vigil.reconcilers.references;

import java.util.Optional;

/** Reads a Secret or ConfigMap key; empty when the object or key does not exist. */
@FunctionalInterface
public interface ValueLookup {
  Optional<String> value(MountedKey key);
}
