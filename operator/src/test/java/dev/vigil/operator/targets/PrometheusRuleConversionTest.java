package dev.vigil.operator.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.reconcilers.prometheus.RuleFileRenderer;
import dev.vigil.reconcilers.rules.PolicyRules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PrometheusRule in its original {@code monitoring.coreos.com/v1} form becomes an AlertPolicy
 * without routing, whose rule file the real promtool loads with every group and rule.
 */
class PrometheusRuleConversionTest {
  static final Path RULE =
      Path.of("src/test/resources/prometheus-operator-rules/node-exporter-rules.yaml");

  @Test
  void aChartsPrometheusRuleBecomesRulesPromtoolLoads(@TempDir Path dir) throws Exception {
    GenericKubernetesResource object =
        new KubernetesSerialization()
            .unmarshal(Files.readString(RULE), GenericKubernetesResource.class);
    AlertPolicy policy = PrometheusOperatorObjects.alertPolicy(object);

    assertThat(PrometheusOperatorObjects.isFrom(policy)).isTrue();
    assertThat(policy.getSpec().routing).isNull();
    assertThat(policy.getSpec().groups).hasSize(2);
    assertThat(policy.getSpec().groups.get(1).rules.get(2).keepFiringFor).isEqualTo("5m");
    PolicyRules.Result rules = PolicyRules.build(policy, expression -> Optional.empty());
    assertThat(rules.problems()).isEmpty();
    assertThat(rules.recordingRules()).isEqualTo(2);
    assertThat(rules.alertingRules()).isEqualTo(3);
    assertThat(rules.file().groups().get(0).name())
        .isEqualTo("monitoring/kube-prometheus-stack-node-exporter/node-exporter.rules");
    // As prometheus-operator writes it: no label added to any rule.
    for (int g = 0; g < 2; g++) {
      for (int r = 0; r < rules.file().groups().get(g).rules().size(); r++) {
        assertThat(rules.file().groups().get(g).rules().get(r).labels())
            .as("group %d rule %d", g, r)
            .isEqualTo(policy.getSpec().groups.get(g).rules.get(r).labels);
      }
    }

    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool).as("VIGIL_PROMTOOL is not set: run through `make test`").isNotBlank();
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, RuleFileRenderer.render(rules.file()));
    Process process =
        new ProcessBuilder(promtool, "check", "rules", file.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(output + "\n" + Files.readString(file)).isZero();
    assertThat(output).contains("SUCCESS: 5 rules found");
  }
}
