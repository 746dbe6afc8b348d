package dev.vigil.reconcilers.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PromQLExpressionCheckTest {
  private final ExpressionCheck check = new PromQLExpressionCheck();

  @Test
  void theExamplePolicyLoadsWhole() throws IOException {
    PolicyRules.Result result = PolicyRules.build(PolicyRulesTest.example(), check);
    assertThat(result.problems()).isEmpty();
    assertThat(result.rules()).isEqualTo(3);
  }

  @Test
  void aBadExpressionIsReportedWithGroupRulePositionAndMessage() throws IOException {
    AlertPolicy policy = PolicyRulesTest.example();
    policy.getSpec().groups.get(0).rules.get(2).expr =
        new IntOrString("histogram_quantile(0.99, sum by (le) (rate(latency_bucket))) > 1");

    PolicyRules.Result result = PolicyRules.build(policy, check);

    assertThat(result.file().groups()).isEmpty();
    assertThat(result.problems())
        .containsExactly(
            "spec.groups[0] \"checkout.rules\" rule 2 (alert CheckoutSlow): expr: 1:44: parse"
                + " error: expected type range vector in call to function \"rate\", got instant"
                + " vector",
            "spec.groups[0] \"checkout.rules\" is left out until its rules are fixed");
  }

  @Test
  void problemsReadAsPrometheusPrintsThem() {
    assertThat(check.problem("up == 0")).isEmpty();
    assertThat(check.problem("sum(up")).contains("1:7: parse error: unclosed left parenthesis");
    assertThat(check.problem("up[5m]"))
        .contains(
            "1:1: parse error: a rule's expression must evaluate to an instant vector or a"
                + " scalar, got range vector");
  }
}
