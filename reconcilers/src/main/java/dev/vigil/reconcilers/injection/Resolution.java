package dev.vigil.reconcilers.injection;

import java.util.Optional;

/**
 * What a reference to an Instrumentation came to: the Instrumentation, or a sentence saying why
 * there is none and what to fix.
 */
public record Resolution(Optional<ResolvedInstrumentation> found, String problem) {
  public static Resolution of(ResolvedInstrumentation instrumentation) {
    return new Resolution(Optional.of(instrumentation), null);
  }

  public static Resolution missing(String problem) {
    return new Resolution(Optional.empty(), problem);
  }
}
