package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.DatadogIntakeStandIn;
import dev.vigil.e2e.harness.DatadogIntakeStandIn.ReceivedSpan;
import dev.vigil.e2e.harness.DatadogIntakeStandIn.Request;
import dev.vigil.e2e.harness.LoopbackTracing;
import dev.vigil.e2e.harness.LoopbackTracing.Collector;
import dev.vigil.e2e.harness.OtlpTraces;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigInputs;
import dev.vigil.reconcilers.collector.CollectorConfigRenderer;
import dev.vigil.reconcilers.collector.DatadogIntake;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TracingPipeline's {@code datadog} exporter end to end with real processes: the real
 * OpenTelemetry Collector (0.160) runs the file Vigil renders for the pipeline, with the API key in
 * the environment as the pod sets it from the Secret key the rendered {@code env} names, and
 * exports to a stand-in for Datadog's OTLP intake on loopback ({@link DatadogIntakeStandIn}: the
 * {@code endpoint} override points there instead of {@code https://otlp.<site>}). A span sent to
 * the collector over OTLP arrives at {@code /v1/traces} as gzip-compressed protobuf with the
 * Secret's key in {@code dd-api-key}, {@code dd-protocol: otlp}, and its resource and span
 * attributes; the key is in neither the rendered file nor the collector's output. With another key
 * in the Secret the intake refuses every request (403) and keeps no span.
 *
 * <p>Only the listeners are moved to loopback ({@link LoopbackTracing}); k8s_attributes is off:
 * there is no API server here.
 */
class DatadogExportIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Duration FOUND_WITHIN = Duration.ofSeconds(30);

  /** A made-up key of the length of Datadog's API keys. */
  private static final String API_KEY = "5f0c2b7e9a1d4c3b8e6f0a2d4c6e8b1a";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aSpanReachesTheIntakeWithTheSecretsApiKeyAndItsAttributes(@TempDir Path dir)
      throws Exception {
    try (DatadogIntakeStandIn intake = DatadogIntakeStandIn.start(API_KEY)) {
      CollectorConfigBuilder.Result result = render(intake.baseUrl());
      String rendered = CollectorConfigRenderer.renderString(result.config());
      assertThat(rendered)
          .as("the rendered ConfigMap holds a reference, never the key")
          .doesNotContain(API_KEY)
          .contains("dd-api-key: \"${env:" + DatadogIntake.API_KEY_VARIABLE + "}\"")
          .contains("traces_endpoint: " + intake.baseUrl() + "/v1/traces");

      try (Collector collector =
          LoopbackTracing.startCollector(
              "otelcol-datadog", rendered, podEnv(result, secret(API_KEY)), dir)) {
        String traceId = send(collector.otlpHttp(), "vigil-e2e-datadog");
        ReceivedSpan checkout =
            intake.awaitSpan(
                s -> s.traceId().equals(traceId) && s.name().equals("checkout"), FOUND_WITHIN);
        assertThat(checkout)
            .as(
                "the span at the intake within %s; refusals %s%ncollector:%n%s",
                FOUND_WITHIN, intake.refusals(), collector.process().log())
            .isNotNull();
        assertThat(checkout.resource())
            .containsEntry("service.name", "vigil-e2e-datadog")
            .containsEntry("deployment.environment.name", "e2e");
        assertThat(checkout.attributes())
            .containsEntry("http.request.method", "POST")
            .containsEntry("http.route", "/checkout")
            .containsEntry("http.response.status_code", "201");
        assertThat(intake.spans())
            .filteredOn(s -> s.traceId().equals(traceId))
            .extracting(ReceivedSpan::name)
            .containsExactlyInAnyOrder("checkout", "charge");

        assertThat(intake.refusals()).isEmpty();
        assertThat(intake.requests())
            .isNotEmpty()
            .allSatisfy(
                request -> {
                  assertThat(request.path()).isEqualTo("/v1/traces");
                  assertThat(request.gzip()).as("gzip-compressed").isTrue();
                  assertThat(request.headers())
                      .containsEntry("content-type", "application/x-protobuf")
                      .containsEntry("dd-protocol", "otlp");
                });
        assertThat(collector.process().log())
            .doesNotContain(API_KEY)
            .doesNotContainIgnoringCase("deprecated");
        System.out.printf(
            "DatadogExportIT: %d request(s) at the intake: %s%n",
            intake.requests().size(), intake.requests().stream().map(Request::headers).toList());
      }
    }
  }

  @Test
  void anotherKeyIsRefusedAndNoSpanIsKept(@TempDir Path dir) throws Exception {
    try (DatadogIntakeStandIn intake = DatadogIntakeStandIn.start(API_KEY)) {
      CollectorConfigBuilder.Result result = render(intake.baseUrl());
      try (Collector collector =
          LoopbackTracing.startCollector(
              "otelcol-datadog-wrong-key",
              CollectorConfigRenderer.renderString(result.config()),
              podEnv(result, secret("not-" + API_KEY)),
              dir)) {
        send(collector.otlpHttp(), "vigil-e2e-datadog-refused");
        long deadline = System.nanoTime() + FOUND_WITHIN.toNanos();
        while (intake.refusals().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(intake.refusals())
            .as("collector:%n%s", collector.process().log())
            .isNotEmpty()
            .allMatch(r -> r.startsWith("403 /v1/traces: dd-api-key is not"));
        assertThat(intake.spans()).isEmpty();
      }
    }
  }

  /** What Vigil renders for a gateway exporting to Datadog at {@code endpoint}. */
  private static CollectorConfigBuilder.Result render(URI endpoint) throws Exception {
    TracingPipeline pipeline =
        YAML.readValue(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: datadog, namespace: e2e}
            spec:
              processors:
                k8sAttributes: {enabled: false}
                batch: {timeout: 100ms}
              exporters:
                datadog:
                  site: datadoghq.eu
                  endpoint: %s
                  apiKey: {name: datadog, key: api-key}
            """
                .formatted(endpoint),
            TracingPipeline.class);
    CollectorConfigBuilder.Result result =
        CollectorConfigBuilder.build(
            pipeline,
            new CollectorConfigInputs(
                key -> key.equals(MountedKey.secret("e2e", "datadog", "api-key")), null, null));
    assertThat(result.problems()).isEmpty();
    return result;
  }

  private static Secret secret(String apiKey) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("datadog")
        .withNamespace("e2e")
        .endMetadata()
        .addToStringData("api-key", apiKey)
        .build();
  }

  /**
   * The collector's environment as its pod gets it: each variable of the rendered {@code env} from
   * the key of {@code secret} it names.
   */
  private static Map<String, String> podEnv(CollectorConfigBuilder.Result result, Secret secret) {
    Map<String, String> env = new TreeMap<>();
    for (EnvVar variable : result.env()) {
      SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
      assertThat(ref.getName()).isEqualTo(secret.getMetadata().getName());
      env.put(variable.getName(), secret.getStringData().get(ref.getKey()));
    }
    assertThat(env).containsOnlyKeys(DatadogIntake.API_KEY_VARIABLE);
    return env;
  }

  /**
   * Sends one trace of two spans of {@code service}, with HTTP attributes, over OTLP HTTP (JSON);
   * returns its trace ID.
   */
  private String send(URI otlp, String service) throws Exception {
    return OtlpTraces.send(
        http,
        otlp,
        service,
        Map.of("deployment.environment.name", "e2e"),
        Map.of(
            "http.request.method",
            "POST",
            "http.route",
            "/checkout",
            "http.response.status_code",
            201));
  }
}
