package dev.vigil.reconcilers.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.reconcilers.prometheus.RuleFileRenderer;
import dev.vigil.reconcilers.scope.PrometheusOperatorKinds;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyRulesTest {
  static final ExpressionCheck ANY = expression -> Optional.empty();

  static AlertPolicy example() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("../manifests/examples/alertpolicy.yaml"))) {
      return new KubernetesSerialization().unmarshal(in, AlertPolicy.class);
    }
  }

  @Test
  void recordingRulesKeepTheirLabelsAndAlertsGetOnlyThePolicyLabel() throws IOException {
    AlertPolicy policy = example();
    policy.getSpec().groups.get(0).rules.get(1).labels.put("namespace", "someone-else");
    PolicyRules.Result result = PolicyRules.build(policy, ANY);

    assertThat(result.key()).isEqualTo("shop_checkout-slo.yaml");
    assertThat(result.problems()).isEmpty();
    assertThat(result.alertingRules()).isEqualTo(2);
    assertThat(result.recordingRules()).isEqualTo(1);
    RuleFile.Group group = result.file().groups().get(0);
    assertThat(group.name()).isEqualTo("shop/checkout-slo/checkout.rules");
    // The recording rule had no labels and gets none: its result keeps the series' labels.
    assertThat(group.rules().get(0).labels()).isNull();
    // An alert keeps its own labels, its namespace label included, and gets the policy's.
    assertThat(group.rules().get(1).labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "severity", "page",
                "namespace", "someone-else",
                "vigil_policy", "shop/checkout-slo"));
    assertThat(group.rules().get(2).labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("severity", "warning", "vigil_policy", "shop/checkout-slo"));
    // Expressions are written as they are.
    assertThat(group.rules().get(1).expr())
        .isEqualTo(policy.getSpec().groups.get(0).rules.get(1).expr.getStrVal());
    // A recording rule has no for, keep_firing_for or annotations.
    assertThat(group.rules().get(0).forDuration()).isNull();
    assertThat(group.rules().get(1).forDuration()).isEqualTo("10m");
    assertThat(group.rules().get(1).keepFiringFor()).isEqualTo("5m");
  }

  @Test
  void aRecordingRulesOwnLabelsAreWrittenExactly() throws IOException {
    AlertPolicy policy = example();
    policy.getSpec().groups.get(0).rules.get(0).labels =
        Map.of("namespace", "written-by-the-user", "team", "checkout");
    RuleFile.Rule rule = PolicyRules.build(policy, ANY).file().groups().get(0).rules().get(0);
    assertThat(rule.labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("namespace", "written-by-the-user", "team", "checkout"));
  }

  @Test
  void aPrometheusRuleOfPrometheusOperatorGetsNoLabelAtAll() throws IOException {
    AlertPolicy policy = PrometheusOperatorKinds.prometheusRule(example());
    policy.getSpec().routing = null;
    PolicyRules.Result result = PolicyRules.build(policy, ANY);

    assertThat(result.problems()).isEmpty();
    List<RuleFile.Rule> rules = result.file().groups().get(0).rules();
    for (int r = 0; r < rules.size(); r++) {
      Map<String, String> written = policy.getSpec().groups.get(0).rules.get(r).labels;
      assertThat(rules.get(r).labels()).as("rule %d", r).isEqualTo(written);
    }
    // Group naming is the same as for Vigil's own policies.
    assertThat(result.file().groups().get(0).name()).isEqualTo("shop/checkout-slo/checkout.rules");
  }

  @Test
  void aRuleThatSetsTheRoutingLabelItselfIsReportedAndItsGroupLeftOut() throws IOException {
    AlertPolicy policy = example();
    policy.getSpec().groups.get(0).rules.get(2).labels.put("vigil_policy", "billing/pager");
    PolicyRules.Result result = PolicyRules.build(policy, ANY);

    assertThat(result.file().groups()).isEmpty();
    assertThat(result.problems())
        .containsExactly(
            "spec.groups[0] \"checkout.rules\" rule 2 (alert CheckoutSlow): labels.vigil_policy is"
                + " Vigil's: alerts of this policy get vigil_policy=\"shop/checkout-slo\", which"
                + " its Alertmanager routes match on; remove it",
            "spec.groups[0] \"checkout.rules\" is left out until its rules are fixed");

    // On a recording rule and in a group's labels too, and for a PrometheusRule as well.
    AlertPolicy recording = PrometheusOperatorKinds.prometheusRule(example());
    recording.getSpec().groups.get(0).rules.get(0).labels = Map.of("vigil_policy", "x");
    assertThat(PolicyRules.build(recording, ANY).problems())
        .first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("rule 0 (record job:http_requests:error_ratio_rate5m): labels.vigil_policy");
    AlertPolicy group = example();
    group.getSpec().groups.get(0).labels = Map.of("vigil_policy", "shop/other");
    assertThat(PolicyRules.build(group, ANY).problems())
        .containsExactly(
            "spec.groups[0] \"checkout.rules\": labels.vigil_policy is Vigil's: alerts of this"
                + " policy get vigil_policy=\"shop/checkout-slo\", which its Alertmanager routes"
                + " match on; remove it; the group is left out");
  }

  @Test
  void namespaceEnforcedEveryRuleGetsTheLabelAndEverySelectorTheMatcher() throws IOException {
    AlertPolicy policy = example();
    policy.getSpec().groups.get(0).rules.get(1).labels.put("namespace", "someone-else");
    PolicyRules.Result result =
        PolicyRules.build(policy, new PromQLExpressionCheck(), Optional.of("namespace"));

    assertThat(result.problems()).isEmpty();
    List<RuleFile.Rule> rules = result.file().groups().get(0).rules();
    // The enforced label wins over the rule's own, as prometheus-operator's does.
    assertThat(rules).allSatisfy(r -> assertThat(r.labels()).containsEntry("namespace", "shop"));
    assertThat(rules.get(0).labels()).containsOnlyKeys("namespace");
    assertThat(rules.get(1).labels()).containsEntry("vigil_policy", "shop/checkout-slo");
    // The user's formatting stays: the matcher is inserted into the text.
    assertThat(rules.get(0).expr())
        .isEqualTo(
            """
            sum by (job) (rate(http_requests_total{job="checkout", code=~"5..", namespace="shop"}[5m]))
              /
            sum by (job) (rate(http_requests_total{job="checkout", namespace="shop"}[5m]))
            """);
    assertThat(rules.get(1).expr())
        .isEqualTo(
            "job:http_requests:error_ratio_rate5m{job=\"checkout\", namespace=\"shop\"} > 0.05");

    // A PrometheusRule gets the enforced label and matchers, and nothing else.
    List<RuleFile.Rule> coreos =
        PolicyRules.build(
                PrometheusOperatorKinds.prometheusRule(policy), ANY, Optional.of("tenant"))
            .file()
            .groups()
            .get(0)
            .rules();
    assertThat(coreos.get(0).labels()).containsExactlyEntriesOf(Map.of("tenant", "shop"));
    assertThat(coreos.get(1).labels()).doesNotContainKey("vigil_policy");
    assertThat(coreos.get(1).expr()).contains("{job=\"checkout\", tenant=\"shop\"}");
  }

  @Test
  void anExpressionTheRewriteCannotReadIsReported() throws IOException {
    AlertPolicy policy = example();
    policy.getSpec().groups.get(0).rules.get(2).expr = new IntOrString("rate(x)");
    // ANY lets the expression through; the rewrite still needs to parse it.
    PolicyRules.Result result = PolicyRules.build(policy, ANY, Optional.of("namespace"));
    assertThat(result.file().groups()).isEmpty();
    assertThat(result.problems())
        .first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .isEqualTo(
            "spec.groups[0] \"checkout.rules\" rule 2 (alert CheckoutSlow): expr: the stack's"
                + " enforced namespace label cannot be added: 1:6: parse error: expected type range"
                + " vector in call to function \"rate\", got instant vector");
  }

  @Test
  void aBrokenExpressionLeavesOutItsGroupOnlyAndSaysWhere() throws IOException {
    AlertPolicy policy = example();
    var second = new KubernetesSerialization().clone(policy.getSpec().groups.get(0));
    second.name = "other.rules";
    policy.getSpec().groups = List.of(policy.getSpec().groups.get(0), second);
    ExpressionCheck check =
        expression ->
            expression.contains("> 1") ? Optional.of("1:12: unexpected \">\"") : Optional.empty();

    PolicyRules.Result result = PolicyRules.build(policy, check);

    assertThat(result.file().groups()).isEmpty();
    assertThat(result.problems())
        .contains(
            "spec.groups[0] \"checkout.rules\" rule 2 (alert CheckoutSlow): expr: 1:12: unexpected"
                + " \">\"",
            "spec.groups[0] \"checkout.rules\" is left out until its rules are fixed");
  }

  @Test
  void aRepeatedGroupNameIsLeftOut() throws IOException {
    AlertPolicy policy = example();
    policy.getSpec().groups =
        List.of(policy.getSpec().groups.get(0), policy.getSpec().groups.get(0));
    PolicyRules.Result result = PolicyRules.build(policy, ANY);
    assertThat(result.file().groups()).hasSize(1);
    assertThat(result.problems())
        .containsExactly(
            "spec.groups[1] \"checkout.rules\": the name is used by an earlier group; the group is"
                + " left out");
  }

  @Test
  void configMapsArePackedInKeyOrderUnderTheLimit() {
    Map<String, String> files =
        Map.of("b.yaml", "x".repeat(40), "a.yaml", "y".repeat(40), "c.yaml", "z".repeat(10));
    List<Map<String, String>> packed = RuleConfigMaps.pack(files, 100);
    assertThat(packed).hasSize(2);
    assertThat(packed.get(0)).containsOnlyKeys("a.yaml", "b.yaml");
    assertThat(packed.get(1)).containsOnlyKeys("c.yaml");
    assertThat(RuleConfigMaps.pack(Map.of(), 100)).isEmpty();
    assertThatThrownBy(() -> RuleConfigMaps.pack(Map.of("big.yaml", "x".repeat(200)), 100))
        .hasMessageContaining("big.yaml");
  }

  @Test
  void promtoolLoadsTheRenderedRules(@TempDir Path dir) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as("VIGIL_PROMTOOL is not set: run the tests through `make test`")
        .isNotBlank();
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, RuleFileRenderer.render(PolicyRules.build(example(), ANY).file()));
    Process process =
        new ProcessBuilder(
                promtool, "check", "rules", "--lint=all", "--lint-fatal", file.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(output + "\n" + Files.readString(file)).isZero();
    assertThat(output).contains("SUCCESS: 3 rules found");
  }
}
