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
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Trees compared by their meaning: positions set to 0, matchers reduced to name, type and value (a
 * compiled {@link java.util.regex.Pattern} has no equality), and each selector's matchers passed
 * through a function, which lets a test take out the matcher it expects a rewrite to have added.
 */
final class Trees {
  private Trees() {}

  static Expr erase(Expr node, UnaryOperator<List<LabelMatcher>> matchers) {
    if (node instanceof NumberLiteral n) {
      return new NumberLiteral(n.value(), n.duration(), 0);
    }
    if (node instanceof StringLiteral s) {
      return new StringLiteral(s.value(), 0);
    }
    if (node instanceof VectorSelector vs) {
      return selector(vs, matchers);
    }
    if (node instanceof MatrixSelector m) {
      return new MatrixSelector(selector(m.selector(), matchers), erase(m.range()), 0);
    }
    if (node instanceof SubqueryExpr s) {
      return new SubqueryExpr(
          erase(s.expr(), matchers),
          erase(s.range()),
          s.step().map(Trees::erase),
          s.offset().map(Trees::erase),
          s.at(),
          0);
    }
    if (node instanceof UnaryExpr u) {
      return new UnaryExpr(u.op(), erase(u.expr(), matchers), 0);
    }
    if (node instanceof BinaryExpr b) {
      return new BinaryExpr(
          b.op(),
          erase(b.lhs(), matchers),
          erase(b.rhs(), matchers),
          b.returnBool(),
          b.matching(),
          0,
          0);
    }
    if (node instanceof AggregateExpr a) {
      return new AggregateExpr(
          a.op(),
          erase(a.expr(), matchers),
          a.param().map(p -> erase(p, matchers)),
          a.grouping(),
          a.without(),
          0);
    }
    if (node instanceof Call c) {
      return new Call(c.function(), c.args().stream().map(a -> erase(a, matchers)).toList(), 0);
    }
    if (node instanceof ParenExpr p) {
      return new ParenExpr(erase(p.expr(), matchers), 0);
    }
    throw new IllegalArgumentException("unknown node " + node);
  }

  private static VectorSelector selector(
      VectorSelector vs, UnaryOperator<List<LabelMatcher>> matchers) {
    List<LabelMatcher> plain = new ArrayList<>();
    for (LabelMatcher m : vs.matchers()) {
      plain.add(new LabelMatcher(m.name(), m.type(), m.value(), false));
    }
    return new VectorSelector(
        vs.name(),
        matchers.apply(plain),
        vs.offset().map(Trees::erase),
        vs.at(),
        vs.anchored(),
        vs.smoothed(),
        0,
        0);
  }

  static DurationExpr erase(DurationExpr d) {
    if (d instanceof DurationExpr.Literal l) {
      return new DurationExpr.Literal(l.seconds(), 0);
    }
    DurationExpr.Compound c = (DurationExpr.Compound) d;
    return new DurationExpr.Compound(c.op(), c.operands().stream().map(Trees::erase).toList(), 0);
  }

  /** The matchers without the last {@code namespace="shop"}, which a rewrite adds. */
  static List<LabelMatcher> withoutLastEnforced(List<LabelMatcher> matchers) {
    List<LabelMatcher> out = new ArrayList<>(matchers);
    for (int i = out.size() - 1; i >= 0; i--) {
      if (out.get(i).equals(LabelEnforcerCorpusTest.ENFORCED)) {
        out.remove(i);
        return out;
      }
    }
    throw new AssertionError("no namespace=\"shop\" in " + matchers);
  }

  /** Every vector selector, in the order of the tree (those of range selectors included). */
  static List<VectorSelector> selectors(Expr node) {
    List<VectorSelector> out = new ArrayList<>();
    LabelEnforcer.collect(node, out);
    return out;
  }
}
