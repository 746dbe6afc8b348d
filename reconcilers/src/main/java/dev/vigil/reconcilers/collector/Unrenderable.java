package dev.vigil.reconcilers.collector;

/**
 * Why part of a pipeline's configuration (one exporter, one tail-sampling policy) cannot be
 * rendered. Thrown while that part is built and caught around it, so the rest is unaffected.
 */
final class Unrenderable extends RuntimeException {
  Unrenderable(String message) {
    super(message, null, false, false);
  }
}
