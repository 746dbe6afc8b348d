package dev.vigil.reconcilers.rules;

import dev.vigil.reconcilers.promql.ParseError;
import dev.vigil.reconcilers.promql.PromQL;
import java.util.Optional;

/**
 * The expression check the operator runs: Vigil's PromQL parser, which judges an expression as
 * {@code promtool check rules} does and also refuses one whose value is a range vector or a string
 * (see {@code docs/promql.md}). A problem reads as Prometheus prints it: {@code 1:6: parse error:
 * expected type range vector in call to function "rate", got instant vector}.
 */
public final class PromQLExpressionCheck implements ExpressionCheck {
  @Override
  public Optional<String> problem(String expression) {
    return PromQL.checkRule(expression).map(ParseError::toString);
  }
}
