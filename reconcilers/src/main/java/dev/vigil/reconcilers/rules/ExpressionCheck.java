package dev.vigil.reconcilers.rules;

import java.util.Optional;

/** Whether a rule's PromQL expression would load in Prometheus; why not when it would not. */
@FunctionalInterface
public interface ExpressionCheck {
  /**
   * @return the problem, with its position in the expression, or empty when the expression is valid
   *     for a rule
   */
  Optional<String> problem(String expression);
}
