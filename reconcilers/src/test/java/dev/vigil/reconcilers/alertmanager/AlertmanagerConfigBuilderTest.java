package dev.vigil.reconcilers.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.promql.MatcherText;
import dev.vigil.reconcilers.references.MountedKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the golden files cannot show: order independence, callers' mistakes, matcher syntax. */
class AlertmanagerConfigBuilderTest {
  @Test
  void theOrderOfThePoliciesDoesNotMatter() {
    for (String name : List.of("rejected-policies", "two-namespaces-same-receiver-names")) {
      AlertmanagerScenario scenario = AlertmanagerScenario.load(name);
      String expected = AlertmanagerConfigRenderer.renderString(scenario.build().config());
      Random random = new Random(7);
      for (int i = 0; i < 10; i++) {
        List<AlertPolicy> shuffled = new ArrayList<>(scenario.policies());
        Collections.shuffle(shuffled, random);
        var result = AlertmanagerConfigBuilder.build(scenario.stack(), shuffled, scenario.inputs());
        assertThat(AlertmanagerConfigRenderer.renderString(result.config())).isEqualTo(expected);
        assertThat(result).isEqualTo(scenario.build());
      }
    }
  }

  @Test
  void theSamePolicyTwiceIsTheCallersMistake() {
    AlertmanagerScenario scenario = AlertmanagerScenario.load("webhook");
    List<AlertPolicy> twice = List.of(scenario.policies().get(0), scenario.policies().get(0));
    assertThatThrownBy(
            () -> AlertmanagerConfigBuilder.build(scenario.stack(), twice, scenario.inputs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop/checkout was passed more than once");
  }

  @Test
  void aPolicysRouteAndInhibitRulesAreScopedByItsOneLabel() {
    var config = AlertmanagerScenario.load("examples").build().config();
    var route = config.route().routes().get(0);
    assertThat(route.matchers()).containsExactly("vigil_policy=\"shop/checkout-slo\"");
    assertThat(config.inhibitRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.sourceMatchers()).startsWith("vigil_policy=\"shop/checkout-slo\"");
              assertThat(rule.targetMatchers()).startsWith("vigil_policy=\"shop/checkout-slo\"");
            });
  }

  @Test
  void aMatcherOnNamespaceIsTheUsersOnVigilPolicyItIsRefused() {
    var ok = new dev.vigil.api.v1alpha1.alertpolicy.Matcher();
    ok.name = "namespace";
    ok.value = "shop";
    assertThat(Matchers.of(List.of(), List.of(ok), "m")).containsExactly("namespace=\"shop\"");
    var refused = new dev.vigil.api.v1alpha1.alertpolicy.Matcher();
    refused.name = "vigil_policy";
    refused.value = "billing/team";
    assertThatThrownBy(() -> Matchers.of(List.of(), List.of(refused), "m"))
        .isInstanceOf(PartLeftOut.class)
        .hasMessage(
            "m[0].name: the label vigil_policy is set by Vigil to scope the policy; match on other"
                + " labels");
  }

  @Test
  void secretKeysAreMountedBelowTheAlertmanagerDirectory() {
    assertThat(AlertmanagerConfigBuilder.path(MountedKey.secret("shop", "slack", "url")))
        .isEqualTo("/etc/alertmanager/secrets/shop/slack/url");
    assertThatThrownBy(
            () -> AlertmanagerConfigBuilder.path(MountedKey.configMap("shop", "cm", "key")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** As Alertmanager's model.ParseDuration; 292y is the most Go's time.Duration holds. */
  @ParameterizedTest
  @CsvSource({
    "0,0",
    "0s,0",
    "1h30m,5400000",
    "1d,86400000",
    "292y,9208512000000",
    "300y,-1",
    "'',-1",
    "5 minutes,-1",
    "30m1h,-1",
    "1.5h,-1",
    "-1s,-1"
  })
  void durationsAreReadAsAlertmanagerReadsThem(String duration, long millis) {
    assertThat(AlertmanagerConfigBuilder.millis(duration)).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "plain            | \"plain\"",
        "say \"hi\"       | \"say \\\"hi\\\"\"",
        "back\\slash      | \"back\\\\slash\"",
        "''               | \"\"",
      })
  void valuesAreGoDoubleQuoted(String value, String quoted) {
    assertThat(MatcherText.quote(value)).isEqualTo(quoted);
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(MatcherText.quote("a\nb\tc\u0001")).isEqualTo("\"a\\nb\\tc\\x01\"");
    assertThat(MatcherText.label("service.name")).isEqualTo("\"service.name\"");
    assertThat(MatcherText.label("service_name")).isEqualTo("service_name");
  }

  /** Each was checked against amtool 0.34: it refuses them all. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "(?=a)",
        "(?!a)",
        "(?<=a)b",
        "(?<!a)b",
        "(?>a)",
        "a*+",
        "a++",
        "(a)\\1",
        "\\h",
        "\\Z",
        "a{2,1001}",
        "(",
        "[a-",
        "\\"
      })
  void regularExpressionsGoRefusesAreProblems(String regex) {
    assertThat(Matchers.re2Problem(regex)).isNotNull();
  }

  /** Each was checked against amtool 0.34: it accepts them all. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a|b",
        ".*",
        "\\0",
        "[[:alpha:]]+",
        "\\Qa.b\\E",
        "(?i)x",
        "(?P<n>a)",
        "(?<n>a)",
        "a{2,1000}",
        "[\\]+]",
        "\\d+\\.\\d+",
        "x*?",
        "\\*+"
      })
  void regularExpressionsGoAcceptsPass(String regex) {
    assertThat(Matchers.re2Problem(regex)).isNull();
  }
}
