package dev.vigil.reconcilers.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where {@link PromQL#enforceLabel} puts the matcher, and that it keeps everything else. */
class LabelEnforcerTest {
  static String shop(String expression) {
    return PromQL.enforceLabel(expression, "namespace", "shop");
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '\u0000',
      value = {
        "up => up{namespace=\"shop\"}",
        "up{} => up{namespace=\"shop\"}",
        "up{ } => up{ namespace=\"shop\"}",
        "up{job=\"a\"} => up{job=\"a\", namespace=\"shop\"}",
        "up{job=\"a\",} => up{job=\"a\",namespace=\"shop\"}",
        "up{job=\"a\", code=~\"5..\"} => up{job=\"a\", code=~\"5..\", namespace=\"shop\"}",
        "{__name__=~\"up|down\"} => {__name__=~\"up|down\", namespace=\"shop\"}",
        "{\"up\"} => {\"up\", namespace=\"shop\"}",
        "{\"up\", job=`a`} => {\"up\", job=`a`, namespace=\"shop\"}",
        "up {job='a'} => up {job='a', namespace=\"shop\"}",
        // An existing matcher on the label is kept: the result selects a subset, here nothing.
        "up{namespace=\"billing\"} => up{namespace=\"billing\", namespace=\"shop\"}",
        "rate(x[5m]) => rate(x{namespace=\"shop\"}[5m])",
        "rate(x{a=\"b\"}[5m] offset 1h) => rate(x{a=\"b\", namespace=\"shop\"}[5m] offset 1h)",
        "x offset -5m @ 100 => x{namespace=\"shop\"} offset -5m @ 100",
        "x @ start() => x{namespace=\"shop\"} @ start()",
        "max_over_time(rate(x[1m])[1h:5m] offset 1d) => "
            + "max_over_time(rate(x{namespace=\"shop\"}[1m])[1h:5m] offset 1d)",
        "sum by (namespace) (a) / on (namespace) group_left count(b) => "
            + "sum by (namespace) (a{namespace=\"shop\"}) / on (namespace) group_left"
            + " count(b{namespace=\"shop\"})",
        "topk(scalar(k), -x) => topk(scalar(k{namespace=\"shop\"}), -x{namespace=\"shop\"})",
        "count_values(\"v\", x) => count_values(\"v\", x{namespace=\"shop\"})",
        "label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\") => "
            + "label_replace(x{namespace=\"shop\"}, \"a\", \"$1\", \"b\", \"(.*)\")",
        "1 + 2 * time() => 1 + 2 * time()",
        "vector(1) => vector(1)",
        "sum(x) by (job) => sum(x{namespace=\"shop\"}) by (job)",
        "sum(rate(x[5m])) by (job) > bool 0 => sum(rate(x{namespace=\"shop\"}[5m])) by (job) > bool 0",
        "sum{a=\"b\"} => sum{a=\"b\", namespace=\"shop\"}",
        "x[5m] anchored => x{namespace=\"shop\"}[5m] anchored",
        "absent(nonexistent{job=\"a\"}) => absent(nonexistent{job=\"a\", namespace=\"shop\"})",
      })
  void theMatcherGoesAfterTheSelectorsOwn(String expression, String expected) {
    assertThat(shop(expression.strip())).isEqualTo(expected.strip());
  }

  @Test
  void formattingAndCommentsStay() {
    String expression =
        """
        # the error ratio
        sum by (job) (
          rate(http_requests_total{job="checkout", code=~"5.."}[5m])  # errors
        )
          /
        sum by (job) (rate(http_requests_total{
            job="checkout", # every request
        }[5m]))""";
    assertThat(shop(expression))
        .isEqualTo(
            """
            # the error ratio
            sum by (job) (
              rate(http_requests_total{job="checkout", code=~"5..", namespace="shop"}[5m])  # errors
            )
              /
            sum by (job) (rate(http_requests_total{
                job="checkout", # every request
            namespace="shop"}[5m]))""");
    assertThat(PromQL.check(shop(expression))).isEmpty();
  }

  @Test
  void aSelectorThatEndsTheExpressionIsFoundWhateverItsLength() {
    // The closing brace and the end of input (an empty EOF token) share an offset.
    StringBuilder expression = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      expression.append("a").append(i).append("{} + ");
      expected.append("a").append(i).append("{namespace=\"shop\"} + ");
      assertThat(shop(expression + "z{}")).isEqualTo(expected + "z{namespace=\"shop\"}");
      assertThat(shop(expression + "z{b=\"c\"}"))
          .isEqualTo(expected + "z{b=\"c\", namespace=\"shop\"}");
    }
  }

  @Test
  void aMatcherBeforeACommentAndTheClosingBraceGetsItsComma() {
    assertThat(shop("up{job=\"a\" # why\n}"))
        .isEqualTo("up{job=\"a\", namespace=\"shop\" # why\n}");
  }

  @Test
  void valuesAndNamesAreQuotedAsPromQLReadsThemBack() {
    String rewritten = PromQL.enforceLabel("up", "team.name", "a\"b\\c\nd\u0001");
    assertThat(rewritten).isEqualTo("up{\"team.name\"=\"a\\\"b\\\\c\\nd\\x01\"}");
    Expr.VectorSelector selector = (Expr.VectorSelector) PromQL.parse(rewritten);
    assertThat(selector.matchers().get(0).name()).isEqualTo("team.name");
    assertThat(selector.matchers().get(0).value()).isEqualTo("a\"b\\c\nd\u0001");
  }

  @Test
  void anExpressionThatDoesNotParseIsRefusedWithItsError() {
    assertThatThrownBy(() -> shop("rate(x)"))
        .isInstanceOf(PromQLException.class)
        .hasMessageContaining("expected type range vector");
  }

  @Test
  void experimentalFunctionsAreRewrittenToo() {
    // Whether they may be used is the rule check's business, not the rewrite's.
    assertThat(shop("limitk(1, x)")).isEqualTo("limitk(1, x{namespace=\"shop\"})");
  }
}
