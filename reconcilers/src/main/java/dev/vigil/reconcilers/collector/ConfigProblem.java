package dev.vigil.reconcilers.collector;

/**
 * What a builder left out or replaced, and why.
 *
 * @param field the place in the pipeline, e.g. {@code spec.exporters.otlp[0]}
 * @param message what is wrong and what Vigil did about it; says what to fix
 */
public record ConfigProblem(String field, String message) {
  /** {@code <field>: <message>}, for conditions and Events. */
  public String describe() {
    return field + ": " + message;
  }
}
