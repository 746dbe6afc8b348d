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
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications on the retired Jaeger clients send through a TracingPipeline with no change but
 * their agent address: the real Node.js {@code jaeger-client} 3.19.0 and the real Python {@code
 * jaeger-client} 4.8.0 (both installed by {@code e2e/tools/install.sh jaeger-client}) send Thrift
 * over UDP to the real collector on the file {@link CollectorConfigBuilder} renders for a pipeline
 * with {@code receivers.jaegerThriftCompact} and {@code jaegerThriftBinary}, which exports to the
 * real Jaeger v2 on the file {@code JaegerConfigBuilder} renders ({@link LoopbackTracing}: the
 * listeners, the UDP ones too, moved to free loopback ports). Each trace is read back from Jaeger's
 * query API: both spans, the parent/child reference, the tags, the error and its log.
 *
 * <p>The Node.js client speaks Thrift <em>binary</em> only (its default agent port is 6832:
 * thriftrw has no compact protocol), so it tests the {@code jaegerThriftBinary} receiver; the
 * Python client speaks Thrift <em>compact</em> to 6831, as the Java, Go and C++ clients do, and
 * tests {@code jaegerThriftCompact}.
 *
 * <p>The agent address is the pipeline's own {@code status.endpoints} entry (what {@link
 * TracingPipelineReconciler#endpoints} reports), its in-cluster {@code host:port} mapped to the
 * collector's loopback port: {@code JAEGER_AGENT_HOST} and {@code JAEGER_AGENT_PORT}, as a pod
 * would set them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyJaegerClientsIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Duration FOUND_WITHIN = Duration.ofSeconds(30);
  private static final Duration RUNS_WITHIN = Duration.ofSeconds(30);

  private Path dir;
  private TracingPipelineStatus.Endpoints endpoints;
  private LoopbackTracing.Jaeger jaeger;
  private Collector collector;

  @BeforeAll
  void startTracePath(@TempDir Path dir) throws Exception {
    this.dir = dir;
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
    endpoints = endpoints(pipeline);
    assertThat(endpoints.jaegerThriftCompact).isEqualTo("legacy-collector.e2e.svc:6831");
    assertThat(endpoints.jaegerThriftBinary).isEqualTo("legacy-collector.e2e.svc:6832");
    jaeger = LoopbackTracing.startJaeger(pipeline, dir);
    collector = LoopbackTracing.startCollector(pipeline, jaeger.otlpGrpcPort(), dir);
  }

  @AfterAll
  void stopTracePath() throws InterruptedException {
    if (collector != null) {
      collector.close();
    }
    if (jaeger != null) {
      jaeger.close();
    }
  }

  @Test
  void nodeJaegerClientSendsThriftBinaryOverUdpThroughThePipelineToJaeger() throws Exception {
    assertSendsThroughThePipeline(
        "legacy-node",
        List.of("node", resource("legacy-jaeger-node.js").toString()),
        Map.of("NODE_PATH", RealApiServer.tool("VIGIL_JAEGER_CLIENT_NODEJS")),
        endpoints.jaegerThriftBinary);
  }

  @Test
  void pythonJaegerClientSendsThriftCompactOverUdpThroughThePipelineToJaeger() throws Exception {
    assertSendsThroughThePipeline(
        "legacy-python",
        List.of("python3", resource("legacy_jaeger_python.py").toString()),
        Map.of("PYTHONPATH", RealApiServer.tool("VIGIL_JAEGER_CLIENT_PYTHON")),
        endpoints.jaegerThriftCompact);
  }

  /**
   * Runs a client program as {@code service}, its agent at the loopback port of {@code endpoint},
   * and finds its trace in Jaeger: "checkout" with tag {@code order.id}, and its child
   * "charge-card" with {@code payment.method}, {@code error=true} and a "card declined" log.
   */
  private void assertSendsThroughThePipeline(
      String service, List<String> command, Map<String, String> clientEnv, String endpoint)
      throws Exception {
    Map<String, String> env = new TreeMap<>(clientEnv);
    env.put("SERVICE_NAME", service);
    env.put("JAEGER_AGENT_HOST", "127.0.0.1");
    env.put("JAEGER_AGENT_PORT", Integer.toString(loopbackPort(collector, endpoint)));
    long start = System.nanoTime();
    ClientProgram app = ClientProgram.run(service, command, env, dir, RUNS_WITHIN);
    assertThat(app.exitCode()).as("%s:%n%s", service, app.output()).isZero();
    assertThat(app.output()).doesNotContain("ERROR").doesNotContain("Traceback");
    String traceId = app.printed("trace");
    assertThat(traceId).as("%s printed its trace id:%n%s", service, app.output()).isNotNull();

    JsonNode trace =
        awaitTrace(
            jaeger.query(),
            service,
            t -> sameTraceId(t.path("traceID").asText(), traceId) && t.path("spans").size() == 2,
            FOUND_WITHIN);
    assertThat(trace)
        .as(
            "the %s trace %s with 2 spans in Jaeger within %s%nclient:%n%s%ncollector:%n%s",
            service, traceId, FOUND_WITHIN, app.output(), collector.process().log())
        .isNotNull();
    System.out.printf(
        "LegacyJaegerClientsIT: %s's trace (client run included) found in Jaeger after %d ms%n",
        service, Duration.ofNanos(System.nanoTime() - start).toMillis());

    JsonNode checkout = span(trace, "checkout");
    JsonNode charge = span(trace, "charge-card");
    assertThat(tag(checkout, "order.id")).isEqualTo("o-42");
    assertThat(tag(checkout, "error")).isNull();
    assertThat(tag(charge, "payment.method")).isEqualTo("card");
    assertThat(tag(charge, "error")).isEqualTo("true");
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
        .isEqualTo(service);
    assertThat(collector.process().log()).doesNotContainIgnoringCase("deprecated");
  }
}
