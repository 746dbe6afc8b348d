package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.NetworkPolicySpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ShardBalancingSpec;
import dev.vigil.reconcilers.GoldenFile;
import dev.vigil.reconcilers.objects.PodParts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies of the example stack against {@code
 * golden/network-policies/monitoringstack-platform.yaml} (rewrite with {@code
 * -Dvigil.updateGolden=true} and review the diff), and the two rules that keep them true to the
 * pods: each selects its workload's pods by the labels the workload selects them by, and admits
 * only ports those pods' containers expose. The real API server validates them in e2e
 * (OperatorRbacIT).
 */
public class StackNetworkPoliciesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/network-policies");

  static MonitoringStack exampleWithPolicies() throws IOException {
    MonitoringStack stack = PrometheusStatefulSetTest.examplePlan().stack();
    stack.getSpec().networkPolicy = new NetworkPolicySpec();
    stack.getSpec().networkPolicy.enabled = true;
    stack.getSpec().networkPolicy.additionalIngressFrom =
        List.of(
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(
                    new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("kubernetes.io/metadata.name", "ingress-nginx"))
                        .build())
                .build());
    return stack;
  }

  static List<NetworkPolicy> policies(MonitoringStack stack) {
    return List.of(
        PrometheusNetworkPolicy.policy(stack, "vigil-system"),
        AlertmanagerNetworkPolicy.policy(stack),
        GrafanaNetworkPolicy.policy(stack),
        KubeStateMetricsNetworkPolicy.policy(stack),
        ThanosQueryNetworkPolicy.policy(stack));
  }

  @Test
  void theExampleStacksPoliciesAreTheGoldenFile() throws IOException {
    String rendered =
        policies(exampleWithPolicies()).stream()
            .map(PrometheusStatefulSetTest.SERIALIZATION::asYaml)
            .collect(Collectors.joining());
    GoldenFile.assertMatches(GOLDEN.resolve("monitoringstack-platform.yaml"), rendered);
  }

  @Test
  void policiesAreIngressOnlyAndLeaveEgressAlone() throws IOException {
    for (NetworkPolicy policy : policies(exampleWithPolicies())) {
      assertThat(policy.getSpec().getPolicyTypes())
          .as(policy.getMetadata().getName())
          .containsExactly("Ingress");
      assertThat(policy.getSpec().getEgress()).isEmpty();
    }
  }

  @Test
  void prometheusAndAlertmanagerPoliciesSelectTheirPodsAndAdmitOnlyTheirPorts() throws IOException {
    MonitoringStack stack = exampleWithPolicies();
    ScraperPlan plan = PrometheusStatefulSetTest.examplePlan();
    for (int shard = 0; shard < 2; shard++) {
      assertSelectsAndAdmitsOnlyExposedPorts(
          PrometheusNetworkPolicy.policy(stack, "vigil-system"),
          PrometheusStatefulSet.statefulSet(plan, shard).getSpec().getTemplate());
    }
    assertSelectsAndAdmitsOnlyExposedPorts(
        AlertmanagerNetworkPolicy.policy(stack),
        AlertmanagerStatefulSet.statefulSet(
                AlertmanagerStatefulSetTest.plan(stack), FixedMonitoringState.SETTINGS)
            .getSpec()
            .getTemplate());
  }

  @Test
  void withoutGrafanaOrThanosNothingOfTheirsIsAdmitted() throws IOException {
    MonitoringStack stack = exampleWithPolicies();
    stack.getSpec().grafana = null;
    stack.getSpec().thanos = null;
    String prometheus =
        PrometheusStatefulSetTest.SERIALIZATION.asYaml(
            PrometheusNetworkPolicy.policy(stack, "vigil-system"));
    assertThat(prometheus).doesNotContain("grafana").doesNotContain("thanos");
    assertThat(PrometheusNetworkPolicy.policy(stack, "vigil-system").getSpec().getIngress())
        .flatExtracting(r -> r.getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsOnly(PrometheusStatefulSet.WEB_PORT, PodParts.RELOADER_PORT);
  }

  @Test
  void aStackWhoseSeriesVigilReadsAdmitsTheOperatorsPodsFromItsNamespaceOnly() throws IOException {
    MonitoringStack stack = exampleWithPolicies();
    assertThat(
            PrometheusStatefulSetTest.SERIALIZATION.asYaml(
                PrometheusNetworkPolicy.policy(stack, "observability")))
        .doesNotContain("observability");
    stack.getSpec().scraper.balancing = new ShardBalancingSpec();
    stack.getSpec().scraper.balancing.by = ShardBalancingSpec.By.series;
    NetworkPolicyIngressRule operator =
        PrometheusNetworkPolicy.policy(stack, "observability").getSpec().getIngress().stream()
            .filter(r -> r.getFrom().get(0).getNamespaceSelector() != null)
            .findFirst()
            .orElseThrow();
    assertThat(operator.getFrom()).hasSize(1);
    assertThat(operator.getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "observability"));
    assertThat(operator.getFrom().get(0).getPodSelector().getMatchLabels())
        .isEqualTo(
            Map.of("app.kubernetes.io/name", "vigil", "app.kubernetes.io/component", "operator"));
    assertThat(operator.getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(PrometheusStatefulSet.WEB_PORT);
  }

  /**
   * Every label the policy selects by is on the pods, and every port it admits is a container port
   * of theirs with the same protocol.
   */
  public static void assertSelectsAndAdmitsOnlyExposedPorts(
      NetworkPolicy policy, PodTemplateSpec template) {
    assertThat(template.getMetadata().getLabels())
        .as("pod labels")
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    List<String> exposed =
        template.getSpec().getContainers().stream()
            .map(Container::getPorts)
            .flatMap(List::stream)
            .map(StackNetworkPoliciesTest::spelled)
            .toList();
    List<String> admitted =
        policy.getSpec().getIngress().stream()
            .flatMap(r -> r.getPorts().stream())
            .map(StackNetworkPoliciesTest::spelled)
            .toList();
    assertThat(exposed).as(policy.getMetadata().getName()).containsAll(admitted);
  }

  static String spelled(ContainerPort port) {
    return port.getContainerPort()
        + "/"
        + (port.getProtocol() == null ? "TCP" : port.getProtocol());
  }

  static String spelled(NetworkPolicyPort port) {
    return port.getPort().getIntVal() + "/" + port.getProtocol();
  }
}
