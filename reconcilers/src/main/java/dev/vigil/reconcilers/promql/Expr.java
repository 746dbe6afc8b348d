package dev.vigil.reconcilers.promql;

import java.util.List;
import java.util.Optional;

/**
 * A parsed PromQL expression. Every node keeps {@code pos}, the offset of its first character in
 * the input (0-based, in chars), which {@link ParseError} turns into a line and column; a vector
 * selector also keeps {@code end}, the offset just past its name or closing brace, so that a
 * rewrite can edit the input in place ({@link LabelEnforcer}).
 */
public sealed interface Expr
    permits Expr.NumberLiteral,
        Expr.StringLiteral,
        Expr.VectorSelector,
        Expr.MatrixSelector,
        Expr.SubqueryExpr,
        Expr.UnaryExpr,
        Expr.BinaryExpr,
        Expr.AggregateExpr,
        Expr.Call,
        Expr.ParenExpr {

  /** The type of the value this expression evaluates to. */
  ValueType type();

  /** Offset of the expression's first character in the input. */
  int pos();

  /**
   * A number: decimal, hexadecimal, scientific, {@code Inf}/{@code NaN}, or a duration used as a
   * number of seconds ({@code 5m} is 300).
   */
  record NumberLiteral(double value, boolean duration, int pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  /** A string literal, unquoted. */
  record StringLiteral(String value, int pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /**
   * The {@code @} modifier: a timestamp in seconds, or {@code start()} / {@code end()} of the
   * query's range.
   */
  record At(Kind kind, double timestamp) {
    public enum Kind {
      TIMESTAMP,
      START,
      END
    }

    public static At start() {
      return new At(Kind.START, 0);
    }

    public static At end() {
      return new At(Kind.END, 0);
    }
  }

  /**
   * A selection of instant vectors. {@code name} is empty when the selector has only braces; the
   * metric name, when given before the braces, is also the last matcher (as in Prometheus). {@code
   * anchored} and {@code smoothed} are Prometheus 3's range selector modifiers. {@code pos} and
   * {@code end} delimit the name and braces in the input ({@code end} exclusive), without the
   * modifiers ({@code offset}, {@code @}, a range) that may follow.
   */
  record VectorSelector(
      String name,
      List<LabelMatcher> matchers,
      Optional<DurationExpr> offset,
      Optional<At> at,
      boolean anchored,
      boolean smoothed,
      int pos,
      int end)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.INSTANT_VECTOR;
    }

    VectorSelector withOffset(DurationExpr newOffset) {
      return new VectorSelector(
          name, matchers, Optional.of(newOffset), at, anchored, smoothed, pos, end);
    }

    VectorSelector withAt(At newAt) {
      return new VectorSelector(
          name, matchers, offset, Optional.of(newAt), anchored, smoothed, pos, end);
    }

    VectorSelector withAnchored(boolean newAnchored, boolean newSmoothed) {
      return new VectorSelector(name, matchers, offset, at, newAnchored, newSmoothed, pos, end);
    }
  }

  /** A range vector selector: {@code selector[range]}, the modifiers being the selector's. */
  record MatrixSelector(VectorSelector selector, DurationExpr range, int pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.RANGE_VECTOR;
    }
  }

  /** {@code expr[range:step]}; {@code step} is empty when the default resolution is used. */
  record SubqueryExpr(
      Expr expr,
      DurationExpr range,
      Optional<DurationExpr> step,
      Optional<DurationExpr> offset,
      Optional<At> at,
      int pos)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.RANGE_VECTOR;
    }
  }

  /** {@code -expr} or {@code +expr} (on a number literal the sign is folded into the number). */
  record UnaryExpr(Operator op, Expr expr, int pos) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /**
   * {@code lhs op rhs}. {@code matching} is empty unless both sides are instant vectors; set
   * operators always match many-to-many.
   */
  record BinaryExpr(
      Operator op,
      Expr lhs,
      Expr rhs,
      boolean returnBool,
      Optional<VectorMatching> matching,
      int pos,
      int opPos)
      implements Expr {
    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.INSTANT_VECTOR;
    }
  }

  /** How the two sides of a binary expression between instant vectors are matched. */
  record VectorMatching(
      Cardinality cardinality, boolean on, List<String> matchingLabels, List<String> include) {
    public enum Cardinality {
      ONE_TO_ONE,
      MANY_TO_ONE,
      ONE_TO_MANY,
      MANY_TO_MANY
    }
  }

  /**
   * {@code op [by|without (labels)] ([param,] expr)}; {@code param} is set for {@code topk}, {@code
   * bottomk}, {@code quantile}, {@code count_values}, {@code limitk} and {@code limit_ratio}.
   */
  record AggregateExpr(
      Operator op, Expr expr, Optional<Expr> param, List<String> grouping, boolean without, int pos)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.INSTANT_VECTOR;
    }
  }

  /** A function call. */
  record Call(Function function, List<Expr> args, int pos) implements Expr {
    @Override
    public ValueType type() {
      return function.returnType();
    }
  }

  /** {@code (expr)}. */
  record ParenExpr(Expr expr, int pos) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }
}
