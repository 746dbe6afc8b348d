package dev.vigil.e2e;

import static dev.vigil.e2e.harness.LoopbackTracing.awaitTrace;
import static dev.vigil.e2e.harness.LoopbackTracing.loopback;
import static dev.vigil.e2e.harness.LoopbackTracing.startCollector;
import static dev.vigil.e2e.harness.LoopbackTracing.toLoopback;
import static dev.vigil.e2e.harness.LoopbackTracing.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.LoopbackTracing;
import dev.vigil.e2e.harness.LoopbackTracing.Collector;
import dev.vigil.e2e.harness.OtlpTraces;
import dev.vigil.e2e.harness.RealTracingProcess;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerConfigRenderer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces end to end with real processes on the files Vigil renders: the real Jaeger v2 (memory
 * storage) runs the {@link JaegerConfigBuilder} file, and real OpenTelemetry Collectors (0.160) run
 * the {@link CollectorConfigBuilder} files of two gateway pipelines exporting to that Jaeger
 * backend, one keeping every trace and one with a probabilistic sampler at 0%. The test sends spans
 * over OTLP HTTP ({@code POST /v1/traces}, JSON) to each collector and reads Jaeger's query API
 * ({@code GET /api/traces?service=...}): the kept spans appear, the sampled-out spans never do,
 * though the collector accepted them and spans sent after them through the other collector did
 * appear.
 *
 * <p>The files run as rendered, with only the in-cluster addresses moved to this machine: every
 * {@code 0.0.0.0:<port>} listener to a free loopback port, the collectors' own metrics to a free
 * loopback port, and the Jaeger backend's Service address ({@code <pipeline>-jaeger.<ns>.svc:4317})
 * to Jaeger's loopback OTLP gRPC port ({@link LoopbackTracing}, which InstrumentedAppsIT shares).
 * k8s_attributes is off: there is no API server here.
 */
class TracingPipelineIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Duration FOUND_WITHIN = Duration.ofSeconds(30);
  private static final Duration NEVER_WITHIN = Duration.ofSeconds(5);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void spansReachJaegerAndAZeroPercentSamplerDropsThem(@TempDir Path dir) throws Exception {
    TracingPipeline kept = pipeline("kept", null);
    TracingPipeline dropped = pipeline("dropped", 0.0);

    // Jaeger, from the kept pipeline's backend settings (both pipelines' files point their
    // exporter at a <pipeline>-jaeger Service: here both go to this one process).
    try (LoopbackTracing.Jaeger jaeger = LoopbackTracing.startJaeger(kept, dir);
        Collector keptCollector = startCollector(kept, jaeger.otlpGrpcPort(), dir);
        Collector droppedCollector = startCollector(dropped, jaeger.otlpGrpcPort(), dir)) {
      URI query = jaeger.query();

      // 1. Spans sent to the gateway are found in Jaeger.
      long start = System.nanoTime();
      String keptTrace = send(keptCollector, "vigil-e2e");
      JsonNode found = awaitTrace(query, "vigil-e2e", FOUND_WITHIN);
      Duration foundAfter = Duration.ofNanos(System.nanoTime() - start);
      assertThat(found)
          .as(
              "vigil-e2e spans in Jaeger within %s%njaeger:%n%s%ncollector:%n%s",
              FOUND_WITHIN, jaeger.process().log(), keptCollector.process().log())
          .isNotNull();
      assertThat(found.path("traceID").asText()).isEqualTo(keptTrace);
      assertThat(found.path("spans")).hasSize(2);
      System.out.printf(
          "TracingPipelineIT: spans found in Jaeger after %d ms%n", millis(foundAfter));

      // 2. Spans sent to the 0% gateway never are, while the path keeps working: a control sent
      // through the other gateway afterwards arrives, then we wait a while longer.
      send(droppedCollector, "vigil-e2e-dropped");
      send(keptCollector, "vigil-e2e-control");
      start = System.nanoTime();
      assertThat(awaitTrace(query, "vigil-e2e-control", FOUND_WITHIN))
          .as("positive control: vigil-e2e-control spans in Jaeger")
          .isNotNull();
      Duration controlAfter = Duration.ofNanos(System.nanoTime() - start);
      assertThat(awaitTrace(query, "vigil-e2e-dropped", NEVER_WITHIN))
          .as(
              "spans through the 0%% sampler in Jaeger%ncollector:%n%s",
              droppedCollector.process().log())
          .isNull();
      assertThat(acceptedSpans(droppedCollector))
          .as("the 0% collector received the spans it dropped")
          .isGreaterThanOrEqualTo(2);
      System.out.printf(
          "TracingPipelineIT: control found after %d ms; sampled-out spans absent %d s later%n",
          millis(controlAfter), NEVER_WITHIN.toSeconds());

      // The rendered component ids are current: no deprecated alias was used.
      assertThat(keptCollector.process().log()).doesNotContainIgnoringCase("deprecated");
      assertThat(droppedCollector.process().log()).doesNotContainIgnoringCase("deprecated");
    }
  }

  @Test
  void badgerBackendStoresSpansOnDisk(@TempDir Path dir) throws Exception {
    TracingPipeline pipeline =
        YAML.readValue(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: kept, namespace: e2e}
            spec:
              exporters:
                jaeger: {storage: badger, retention: 24h}
            """,
            TracingPipeline.class);
    JaegerConfigBuilder.Result result = JaegerConfigBuilder.build(pipeline);
    assertThat(result.persistent()).isTrue();
    // The volume's mount point, here a directory of the test.
    Path data = dir.resolve("data");
    String rendered =
        JaegerConfigRenderer.renderString(result.config())
            .replace(JaegerConfigBuilder.DATA_DIR + "/", data + "/");
    Map<Integer, Integer> ports = new TreeMap<>();
    Path file = write(dir.resolve("jaeger-badger.yaml"), toLoopback(rendered, ports));
    try (RealTracingProcess jaeger =
        RealTracingProcess.start(
            "jaeger-badger",
            "VIGIL_JAEGER",
            file,
            loopback(ports.get(JaegerConfigBuilder.HEALTH_PORT))
                .resolve(JaegerConfigBuilder.HEALTH_PATH),
            dir)) {
      long start = System.nanoTime();
      String trace = send(loopback(ports.get(JaegerConfigBuilder.OTLP_HTTP_PORT)), "vigil-badger");
      JsonNode found =
          awaitTrace(
              loopback(ports.get(JaegerConfigBuilder.QUERY_HTTP_PORT)),
              "vigil-badger",
              FOUND_WITHIN);
      assertThat(found).as("vigil-badger spans in Jaeger:%n%s", jaeger.log()).isNotNull();
      System.out.printf(
          "TracingPipelineIT: badger: spans found after %d ms%n",
          millis(Duration.ofNanos(System.nanoTime() - start)));
      assertThat(found.path("traceID").asText()).isEqualTo(trace);
      assertThat(data.resolve("keys")).isDirectory();
      assertThat(data.resolve("values")).isDirectory();

      // The dependency graph, computed by badger from the stored spans: three traces in which
      // frontend calls catalog give one edge with three calls; the trace above, whose two spans
      // are one service's, gives none (badger leaves a service calling itself out).
      URI otlp = loopback(ports.get(JaegerConfigBuilder.OTLP_HTTP_PORT));
      for (int i = 0; i < 3; i++) {
        sendAcrossTwoServices(otlp, "frontend", "catalog");
      }
      URI query = loopback(ports.get(JaegerConfigBuilder.QUERY_HTTP_PORT));
      JsonNode dependencies = null;
      long deadline = System.nanoTime() + FOUND_WITHIN.toNanos();
      while (System.nanoTime() < deadline) {
        dependencies = dependencies(query);
        if (dependencies.size() == 1 && dependencies.get(0).path("callCount").asLong() == 3) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(dependencies)
          .as("badger's /api/dependencies%n%s", jaeger.log())
          .hasSize(1)
          .first()
          .satisfies(
              edge -> {
                assertThat(edge.path("parent").asText()).isEqualTo("frontend");
                assertThat(edge.path("child").asText()).isEqualTo("catalog");
                assertThat(edge.path("callCount").asLong()).isEqualTo(3);
              });
    }
  }

  /**
   * One trace in which {@code parent}'s server span calls {@code child}'s server span, sent as two
   * requests, one per service, as two instrumented apps would.
   */
  private void sendAcrossTwoServices(URI otlp, String parent, String child) throws Exception {
    HexFormat hex = HexFormat.of();
    SecureRandom random = new SecureRandom();
    byte[] traceId = new byte[16];
    byte[] parentId = new byte[8];
    byte[] childId = new byte[8];
    random.nextBytes(traceId);
    random.nextBytes(parentId);
    random.nextBytes(childId);
    long now = System.currentTimeMillis() * 1_000_000L;
    String trace = hex.formatHex(traceId);
    OtlpTraces.post(
        http,
        otlp,
        OtlpTraces.body(
            parent,
            List.of(
                new OtlpTraces.Span(
                    trace,
                    hex.formatHex(parentId),
                    null,
                    "GET /",
                    now,
                    now + 30_000_000L,
                    false))));
    OtlpTraces.post(
        http,
        otlp,
        OtlpTraces.body(
            child,
            List.of(
                new OtlpTraces.Span(
                    trace,
                    hex.formatHex(childId),
                    hex.formatHex(parentId),
                    "GET /items",
                    now + 5_000_000L,
                    now + 25_000_000L,
                    false))));
  }

  /** Jaeger's service dependencies of the last hour: {@code data} of {@code /api/dependencies}. */
  private JsonNode dependencies(URI query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    query.resolve(
                        "/api/dependencies?endTs="
                            + System.currentTimeMillis()
                            + "&lookback=3600000"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("/api/dependencies: %s", response.body()).isEqualTo(200);
    return YAML.readTree(response.body()).path("data");
  }

  /** A gateway pipeline exporting to its Jaeger backend, with an optional probabilistic rate. */
  private static TracingPipeline pipeline(String name, Double percentage) throws IOException {
    String sampling =
        percentage == null ? "" : "\n    sampling: {probabilisticPercentage: " + percentage + "}";
    return YAML.readValue(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: TracingPipeline
        metadata: {name: %s, namespace: e2e}
        spec:
          processors:
            k8sAttributes: {enabled: false}
            batch: {timeout: 100ms}%s
          exporters:
            jaeger: {storage: memory, maxTraces: 1000}
        """
            .formatted(name, sampling),
        TracingPipeline.class);
  }

  /** Sends one trace of two spans of {@code service} over OTLP HTTP; returns its trace ID. */
  private String send(Collector collector, String service) throws Exception {
    return send(collector.otlpHttp(), service);
  }

  /** Sends one trace of two spans of {@code service} to an OTLP HTTP receiver at {@code otlp}. */
  private String send(URI otlp, String service) throws Exception {
    return OtlpTraces.send(http, otlp, service, Map.of(), Map.of());
  }

  /** The spans the collector's receivers accepted, from its own metrics. */
  private long acceptedSpans(Collector collector) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(collector.metrics().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    long total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("otelcol_receiver_accepted_spans")) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static long millis(Duration duration) {
    return duration.toMillis();
  }
}
