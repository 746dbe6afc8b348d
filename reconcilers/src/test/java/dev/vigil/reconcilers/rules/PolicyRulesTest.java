package dev.vigil.reconcilers.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.reconcilers.monitoringstack.RuleFileRenderer;
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
  void groupsArePrefixedAndEveryRuleCarriesTheScopingLabels() throws IOException {
    AlertPolicy policy = example();
    policy.getSpec().groups.get(0).rules.get(1).labels.put("namespace", "someone-else");
    PolicyRules.Result result = PolicyRules.build(policy, ANY);

    assertThat(result.key()).isEqualTo("shop_checkout-slo.yaml");
    assertThat(result.problems()).isEmpty();
    assertThat(result.alertingRules()).isEqualTo(2);
    assertThat(result.recordingRules()).isEqualTo(1);
    RuleFile.Group group = result.file().groups().get(0);
    assertThat(group.name()).isEqualTo("shop/checkout-slo/checkout.rules");
    assertThat(group.rules())
        .allSatisfy(
            rule ->
                assertThat(rule.labels())
                    .containsEntry("namespace", "shop")
                    .containsEntry("vigil_policy", "checkout-slo"));
    // A recording rule has no for, keep_firing_for or annotations.
    assertThat(group.rules().get(0).forDuration()).isNull();
    assertThat(group.rules().get(1).forDuration()).isEqualTo("10m");
    assertThat(group.rules().get(1).keepFiringFor()).isEqualTo("5m");
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
