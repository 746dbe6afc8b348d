package dev.vigil.reconcilers.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.collector.CollectorConfigBuilder.ListenPort;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the golden files do not show: the result besides the file, and what is not rendered. */
class CollectorConfigBuilderTest {
  @Test
  void portsAndKubernetesMetadataOfAGateway() {
    Result result = build("all-receivers");
    assertThat(result.ports())
        .containsExactly(
            new ListenPort("otlp-grpc", 14317),
            new ListenPort("otlp-http", 4318),
            new ListenPort("jaeger-grpc", 14250),
            new ListenPort("jaeger-thrift", 14269),
            new ListenPort("jaeger-compact", 6831, ListenPort.UDP),
            new ListenPort("jaeger-binary", 6833, ListenPort.UDP),
            new ListenPort("zipkin", 9412),
            new ListenPort("metrics", 8888),
            new ListenPort("health", 13133));
    assertThat(result.kubernetesAccess()).as("k8s_attributes is off").isEmpty();
  }

  @Test
  void k8sAttributesNeedsReadAccessToWhatItExtracts() {
    // Default metadata: the deployment name comes from the pod's owner name and its
    // pod-template-hash label (collector 0.160 reads no replicaset for it).
    assertThat(build("gateway-default").kubernetesAccess())
        .extracting(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs())
        .containsExactly("[] [namespaces, pods] [get, list, watch]");
    // A statefulset's name is on the pod's owner reference: pods and namespaces are enough.
    assertThat(build("k8s-attributes").kubernetesAccess())
        .extracting(r -> r.getApiGroups() + " " + r.getResources())
        .containsExactly("[] [namespaces, pods]");
  }

  @Test
  void replicaSetsAndJobsOnlyForTheUidsThatNeedThem() {
    var access =
        KubernetesAccessRules.of(
            new CollectorConfig.K8sAttributes(
                null,
                null,
                null,
                new CollectorConfig.K8sExtract(
                    List.of("k8s.deployment.uid", "k8s.cronjob.uid", "k8s.job.name"), List.of()),
                null),
            true);
    assertThat(access)
        .extracting(r -> r.getApiGroups() + " " + r.getResources())
        .containsExactly("[] [namespaces, pods]", "[apps] [replicasets]", "[batch] [jobs]");
  }

  @Test
  void aTenantsCollectorsReadTheirOwnNamespaceOnly() {
    Result result = build("tenant-k8s-attributes");
    // The rules of a Role: the namespace's pods, nothing cluster-scoped.
    assertThat(result.kubernetesAccess())
        .extracting(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs())
        .containsExactly("[] [pods] [get, list, watch]");
    var processor = result.config().processors().k8sAttributes();
    assertThat(processor.filter().namespace()).isEqualTo("team-a");
    assertThat(processor.filter().nodeFromEnvVar()).isEqualTo(CollectorConfigBuilder.NODE_NAME_ENV);
    assertThat(processor.extract().metadata())
        .containsExactly("k8s.namespace.name", "k8s.pod.name", "k8s.deployment.name");
  }

  @Test
  void sameInputSameBytes() {
    CollectorScenario scenario = CollectorScenario.load("otlp-tls-and-headers");
    String first =
        CollectorConfigRenderer.renderString(
            CollectorConfigBuilder.build(scenario.pipeline(), scenario.inputs()).config());
    CollectorScenario again = CollectorScenario.load("otlp-tls-and-headers");
    assertThat(
            CollectorConfigRenderer.renderString(
                CollectorConfigBuilder.build(again.pipeline(), again.inputs()).config()))
        .isEqualTo(first);
  }

  @Test
  void nothingToRunWhenEveryExporterIsLeftOut() {
    CollectorScenario scenario = CollectorScenario.load("otlp-tls-and-headers");
    // The same pipeline in a cluster without its Secrets.
    Result result =
        CollectorConfigBuilder.build(
            scenario.pipeline(), new CollectorConfigInputs(key -> false, null, null));
    assertThat(result.config()).isNull();
    assertThat(result.mountedKeys()).isEmpty();
    assertThat(result.env()).isEmpty();
    assertThat(result.problems().stream().map(ConfigProblem::describe).toList())
        .containsExactly(
            "spec.exporters.otlp[0]: tls.ca: Secret shop/vendor-tls key ca.crt does not exist;"
                + " the exporter is left out",
            "spec.exporters.otlp[1]: headers[0].valueFrom: Secret shop/honeycomb key api-key does"
                + " not exist; the exporter is left out",
            "spec.exporters: no exporter is left: fix the problems above; nothing is deployed");
  }

  @Test
  void anAgentCannotExportToAnotherAgent() {
    CollectorScenario scenario = CollectorScenario.load("agent-to-gateway");
    scenario.others().get(0).getSpec().mode =
        dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec.Mode.agent;
    Result result = CollectorConfigBuilder.build(scenario.pipeline(), scenario.inputs());
    assertThat(result.config()).isNull();
    assertThat(result.problems().get(0).describe())
        .isEqualTo(
            "spec.exporters.gateway: TracingPipeline observability/central is not in gateway"
                + " mode; agents have no Service; the exporter is left out");
  }

  @Test
  void componentIdsAreTheCurrentNames() {
    // Collector 0.160 logs otlp, otlphttp and k8sattributes as deprecated aliases.
    for (String name : List.of("otlp-tls-and-headers", "jaeger-backend", "k8s-attributes")) {
      String rendered = CollectorConfigRenderer.renderString(build(name).config());
      assertThat(rendered)
          .doesNotContain("otlp/", "otlphttp", "k8sattributes")
          .contains("k8s_attributes");
    }
  }

  private static Result build(String scenario) {
    CollectorScenario loaded = CollectorScenario.load(scenario);
    return CollectorConfigBuilder.build(loaded.pipeline(), loaded.inputs());
  }
}
