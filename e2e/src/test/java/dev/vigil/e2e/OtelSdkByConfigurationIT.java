package dev.vigil.e2e;

import static dev.vigil.e2e.harness.LoopbackTracing.awaitTrace;
import static dev.vigil.e2e.harness.TracingClients.endpoints;
import static dev.vigil.e2e.harness.TracingClients.loopbackPort;
import static dev.vigil.e2e.harness.TracingClients.resource;
import static dev.vigil.e2e.harness.TracingClients.sameTraceId;
import static dev.vigil.e2e.harness.TracingClients.span;
import static dev.vigil.e2e.harness.TracingClients.tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineStatus;
import dev.vigil.e2e.harness.ClientProgram;
import dev.vigil.e2e.harness.LoopbackTracing;
import dev.vigil.e2e.harness.LoopbackTracing.Collector;
import dev.vigil.e2e.harness.RealApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program instrumented by hand with the OpenTelemetry Python SDK, the one every OpenTelemetry and
 * Jaeger tutorial shows ({@code TracerProvider} with a {@code service.name} resource, {@code
 * BatchSpanProcessor(OTLPSpanExporter())}, nested spans with attributes, an exception recorded),
 * sends through a TracingPipeline with configuration as its only Vigil-specific input: {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} set to the pipeline's {@code status.endpoints.otlpHttp} (what {@code
 * TracingPipelineReconciler.endpoints} reports) and {@code OTEL_SERVICE_NAME}. The program ({@code
 * src/test/resources/tracing-clients/manual_tracing.py}) runs with python3 on the SDK {@code
 * e2e/tools/install.sh otel-python} installed (opentelemetry-sdk and
 * opentelemetry-exporter-otlp-proto-http 1.43.0; PYTHONPATH, nothing else of the
 * auto-instrumentation is loaded), through the real collector on the file Vigil renders into the
 * real Jaeger v2; the trace is read back from Jaeger's query API with both spans, their attributes,
 * the parent/child reference, the error status and the recorded exception.
 *
 * <p>The one change from what a pod is given: the endpoint's in-cluster {@code host:port} is mapped
 * to the collector's loopback port ({@link LoopbackTracing}).
 */
class OtelSdkByConfigurationIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Duration FOUND_WITHIN = Duration.ofSeconds(30);
  private static final Duration RUNS_WITHIN = Duration.ofSeconds(60);

  @Test
  void pythonSdkSendsToTheStatusEndpointWithConfigurationOnly(@TempDir Path dir) throws Exception {
    TracingPipeline pipeline =
        YAML.readValue(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: shop-traces, namespace: shop}
            spec:
              processors:
                k8sAttributes: {enabled: false}
                batch: {timeout: 100ms}
              exporters:
                jaeger: {storage: memory, maxTraces: 1000}
            """,
            TracingPipeline.class);
    TracingPipelineStatus.Endpoints endpoints = endpoints(pipeline);
    assertThat(endpoints.otlpHttp).isEqualTo("http://shop-traces-collector.shop.svc:4318");
    Path sdk =
        Path.of(RealApiServer.tool("VIGIL_AUTOINSTRUMENTATION_DIR"))
            .resolve("otel-auto-instrumentation-python");

    try (LoopbackTracing.Jaeger jaeger = LoopbackTracing.startJaeger(pipeline, dir);
        Collector collector =
            LoopbackTracing.startCollector(pipeline, jaeger.otlpGrpcPort(), dir)) {
      String endpoint =
          endpoints.otlpHttp.replace(
              "shop-traces-collector.shop.svc:4318",
              "127.0.0.1:" + loopbackPort(collector, endpoints.otlpHttp));

      long start = System.nanoTime();
      ClientProgram program =
          ClientProgram.run(
              "manual-tracing",
              List.of("python3", resource("manual_tracing.py").toString()),
              Map.of(
                  "PYTHONPATH",
                  sdk.toString(),
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  endpoint,
                  "OTEL_SERVICE_NAME",
                  "checkout-py"),
              dir,
              RUNS_WITHIN);
      assertThat(program.exitCode()).as("manual_tracing.py:%n%s", program.output()).isZero();
      assertThat(program.output()).doesNotContain("Traceback").doesNotContain("Failed to export");
      String traceId = program.printed("trace");
      assertThat(traceId)
          .as("manual_tracing.py printed its trace id:%n%s", program.output())
          .isNotNull();

      JsonNode trace =
          awaitTrace(
              jaeger.query(),
              "checkout-py",
              t -> sameTraceId(t.path("traceID").asText(), traceId) && t.path("spans").size() == 2,
              FOUND_WITHIN);
      assertThat(trace)
          .as(
              "the checkout-py trace %s with 2 spans in Jaeger within %s%ncollector:%n%s",
              traceId, FOUND_WITHIN, collector.process().log())
          .isNotNull();
      System.out.printf(
          "OtelSdkByConfigurationIT: the Python SDK's trace found in Jaeger after %d ms%n",
          Duration.ofNanos(System.nanoTime() - start).toMillis());

      JsonNode checkout = span(trace, "checkout");
      JsonNode charge = span(trace, "charge-card");
      assertThat(tag(checkout, "order.id")).isEqualTo("o-42");
      assertThat(tag(checkout, "order.items")).isEqualTo("3");
      assertThat(tag(checkout, "otel.status_code")).isNull();
      assertThat(tag(charge, "payment.method")).isEqualTo("card");
      assertThat(tag(charge, "otel.status_code")).isEqualTo("ERROR");
      assertThat(tag(charge, "otel.status_description")).isEqualTo("card declined for 42");
      assertThat(tag(charge, "error")).isEqualTo("true");
      assertThat(charge.path("references"))
          .singleElement()
          .satisfies(
              reference -> {
                assertThat(reference.path("refType").asText()).isEqualTo("CHILD_OF");
                assertThat(reference.path("spanID").asText())
                    .isEqualTo(checkout.path("spanID").asText());
              });
      // The recorded exception: a span event, a log in Jaeger's model.
      assertThat(charge.path("logs").toString())
          .contains("exception")
          .contains("RuntimeError")
          .contains("card declined for 42");
      assertThat(
              trace
                  .path("processes")
                  .path(checkout.path("processID").asText())
                  .path("serviceName")
                  .asText())
          .isEqualTo("checkout-py");
    }
  }
}
