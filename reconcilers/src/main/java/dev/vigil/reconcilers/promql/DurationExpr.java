package dev.vigil.reconcilers.promql;

import java.util.List;

/**
 * A duration in a range, a subquery step or an offset: a literal ({@code 5m}, {@code 300}, {@code
 * -1h}), or, as Prometheus 3 accepts, arithmetic on durations ({@code [5m + 1m]}, {@code [step() *
 * 2]}, {@code [max_of(1m, step())]}).
 */
public sealed interface DurationExpr permits DurationExpr.Literal, DurationExpr.Compound {

  /** A literal duration in seconds (negative only in offsets). */
  record Literal(double seconds, int pos) implements DurationExpr {}

  /**
   * An operation: {@code op} is one of {@code + - * / % ^} (binary, or unary {@code -}/{@code +}
   * with one operand), {@code step}, {@code range} (no operand), {@code max_of}, {@code min_of}
   * (two), or {@code ()} (parentheses, one).
   */
  record Compound(String op, List<DurationExpr> operands, int pos) implements DurationExpr {}

  int pos();
}
