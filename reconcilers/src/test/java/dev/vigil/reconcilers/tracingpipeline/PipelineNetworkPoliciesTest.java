package dev.vigil.reconcilers.tracingpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.NetworkPolicySpec;
import dev.vigil.api.v1alpha1.tracingpipeline.SpanMetricsSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.GoldenFile;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorScenario;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.objects.IngressPolicy;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies of the example pipeline against {@code
 * golden/network-policies/tracingpipeline-shop-traces.yaml} (rewrite with {@code
 * -Dvigil.updateGolden=true} and review the diff): the receivers open to every pod of the cluster,
 * metrics to Vigil's Prometheus pods, Jaeger's OTLP to the pipeline's collectors and its query API
 * to Vigil's Grafana pods.
 */
class PipelineNetworkPoliciesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/network-policies");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static CollectorScenario example() {
    CollectorScenario scenario = CollectorScenario.load("example-shop-traces");
    TracingPipeline pipeline = scenario.pipeline();
    pipeline.getSpec().networkPolicy = new NetworkPolicySpec();
    pipeline.getSpec().networkPolicy.enabled = true;
    return scenario;
  }

  static List<CollectorConfigBuilder.ListenPort> ports(CollectorScenario scenario) {
    return CollectorConfigBuilder.build(scenario.pipeline(), scenario.inputs()).ports();
  }

  @Test
  void theExamplePipelinesPoliciesAreTheGoldenFile() throws IOException {
    CollectorScenario scenario = example();
    String rendered =
        SERIALIZATION.asYaml(CollectorNetworkPolicy.policy(scenario.pipeline(), ports(scenario)))
            + SERIALIZATION.asYaml(JaegerNetworkPolicy.policy(scenario.pipeline()));
    GoldenFile.assertMatches(GOLDEN.resolve("tracingpipeline-shop-traces.yaml"), rendered);
  }

  @Test
  void everyReceiverIsOpenToTheClusterAndTheHealthPortToNoOne() {
    CollectorScenario scenario = example();
    List<CollectorConfigBuilder.ListenPort> ports = ports(scenario);
    NetworkPolicy policy = CollectorNetworkPolicy.policy(scenario.pipeline(), ports);
    NetworkPolicyIngressRule receivers = policy.getSpec().getIngress().get(0);
    assertThat(receivers.getFrom())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getPodSelector()).isNull();
              assertThat(peer.getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
            });
    assertThat(receivers.getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactlyElementsOf(
            ports.stream().filter(CollectorPods::receiver).map(p -> p.port()).toList())
        .contains(4317, 4318, 9411);
    assertThat(policy.getSpec().getIngress())
        .flatExtracting(NetworkPolicyIngressRule::getPorts)
        .extracting(p -> p.getPort().getIntVal())
        .doesNotContain(CollectorConfigBuilder.HEALTH_PORT)
        .contains(CollectorConfigBuilder.METRICS_PORT);
    // The selector is the one the collectors' Deployment selects its pods by.
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(PipelineLabels.selector(scenario.pipeline(), PipelineLabels.COLLECTOR));
  }

  @Test
  void theJaegerUdpReceiversAreOpenOverUdpToTheClusterAndTheAdditionalPeers() {
    CollectorScenario scenario = CollectorScenario.load("all-receivers");
    TracingPipeline pipeline = scenario.pipeline();
    pipeline.getSpec().networkPolicy = new NetworkPolicySpec();
    pipeline.getSpec().networkPolicy.enabled = true;
    pipeline.getSpec().networkPolicy.additionalIngressFrom =
        List.of(IngressPolicy.pods(Map.of("app", "legacy")));
    NetworkPolicy policy = CollectorNetworkPolicy.policy(pipeline, ports(scenario));
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    for (NetworkPolicyIngressRule rule : List.of(rules.get(0), rules.get(rules.size() - 1))) {
      assertThat(rule.getPorts())
          .extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
          .contains("6831/UDP", "6833/UDP", "14250/TCP", "4318/TCP")
          .doesNotContain("6831/TCP", "6833/TCP");
    }
  }

  @Test
  void jaegerTakesSpansFromItsPipelinesCollectorsOnly() {
    TracingPipeline pipeline = example().pipeline();
    NetworkPolicy policy = JaegerNetworkPolicy.policy(pipeline);
    NetworkPolicyIngressRule otlp = policy.getSpec().getIngress().get(0);
    assertThat(otlp.getFrom())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getNamespaceSelector()).isNull();
              assertThat(peer.getPodSelector().getMatchLabels())
                  .isEqualTo(PipelineLabels.selector(pipeline, PipelineLabels.COLLECTOR));
            });
    assertThat(otlp.getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(JaegerConfigBuilder.OTLP_GRPC_PORT, JaegerConfigBuilder.OTLP_HTTP_PORT);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(PipelineLabels.selector(pipeline, PipelineLabels.JAEGER));
  }

  @Test
  void withSpanMetricsTheStacksPrometheusMayScrapeJaegersSpanMetricsPortAndOnlyThen() {
    TracingPipeline pipeline = example().pipeline();
    assertThat(JaegerNetworkPolicy.policy(pipeline).getSpec().getIngress())
        .flatExtracting(NetworkPolicyIngressRule::getPorts)
        .extracting(p -> p.getPort().getIntVal())
        .doesNotContain(JaegerConfigBuilder.SPAN_METRICS_PORT);

    pipeline.getSpec().spanMetrics = new SpanMetricsSpec();
    assertThat(JaegerNetworkPolicy.policy(pipeline).getSpec().getIngress())
        .filteredOn(
            rule ->
                rule.getPorts().stream()
                    .anyMatch(
                        p -> p.getPort().getIntVal() == JaegerConfigBuilder.SPAN_METRICS_PORT))
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts()).hasSize(1);
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(
                      peer ->
                          assertThat(peer.getPodSelector().getMatchLabels())
                              .isEqualTo(StackLabels.anyStack(StackLabels.PROMETHEUS)));
            });
  }
}
