package dev.vigil.reconcilers.rules;

import static dev.vigil.reconcilers.rules.NamespaceAggregation.BOTH;
import static dev.vigil.reconcilers.rules.NamespaceAggregation.POLICY_NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.reconcilers.monitoringstack.StackRules;
import dev.vigil.reconcilers.prometheus.RuleFileRenderer;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code promtool test rules} on Vigil's rendering of an AlertPolicy whose rules aggregate
 * over namespaces ({@link NamespaceAggregation}). As written, every namespace keeps its own
 * recorded sample and its own alert, labelled with its own namespace (Vigil used to force {@code
 * namespace: <policy namespace>} onto every rule: the recording rule then failed with "vector
 * contains metrics with the same labelset after applying rule labels" and both alerts said {@code
 * shop}). With the stack's {@code enforcedNamespaceLabel}, the same group sees and produces only
 * the policy's namespace.
 */
class NamespaceAggregationPromtoolTest {
  static final Path POLICY = Path.of("src/test/resources/rules/namespace-aggregation.yaml");

  static AlertPolicy policy() throws Exception {
    return new KubernetesSerialization().unmarshal(Files.readString(POLICY), AlertPolicy.class);
  }

  @Test
  void everyNamespaceKeepsItsOwnSamplesAndAlerts(@TempDir Path dir) throws Exception {
    PolicyRules.Result rules = PolicyRules.build(policy(), new PromQLExpressionCheck());
    assertThat(rules.problems()).isEmpty();

    NamespaceAggregation.assertPromtoolTestPasses(
        dir, RuleFileRenderer.render(rules.file()), BOTH, "shop/kube-rules");
  }

  @Test
  void namespaceEnforcedTheGroupSeesAndProducesOnlyThePolicysNamespace(@TempDir Path dir)
      throws Exception {
    StackRules rules =
        StackRules.of(
            List.of(policy()),
            new PromQLExpressionCheck(),
            new NamespaceEnforcement("namespace", List.of()));
    assertThat(rules.rules()).isEqualTo(2);
    String file = rules.configMaps().get(0).get("shop_kube-rules.yaml");
    // The stack renders what PolicyRules builds for the enforced label: every selector scoped.
    RuleFile.Group group =
        PolicyRules.build(policy(), new PromQLExpressionCheck(), Optional.of("namespace"))
            .file()
            .groups()
            .get(0);
    List<RuleFile.Rule> enforced = group.rules();
    assertThat(file).isEqualTo(RuleFileRenderer.render(new RuleFile(List.of(group))));
    assertThat(enforced.get(0).expr())
        .isEqualTo(
            "sum by (namespace) (kube_pod_container_resource_requests{resource=\"cpu\","
                + " namespace=\"shop\"})");
    assertThat(enforced.get(1).expr())
        .contains(
            "kube_pod_status_phase{job=\"kube-state-metrics\", phase=~\"Pending|Unknown|Failed\","
                + " namespace=\"shop\"}",
            "kube_pod_owner{owner_kind!=\"Job\", namespace=\"shop\"}");
    assertThat(enforced)
        .allSatisfy(rule -> assertThat(rule.labels()).containsEntry("namespace", "shop"));

    NamespaceAggregation.assertPromtoolTestPasses(
        dir, file, List.of(POLICY_NAMESPACE), "shop/kube-rules");
  }
}
