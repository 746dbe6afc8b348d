package dev.vigil.reconcilers.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.reconcilers.promql.Expr.AggregateExpr;
import dev.vigil.reconcilers.promql.Expr.At;
import dev.vigil.reconcilers.promql.Expr.BinaryExpr;
import dev.vigil.reconcilers.promql.Expr.Call;
import dev.vigil.reconcilers.promql.Expr.MatrixSelector;
import dev.vigil.reconcilers.promql.Expr.NumberLiteral;
import dev.vigil.reconcilers.promql.Expr.ParenExpr;
import dev.vigil.reconcilers.promql.Expr.StringLiteral;
import dev.vigil.reconcilers.promql.Expr.SubqueryExpr;
import dev.vigil.reconcilers.promql.Expr.UnaryExpr;
import dev.vigil.reconcilers.promql.Expr.VectorMatching.Cardinality;
import dev.vigil.reconcilers.promql.Expr.VectorSelector;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tree the parser builds, its types, and how errors look. */
class PromQLTest {

  /** The tree as fully parenthesised text: shows precedence and associativity. */
  private static String shape(Expr e) {
    if (e instanceof BinaryExpr b) {
      return "(" + shape(b.lhs()) + " " + b.op().symbol() + " " + shape(b.rhs()) + ")";
    }
    if (e instanceof UnaryExpr u) {
      return "(" + u.op().symbol() + shape(u.expr()) + ")";
    }
    if (e instanceof NumberLiteral n) {
      return n.value() == Math.rint(n.value()) ? Long.toString((long) n.value()) : "" + n.value();
    }
    if (e instanceof VectorSelector v) {
      return v.name();
    }
    if (e instanceof ParenExpr p) {
      return shape(p.expr());
    }
    if (e instanceof Call c) {
      return c.function().name() + "(...)";
    }
    return e.getClass().getSimpleName();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a + b * c | (a + (b * c))",
        "a * b + c | ((a * b) + c)",
        "a - b - c | ((a - b) - c)",
        "a / b / c | ((a / b) / c)",
        "a ^ b ^ c | (a ^ (b ^ c))",
        "a or b and c | (a or (b and c))",
        "a and b or c | ((a and b) or c)",
        "a and b unless c | ((a and b) unless c)",
        "a > b + c | (a > (b + c))",
        "a + b > c and d | (((a + b) > c) and d)",
        "a * b atan2 c | ((a * b) atan2 c)",
        "a % b ^ c | (a % (b ^ c))",
        "-2 ^ 2 | (-(2 ^ 2))",
        "-a ^ 2 | (-(a ^ 2))",
        "-a * b | ((-a) * b)",
        "a * -b + c | ((a * (-b)) + c)",
        "a + -b * c | (a + ((-b) * c))",
        "2 ^ -1 ^ 2 | (2 ^ (-(1 ^ 2)))",
        "1 + -2 | (1 + -2)",
        "- - 1 | 1",
        "-(1) | (-1)",
        "(a + b) * c | ((a + b) * c)",
      })
  void precedenceAndAssociativity(String expression, String expected) {
    assertThat(shape(PromQL.parse(expression))).isEqualTo(expected);
  }

  @Test
  void selectorsKeepTheirMatchersAndModifiers() {
    VectorSelector vs = (VectorSelector) PromQL.parse("foo:bar{a=\"b\", c!~'d|e'} offset 5m @ 100");
    assertThat(vs.name()).isEqualTo("foo:bar");
    assertThat(vs.matchers())
        .extracting(LabelMatcher::name, LabelMatcher::type, LabelMatcher::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", LabelMatcher.Type.EQUAL, "b"),
            org.assertj.core.groups.Tuple.tuple("c", LabelMatcher.Type.NOT_REGEX, "d|e"),
            org.assertj.core.groups.Tuple.tuple("__name__", LabelMatcher.Type.EQUAL, "foo:bar"));
    assertThat(vs.offset()).contains(new DurationExpr.Literal(300, 32));
    assertThat(vs.at()).contains(new At(At.Kind.TIMESTAMP, 100));

    MatrixSelector m = (MatrixSelector) PromQL.parse("foo[1h30m] @ end()");
    assertThat(((DurationExpr.Literal) m.range()).seconds()).isEqualTo(5400);
    assertThat(m.selector().at()).contains(At.end());
    assertThat(m.type()).isEqualTo(ValueType.RANGE_VECTOR);

    SubqueryExpr s = (SubqueryExpr) PromQL.parse("rate(x[5m])[1h:1m] offset -1h");
    assertThat(s.step()).contains(new DurationExpr.Literal(60, 15));
    assertThat(((DurationExpr.Literal) s.offset().orElseThrow()).seconds()).isEqualTo(-3600);
    assertThat(((SubqueryExpr) PromQL.parse("x[5m:]")).step()).isEmpty();
    assertThat(((MatrixSelector) PromQL.parse("x[5m + step()]")).range())
        .isInstanceOf(DurationExpr.Compound.class);
  }

  @Test
  void binaryExpressionsKeepTheirMatching() {
    BinaryExpr b = (BinaryExpr) PromQL.parse("a > bool on(x, y) group_left(z) b");
    assertThat(b.returnBool()).isTrue();
    Expr.VectorMatching vm = b.matching().orElseThrow();
    assertThat(vm.on()).isTrue();
    assertThat(vm.matchingLabels()).containsExactly("x", "y");
    assertThat(vm.cardinality()).isEqualTo(Cardinality.MANY_TO_ONE);
    assertThat(vm.include()).containsExactly("z");

    BinaryExpr ignoring = (BinaryExpr) PromQL.parse("a / ignoring(x) group_right b");
    assertThat(ignoring.matching().orElseThrow().on()).isFalse();
    assertThat(ignoring.matching().orElseThrow().cardinality()).isEqualTo(Cardinality.ONE_TO_MANY);
  }

  @Test
  void aggregationsKeepTheirGroupingAndParameter() {
    AggregateExpr before = (AggregateExpr) PromQL.parse("sum by (a, b) (x)");
    AggregateExpr after = (AggregateExpr) PromQL.parse("sum(x) by (a, b)");
    assertThat(before.grouping()).containsExactly("a", "b").isEqualTo(after.grouping());
    assertThat(before.without()).isFalse();
    assertThat(before.param()).isEmpty();

    AggregateExpr topk = (AggregateExpr) PromQL.parse("topk without (instance) (3, x)");
    assertThat(topk.op()).isEqualTo(Operator.TOPK);
    assertThat(topk.without()).isTrue();
    assertThat(topk.param()).contains(new NumberLiteral(3, false, 25));

    AggregateExpr countValues = (AggregateExpr) PromQL.parse("count_values(\"v\", x)");
    assertThat(countValues.param().orElseThrow()).isEqualTo(new StringLiteral("v", 13));
  }

  @Test
  void literals() {
    assertThat(PromQL.parse("0x1F")).isEqualTo(new NumberLiteral(31, false, 0));
    assertThat(PromQL.parse("1e3")).isEqualTo(new NumberLiteral(1000, false, 0));
    assertThat(PromQL.parse("010")).isEqualTo(new NumberLiteral(8, false, 0));
    assertThat(PromQL.parse("1h30m")).isEqualTo(new NumberLiteral(5400, true, 0));
    assertThat(((NumberLiteral) PromQL.parse("-Inf")).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(((NumberLiteral) PromQL.parse("NaN")).value()).isNaN();
    assertThat(PromQL.parse("\"a\\tb\\u00e9\"")).isEqualTo(new StringLiteral("a\tbé", 0));
    assertThat(PromQL.parse("'it\\'s'")).isEqualTo(new StringLiteral("it's", 0));
    assertThat(PromQL.parse("`a\\d`")).isEqualTo(new StringLiteral("a\\d", 0));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1 | SCALAR",
        "\"a\" | STRING",
        "foo | INSTANT_VECTOR",
        "foo[5m] | RANGE_VECTOR",
        "foo[5m:] | RANGE_VECTOR",
        "rate(foo[5m]) | INSTANT_VECTOR",
        "scalar(foo) | SCALAR",
        "1 + 2 | SCALAR",
        "1 + foo | INSTANT_VECTOR",
        "-foo | INSTANT_VECTOR",
        "(1) | SCALAR",
        "sum(foo) | INSTANT_VECTOR",
        "time() | SCALAR",
      })
  void types(String expression, ValueType type) {
    assertThat(PromQL.parse(expression).type()).isEqualTo(type);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rate(foo) | 1:6: parse error: expected type range vector in call to function \"rate\","
            + " got instant vector",
        "foo{a=~\"(\"} | 1:5: parse error: error parsing regexp: missing closing ): `(`",
        "{} | 1:1: parse error: vector selector must contain at least one non-empty matcher",
        "1 == 2 | 1:3: parse error: comparisons between scalars must use BOOL modifier",
        "foo and on(a) group_left bar | 1:1: parse error: no grouping allowed for \"and\""
            + " operation",
        "sum(foo) by (a) by (b) | 1:17: parse error: unexpected <by>",
        "foo offset 5m offset 1m | 1:1: parse error: offset may not be set multiple times",
        "unknown(x) | 1:1: parse error: unknown function with name \"unknown\"",
        "sort_by_label(x, 'a') | 1:1: parse error: function \"sort_by_label\" is not enabled",
        "topk(x) | 1:1: parse error: wrong number of arguments for aggregate expression provided,"
            + " expected 2, got 1",
        "\"abc | 1:1: parse error: unterminated quoted string",
        "foo[5m | 1:7: parse error: unclosed left bracket",
        "sum(rate(x[5m]) | 1:16: parse error: unclosed left parenthesis",
        "foo[1s1m] | 1:5: parse error: not a valid duration string: \"1s1m\"",
      })
  void errorsAreWordedAndPlacedAsPrometheusDoes(String expression, String expected) {
    assertThat(PromQL.check(expression)).map(ParseError::toString).contains(expected);
    assertThatThrownBy(() -> PromQL.parse(expression))
        .isInstanceOf(PromQLException.class)
        .hasMessage(expected);
  }

  @Test
  void errorsOnLaterLinesCountLinesAndColumns() {
    assertThat(PromQL.check("sum(\n  rate(x[5m])\n  + foo{a=~\"[\"}\n)"))
        .contains(new ParseError(3, 9, "error parsing regexp: missing closing ]: `[`"));
  }

  @Test
  void deepNestingIsAnErrorNotACrash() {
    assertThat(PromQL.parse("(".repeat(200) + "1" + ")".repeat(200)).type())
        .isEqualTo(ValueType.SCALAR);
    assertThat(PromQL.parse("sum(".repeat(100) + "x" + ")".repeat(100)).type())
        .isEqualTo(ValueType.INSTANT_VECTOR);
    for (String deep :
        List.of(
            "(".repeat(200_000) + "1" + ")".repeat(200_000),
            "1" + " + 1".repeat(200_000),
            "-".repeat(200_000) + "1")) {
      assertThat(PromQL.check(deep))
          .map(ParseError::message)
          .contains("expression nested too deeply for Vigil's parser");
    }
  }

  @Test
  void experimentalFunctionsOnRequest() {
    assertThat(PromQL.check("limitk(2, x)")).isPresent();
    assertThat(PromQL.parse("limitk(2, x)", true)).isInstanceOf(AggregateExpr.class);
    assertThat(PromQL.parse("sort_by_label(x, 'a', 'b')", true).type())
        .isEqualTo(ValueType.INSTANT_VECTOR);
    assertThat(Function.named("rate"))
        .map(Function::argTypes)
        .contains(List.of(ValueType.RANGE_VECTOR));
    assertThat(Function.named("holt_winters")).isEqualTo(Optional.empty());
  }

  @Test
  void ruleExpressionsMustBeInstantVectorsOrScalars() {
    assertThat(PromQL.checkRule("up == 0")).isEmpty();
    assertThat(PromQL.checkRule("vector(1)")).isEmpty();
    assertThat(PromQL.checkRule("1")).isEmpty();
    assertThat(PromQL.checkRule("rate(x)")).map(ParseError::column).contains(6);
    assertThat(PromQL.checkRule("up[5m]"))
        .map(ParseError::message)
        .contains(
            "a rule's expression must evaluate to an instant vector or a scalar, got range"
                + " vector");
    assertThat(PromQL.checkRule("\"firing\""))
        .map(ParseError::message)
        .hasValueSatisfying(m -> assertThat(m).endsWith("got string"));
  }
}
