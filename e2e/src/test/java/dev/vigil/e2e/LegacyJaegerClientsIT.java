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
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.tracingpipeline.TracingPipelineReconciler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application on the retired Jaeger clients sends through a TracingPipeline with no change but
 * its agent address: the real Node.js {@code jaeger-client} 3.19.0 (installed by {@code
 * e2e/tools/install.sh jaeger-client}) sends Thrift over UDP to the real collector on the file
 * {@link CollectorConfigBuilder} renders for a pipeline with {@code receivers.jaegerThriftCompact}
 * and {@code jaegerThriftBinary}, which exports to the real Jaeger v2 on the file {@code
 * JaegerConfigBuilder} renders ({@link LoopbackTracing}: the listeners, UDP ones included, moved to
 * free loopback ports). The trace is read back from Jaeger's query API: both spans, the
 * parent/child reference, the tags, the error.
 *
 * <p>The agent address is the pipeline's own {@code status.endpoints} entry (what {@link
 * TracingPipelineReconciler#endpoints} reports), its in-cluster {@code host:port} mapped to the
 * collector's loopback port: {@code JAEGER_AGENT_HOST} and {@code JAEGER_AGENT_PORT}, as a pod
 * would set them.
 *
 * <p>The Node.js client speaks Thrift <em>binary</em> over UDP only (its default agent port is
 * 6832: thriftrw has no compact protocol), so this is the {@code jaegerThriftBinary} receiver's
 * end-to-end test. The compact receiver (6831: the Java, Go, Python and C++ clients) is checked
 * here by the collector starting and listening on the rendered file, and over every golden file by
 * {@code otelcol validate} (CollectorConfigValidateTest), not by a real client.
 */
class LegacyJaegerClientsIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Duration FOUND_WITHIN = Duration.ofSeconds(30);
  private static final Duration RUNS_WITHIN = Duration.ofSeconds(30);

  @Test
  void nodeJaegerClientSendsThriftBinaryOverUdpThroughThePipelineToJaeger(@TempDir Path dir)
      throws Exception {
    TracingPipeline pipeline =
        YAML.readValue(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: legacy, namespace: e2e}
            spec:
              receivers:
                jaegerThriftCompact: {}
                jaegerThriftBinary: {}
              processors:
                k8sAttributes: {enabled: false}
                batch: {timeout: 100ms}
              exporters:
                jaeger: {storage: memory, maxTraces: 1000}
            """,
            TracingPipeline.class);
    TracingPipelineStatus.Endpoints endpoints = endpoints(pipeline);
    assertThat(endpoints.jaegerThriftCompact).isEqualTo("legacy-collector.e2e.svc:6831");
    assertThat(endpoints.jaegerThriftBinary).isEqualTo("legacy-collector.e2e.svc:6832");

    try (LoopbackTracing.Jaeger jaeger = LoopbackTracing.startJaeger(pipeline, dir);
        Collector collector =
            LoopbackTracing.startCollector(pipeline, jaeger.otlpGrpcPort(), dir)) {
      assertThat(collector.ports()).containsKeys(6831, 6832);
      int agentPort = loopbackPort(collector, endpoints.jaegerThriftBinary);

      long start = System.nanoTime();
      ClientProgram app =
          ClientProgram.run(
              "jaeger-client",
              List.of("node", resource("jaeger-client.js").toString()),
              Map.of(
                  "NODE_PATH",
                  RealApiServer.tool("VIGIL_JAEGER_CLIENT_NODEJS"),
                  "SERVICE_NAME",
                  "legacy-node",
                  "JAEGER_AGENT_HOST",
                  "127.0.0.1",
                  "JAEGER_AGENT_PORT",
                  Integer.toString(agentPort)),
              dir,
              RUNS_WITHIN);
      assertThat(app.exitCode()).as("jaeger-client.js:%n%s", app.output()).isZero();
      assertThat(app.output()).doesNotContain("ERROR");
      String traceId = app.printed("trace");
      assertThat(traceId)
          .as("jaeger-client.js printed its trace id:%n%s", app.output())
          .isNotNull();

      JsonNode trace =
          awaitTrace(
              jaeger.query(),
              "legacy-node",
              t -> sameTraceId(t.path("traceID").asText(), traceId) && t.path("spans").size() == 2,
              FOUND_WITHIN);
      assertThat(trace)
          .as(
              "the legacy-node trace %s with 2 spans in Jaeger within %s%ncollector:%n%s",
              traceId, FOUND_WITHIN, collector.process().log())
          .isNotNull();
      System.out.printf(
          "LegacyJaegerClientsIT: jaeger-client's trace found in Jaeger after %d ms%n",
          Duration.ofNanos(System.nanoTime() - start).toMillis());

      JsonNode checkout = span(trace, "checkout");
      JsonNode charge = span(trace, "charge-card");
      assertThat(tag(checkout, "order.id")).isEqualTo("o-42");
      assertThat(tag(charge, "payment.method")).isEqualTo("card");
      assertThat(tag(charge, "error")).isEqualTo("true");
      assertThat(tag(checkout, "error")).isNull();
      assertThat(charge.path("references"))
          .singleElement()
          .satisfies(
              reference -> {
                assertThat(reference.path("refType").asText()).isEqualTo("CHILD_OF");
                assertThat(reference.path("spanID").asText())
                    .isEqualTo(checkout.path("spanID").asText());
              });
      assertThat(charge.path("logs").toString()).contains("card declined");
      assertThat(
              trace
                  .path("processes")
                  .path(checkout.path("processID").asText())
                  .path("serviceName")
                  .asText())
          .isEqualTo("legacy-node");
      assertThat(collector.process().log()).doesNotContainIgnoringCase("deprecated");
    }
  }
}
