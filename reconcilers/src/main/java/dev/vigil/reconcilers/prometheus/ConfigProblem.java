package dev.vigil.reconcilers.prometheus;

/**
 * Why part of a stack's configuration (one monitor, one remote write) cannot be rendered. Thrown
 * while that part is built and caught around it, so the rest of the configuration is unaffected.
 */
final class ConfigProblem extends RuntimeException {
  ConfigProblem(String message) {
    super(message, null, false, false);
  }
}
