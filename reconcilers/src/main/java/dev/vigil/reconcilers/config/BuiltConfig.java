package dev.vigil.reconcilers.config;

import dev.vigil.reconcilers.references.MountedKey;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A configuration a builder made from a stack and the objects it selects, and what it needs
 * mounted.
 *
 * @param config the configuration, ready for its renderer
 * @param mountedKeys every Secret (and ConfigMap) key the configuration reads as a file, at the
 *     path the builder gives it: exactly what the pods must mount
 * @param problems what was left out or replaced, and why, in the order the builder says
 * @param <C> the configuration's model
 */
public record BuiltConfig<C>(
    C config, SortedSet<MountedKey> mountedKeys, List<ObjectProblem> problems) {
  public BuiltConfig {
    mountedKeys = Collections.unmodifiableSortedSet(new TreeSet<>(mountedKeys));
    problems = List.copyOf(problems);
  }
}
