package dev.vigil.reconcilers.promql;

import java.util.Optional;

/**
 * Vigil's PromQL parser: the language of Prometheus 3, checked as {@code promtool check rules}
 * checks it, so a bad expression is reported on its AlertPolicy instead of breaking the Prometheus
 * that loads it.
 *
 * <pre>{@code
 * Expr e = PromQL.parse("sum by (job) (rate(http_requests_total[5m]))");
 * e.type();                                   // INSTANT_VECTOR
 * PromQL.check("rate(x)");                    // 1:6: parse error: expected type range vector ...
 * }</pre>
 *
 * <p>As promtool does by default, experimental functions and aggregations ({@code limitk}, {@code
 * sort_by_label}, {@code info}, ...) and the experimental binop {@code fill} and {@code
 * anchored}/{@code smoothed} modifiers are refused, while duration arithmetic in ranges and offsets
 * ({@code [5m + step()]}) is accepted. {@link #parse(String, boolean)} accepts the experimental
 * functions, as {@code --enable-feature=promql-experimental-functions} does.
 *
 * <p>Pure and thread-safe: no state is kept between calls.
 */
public final class PromQL {
  private PromQL() {}

  /** Parses and type-checks an expression. */
  public static Expr parse(String expression) {
    return Parser.parse(expression, false);
  }

  /** Parses and type-checks an expression, accepting experimental functions if asked. */
  public static Expr parse(String expression, boolean experimentalFunctions) {
    return Parser.parse(expression, experimentalFunctions);
  }

  /** The first error of an expression, as promtool would report it; empty if it is valid. */
  public static Optional<ParseError> check(String expression) {
    try {
      Parser.parse(expression, false);
      return Optional.empty();
    } catch (PromQLException e) {
      return Optional.of(e.error());
    }
  }

  /**
   * The expression with {@code label="value"} added to every vector selector, inserted into the
   * expression's text so its formatting and comments stay (see {@link LabelEnforcer}). Every
   * selector keeps its own matchers, an existing one on {@code label} included, so the result
   * selects a subset of what the expression did.
   *
   * <pre>{@code
   * PromQL.enforceLabel("sum by (pod) (rate(x{job=\"a\"}[5m]))", "namespace", "shop")
   *   // sum by (pod) (rate(x{job="a", namespace="shop"}[5m]))
   * }</pre>
   *
   * @throws PromQLException when the expression does not parse
   */
  public static String enforceLabel(String expression, String label, String value) {
    return LabelEnforcer.enforce(expression, label, value);
  }

  /**
   * Whether an expression can be the {@code expr} of an alerting or recording rule. On top of
   * {@link #check}, its value must be an instant vector or a scalar: promtool accepts a rule whose
   * expression is a range vector or a string, but Prometheus then fails every evaluation of it
   * ("rule result is not a vector or scalar"), so Vigil refuses it up front.
   */
  public static Optional<ParseError> checkRule(String expression) {
    Expr e;
    try {
      e = Parser.parse(expression, false);
    } catch (PromQLException ex) {
      return Optional.of(ex.error());
    }
    ValueType t = e.type();
    if (t != ValueType.INSTANT_VECTOR && t != ValueType.SCALAR) {
      return Optional.of(
          ParseError.at(
              expression,
              e.pos(),
              "a rule's expression must evaluate to an instant vector or a scalar, got "
                  + t.documented()));
    }
    return Optional.empty();
  }
}
