package dev.vigil.reconcilers.promql;

import dev.vigil.reconcilers.promql.Expr.AggregateExpr;
import dev.vigil.reconcilers.promql.Expr.BinaryExpr;
import dev.vigil.reconcilers.promql.Expr.Call;
import dev.vigil.reconcilers.promql.Expr.MatrixSelector;
import dev.vigil.reconcilers.promql.Expr.NumberLiteral;
import dev.vigil.reconcilers.promql.Expr.ParenExpr;
import dev.vigil.reconcilers.promql.Expr.StringLiteral;
import dev.vigil.reconcilers.promql.Expr.SubqueryExpr;
import dev.vigil.reconcilers.promql.Expr.UnaryExpr;
import dev.vigil.reconcilers.promql.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Adds one equality matcher to every vector selector of an expression, by inserting it into the
 * expression's own text at the positions the parser recorded: the user's formatting, comments and
 * spelling stay as they were, and nothing is re-printed. Every selector keeps all of its matchers
 * and gains the new one, so the rewritten expression selects a subset of what the original did (an
 * existing matcher on the same label is kept: {@code foo{namespace="a"}} becomes {@code
 * foo{namespace="a", namespace="b"}}, which selects nothing, rather than {@code
 * foo{namespace="b"}}).
 *
 * <p>Selectors are found wherever they are: inside function arguments, aggregations, binary
 * operations, subqueries, range selectors, under {@code offset} and {@code @}. Where the matcher
 * goes:
 *
 * <ul>
 *   <li>{@code foo} → {@code foo{l="v"}} (before any {@code [range]}, {@code offset} or {@code @});
 *   <li>{@code foo{}} → {@code foo{l="v"}}, and {@code foo{a="b",}} → {@code foo{a="b",l="v"}};
 *   <li>{@code foo{a="b"}} → {@code foo{a="b", l="v"}}: right after the last matcher, before any
 *       comment that precedes the closing brace.
 * </ul>
 */
final class LabelEnforcer {
  private LabelEnforcer() {}

  /** One piece of text to insert at an offset of the input. */
  private record Insertion(int offset, String text) {}

  static String enforce(String expression, String label, String value) {
    // Experimental functions parse too: the text edit does not depend on feature flags, and
    // whether the expression may be used at all is the rule check's business.
    Expr parsed = Parser.parse(expression, true);
    List<VectorSelector> selectors = new ArrayList<>();
    collect(parsed, selectors);
    Lexer tokens = Lexer.lex(expression);
    String matcher = MatcherText.equal(label, value);
    List<Insertion> insertions = new ArrayList<>(selectors.size());
    for (VectorSelector selector : selectors) {
      insertions.add(insertion(expression, tokens, selector, matcher));
    }
    insertions.sort(Comparator.comparingInt(Insertion::offset).reversed());
    StringBuilder out = new StringBuilder(expression.length() + insertions.size() * 32);
    out.append(expression);
    for (Insertion insertion : insertions) {
      out.insert(insertion.offset(), insertion.text());
    }
    String rewritten = out.toString();
    try {
      Parser.parse(rewritten, true);
    } catch (PromQLException e) {
      // The insertions follow the grammar, so this would be a bug here, not in the expression.
      throw new IllegalStateException(
          "adding " + matcher + " to " + expression + " gave " + rewritten + ": " + e.getMessage(),
          e);
    }
    return rewritten;
  }

  private static Insertion insertion(
      String expression, Lexer tokens, VectorSelector selector, String matcher) {
    int end = selector.end();
    if (expression.charAt(end - 1) != '}') {
      return new Insertion(end, "{" + matcher + "}");
    }
    int close = Arrays.binarySearch(tokens.ends, 0, tokens.count, end);
    // An empty token (EOF) may end where the brace does, and the search does not say which of
    // equal ends it finds.
    while (close > 0 && tokens.ends[close - 1] == end) {
      close--;
    }
    if (close <= 0 || tokens.kinds[close] != Tok.RIGHT_BRACE) {
      throw new IllegalStateException(
          "no closing brace at "
              + end
              + " of the selector at "
              + selector.pos()
              + ": "
              + expression);
    }
    Tok before = tokens.kinds[close - 1];
    if (before == Tok.LEFT_BRACE || before == Tok.COMMA) {
      return new Insertion(tokens.starts[close], matcher);
    }
    // The last matcher's value, or a quoted metric name: the new matcher follows it.
    return new Insertion(tokens.ends[close - 1], ", " + matcher);
  }

  /** Every vector selector of the tree, those of range selectors included. */
  static void collect(Expr node, List<VectorSelector> out) {
    if (node instanceof VectorSelector vs) {
      out.add(vs);
    } else if (node instanceof MatrixSelector m) {
      out.add(m.selector());
    } else if (node instanceof SubqueryExpr s) {
      collect(s.expr(), out);
    } else if (node instanceof UnaryExpr u) {
      collect(u.expr(), out);
    } else if (node instanceof ParenExpr p) {
      collect(p.expr(), out);
    } else if (node instanceof BinaryExpr b) {
      collect(b.lhs(), out);
      collect(b.rhs(), out);
    } else if (node instanceof AggregateExpr a) {
      a.param().ifPresent(param -> collect(param, out));
      collect(a.expr(), out);
    } else if (node instanceof Call c) {
      c.args().forEach(arg -> collect(arg, out));
    } else if (!(node instanceof NumberLiteral) && !(node instanceof StringLiteral)) {
      throw new IllegalArgumentException("unknown node " + node);
    }
  }
}
