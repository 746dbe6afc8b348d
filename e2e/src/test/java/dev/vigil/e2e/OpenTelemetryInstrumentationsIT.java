package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.WebhookOperator;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compatibility flag on the real API server: with the CRD {@code
 * instrumentations.opentelemetry.io} installed (a minimal stand-in, see its file) and an
 * OpenTelemetry operator Instrumentation created, the operator, run as its ServiceAccount with
 * {@code --opentelemetry-instrumentation-annotations=true}, instruments a pod annotated {@code
 * instrumentation.opentelemetry.io/inject-java: <name>} with that object's endpoint and env, and
 * warns of what it could not convert.
 */
class OpenTelemetryInstrumentationsIT {
  static final String NS = "otel-instrumentations-it";
  static final String SECRET = "otel-instrumentations-it-tls";

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    try (InputStream in =
        OpenTelemetryInstrumentationsIT.class.getResourceAsStream(
            "/opentelemetry-operator/instrumentations-crd.yaml")) {
      for (HasMetadata crd : admin.load(in).items()) {
        admin.resource(crd).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
      }
    }
    RealApiServer.awaitCrdsEstablished(admin);
    admin
        .resource(
            admin
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: opentelemetry.io/v1alpha1
                    kind: Instrumentation
                    metadata: {name: my-instrumentation, namespace: otel-instrumentations-it}
                    spec:
                      env:
                        - name: OTEL_EXPORTER_OTLP_TIMEOUT
                          value: "20"
                      exporter:
                        endpoint: http://otel-collector.observability.svc:4318
                      propagators: [tracecontext, baggage, b3]
                      sampler:
                        type: parentbased_traceidratio
                        argument: "0.25"
                      java:
                        env:
                          - name: OTEL_JAVAAGENT_DEBUG
                            value: "true"
                        volumeLimitSize: 300Mi
                      go:
                        image: ghcr.io/open-telemetry/opentelemetry-go-instrumentation/autoinstrumentation-go:v0.19.0-alpha
                    """,
                    GenericKubernetesResource.class))
        .fieldManager("vigil-e2e")
        .serverSideApply();
    operator =
        WebhookOperator.start(NS, SECRET, "--opentelemetry-instrumentation-annotations=true");
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    WebhookOperator.removeConfigurations(admin);
  }

  @Test
  void aPodWithTheOpenTelemetryAnnotationIsInstrumentedFromTheOpenTelemetryObject() {
    Pod created =
        await("the pod instrumented (the webhook's informers have listed)")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  Pod pod =
                      admin
                          .resource(
                              new PodBuilder()
                                  .withNewMetadata()
                                  .withGenerateName("checkout-")
                                  .withNamespace(NS)
                                  .addToAnnotations(
                                      "instrumentation.opentelemetry.io/inject-java",
                                      "my-instrumentation")
                                  .endMetadata()
                                  .withNewSpec()
                                  .addNewContainer()
                                  .withName("app")
                                  .withImage("registry.invalid/app:1.0")
                                  .endContainer()
                                  .endSpec()
                                  .build())
                          .create();
                  if (pod.getSpec().getInitContainers().isEmpty()) {
                    admin.resource(pod).delete();
                    return null;
                  }
                  return pod;
                },
                p -> p != null);

    assertThat(created.getSpec().getInitContainers())
        .extracting(c -> c.getName())
        .containsExactly("vigil-instrumentation-java");
    List<EnvVar> env = created.getSpec().getContainers().get(0).getEnv();
    assertThat(value(env, "OTEL_EXPORTER_OTLP_ENDPOINT"))
        .contains("http://otel-collector.observability.svc:4318");
    assertThat(value(env, "OTEL_EXPORTER_OTLP_PROTOCOL")).contains("http/protobuf");
    assertThat(value(env, "OTEL_JAVAAGENT_DEBUG")).contains("true");
    assertThat(value(env, "OTEL_EXPORTER_OTLP_TIMEOUT")).contains("20");
    assertThat(value(env, "OTEL_PROPAGATORS")).contains("tracecontext,baggage,b3");
    assertThat(value(env, "OTEL_TRACES_SAMPLER")).contains("parentbased_traceidratio");
    assertThat(value(env, "OTEL_TRACES_SAMPLER_ARG")).contains("0.25");
    assertThat(value(env, "JAVA_TOOL_OPTIONS").orElseThrow()).contains("-javaagent:");
    assertThat(created.getSpec().getVolumes())
        .filteredOn(v -> v.getEmptyDir() != null)
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("300Mi"));
    assertThat(created.getMetadata().getAnnotations())
        .containsEntry("instrumentation.vigil.dev/instrumented-by", NS + "/my-instrumentation");

    // Vigil's own annotation names Vigil's Instrumentations only: none of that name here.
    Pod vigils =
        admin
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("vigil-annotation")
                    .withNamespace(NS)
                    .addToAnnotations("instrumentation.vigil.dev/inject-java", "my-instrumentation")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("app")
                    .withImage("registry.invalid/app:1.0")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    assertThat(vigils.getSpec().getInitContainers()).isEmpty();
  }

  static Optional<String> value(List<EnvVar> env, String name) {
    return env.stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst();
  }
}
