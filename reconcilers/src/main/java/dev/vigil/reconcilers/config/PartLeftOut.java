package dev.vigil.reconcilers.config;

/**
 * Why one part of a configuration (one monitor, one remote write, one AlertPolicy's routing, a
 * setting of the stack) cannot be built. Thrown while that part is built and caught around it, so
 * the rest of the configuration is unaffected; its message becomes an {@link ObjectProblem}'s.
 */
public final class PartLeftOut extends RuntimeException {
  public PartLeftOut(String message) {
    super(message, null, false, false);
  }
}
