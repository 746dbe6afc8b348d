package dev.vigil.reconcilers.alertmanager;

/**
 * Why part of {@code alertmanager.yml} (one AlertPolicy's routing, a setting of the stack) cannot
 * be rendered. Thrown while that part is built and caught around it, so the rest is unaffected.
 */
final class RoutingProblem extends RuntimeException {
  RoutingProblem(String message) {
    super(message, null, false, false);
  }
}
