package dev.vigil.operator.targets;

import static dev.vigil.reconcilers.rules.NamespaceAggregation.BOTH;
import static dev.vigil.reconcilers.rules.NamespaceAggregation.POLICY_NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.reconcilers.monitoringstack.StackRules;
import dev.vigil.reconcilers.prometheus.RuleFileRenderer;
import dev.vigil.reconcilers.rules.NamespaceAggregation;
import dev.vigil.reconcilers.rules.PolicyRules;
import dev.vigil.reconcilers.rules.PromQLExpressionCheck;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code promtool test rules} on Vigil's rendering of a PrometheusRule whose rules
 * aggregate over namespaces, converted as the operator converts {@code monitoring.coreos.com/v1}
 * objects ({@link NamespaceAggregation}, the same group as the reconcilers' AlertPolicy test). As
 * prometheus-operator renders it without {@code enforcedNamespaceLabel}, no label is added: each
 * namespace keeps its samples and alerts, and alerts carry no {@code vigil_policy}. With the
 * stack's {@code enforcedNamespaceLabel}, as prometheus-operator with its own, only the
 * PrometheusRule's namespace is seen.
 */
class PrometheusRuleAggregationPromtoolTest {
  static final Path RULE =
      Path.of("src/test/resources/prometheus-operator-rules/namespace-aggregation.yaml");

  static AlertPolicy prometheusRule() throws Exception {
    GenericKubernetesResource object =
        new KubernetesSerialization()
            .unmarshal(Files.readString(RULE), GenericKubernetesResource.class);
    AlertPolicy policy = PrometheusOperatorObjects.alertPolicy(object);
    assertThat(PrometheusOperatorObjects.isFrom(policy)).isTrue();
    return policy;
  }

  @Test
  void renderedAsPrometheusOperatorDoesEveryNamespaceKeepsItsOwn(@TempDir Path dir)
      throws Exception {
    PolicyRules.Result rules = PolicyRules.build(prometheusRule(), new PromQLExpressionCheck());
    assertThat(rules.problems()).isEmpty();

    NamespaceAggregation.assertPromtoolTestPasses(
        dir, RuleFileRenderer.render(rules.file()), BOTH, null);
  }

  @Test
  void namespaceEnforcedOnlyThePrometheusRulesNamespaceIsSeen(@TempDir Path dir) throws Exception {
    StackRules rules =
        StackRules.of(
            List.of(prometheusRule()),
            new PromQLExpressionCheck(),
            new NamespaceEnforcement("namespace", List.of()));

    NamespaceAggregation.assertPromtoolTestPasses(
        dir,
        rules.configMaps().get(0).get("shop_kube-rules.yaml"),
        List.of(POLICY_NAMESPACE),
        null);
  }
}
