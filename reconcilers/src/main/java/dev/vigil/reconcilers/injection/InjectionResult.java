package dev.vigil.reconcilers.injection;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * The pod as it should be admitted, and what to tell the user.
 *
 * @param pod a new Pod: the one given, mutated or not; never the argument itself
 * @param warnings admission warnings, each a sentence saying what to fix; empty when all is well
 * @param instrumentedBy {@code <namespace>/<name>} of the Instrumentation the pod carries (injected
 *     now, or before), or empty
 */
public record InjectionResult(Pod pod, List<String> warnings, Optional<String> instrumentedBy) {
  public InjectionResult {
    warnings = List.copyOf(warnings);
  }
}
