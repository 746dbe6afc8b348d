package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigInputs;
import dev.vigil.reconcilers.collector.CollectorConfigRenderer;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerConfigRenderer;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import dev.vigil.reconcilers.objects.ServiceHost;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace path Vigil renders for a TracingPipeline, run as real processes on this machine: the
 * real Jaeger v2 on the {@link JaegerConfigBuilder} file and the real OpenTelemetry Collector on
 * the {@link CollectorConfigBuilder} file, each as rendered with only the in-cluster addresses
 * moved to loopback: every {@code 0.0.0.0:<port>} listener to a free loopback port, the collector's
 * own metrics to a free loopback port, and the Jaeger backend's Service address ({@code
 * <pipeline>-jaeger.<ns>.svc:4317}) to Jaeger's loopback OTLP gRPC port. Shared by {@code
 * TracingPipelineIT} and {@code InstrumentedAppsIT}.
 */
public final class LoopbackTracing {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern ANY_HOST = Pattern.compile("0\\.0\\.0\\.0:(\\d+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LoopbackTracing() {}

  /** A real Jaeger on loopback; {@code ports} maps each rendered port to its loopback one. */
  public record Jaeger(RealTracingProcess process, Map<Integer, Integer> ports)
      implements AutoCloseable {
    /** Jaeger's query API (HTTP). */
    public URI query() {
      return loopback(ports.get(JaegerConfigBuilder.QUERY_HTTP_PORT));
    }

    /** Jaeger's own OTLP gRPC port, where the collectors export to. */
    public int otlpGrpcPort() {
      return ports.get(JaegerConfigBuilder.OTLP_GRPC_PORT);
    }

    /** Jaeger's own OTLP HTTP receiver. */
    public URI otlpHttp() {
      return loopback(ports.get(JaegerConfigBuilder.OTLP_HTTP_PORT));
    }

    @Override
    public void close() throws InterruptedException {
      process.close();
    }
  }

  /** A real collector on loopback; {@code ports} maps each rendered port to its loopback one. */
  public record Collector(RealTracingProcess process, Map<Integer, Integer> ports)
      implements AutoCloseable {
    /** The OTLP HTTP receiver's base URL ({@code /v1/traces} is below it). */
    public URI otlpHttp() {
      return loopback(ports.get(4318));
    }

    /** The OTLP gRPC receiver's loopback port. */
    public int otlpGrpcPort() {
      return ports.get(4317);
    }

    /** The OTLP HTTP receiver's loopback port. */
    public int otlpHttpPort() {
      return ports.get(4318);
    }

    /** The collector's own Prometheus metrics. */
    public URI metrics() {
      return loopback(ports.get(CollectorConfigBuilder.METRICS_PORT));
    }

    @Override
    public void close() throws InterruptedException {
      process.close();
    }
  }

  /** Starts Jaeger on the file Vigil renders for {@code pipeline}'s Jaeger backend. */
  public static Jaeger startJaeger(TracingPipeline pipeline, Path dir) throws Exception {
    JaegerConfigBuilder.Result result = JaegerConfigBuilder.build(pipeline);
    assertThat(result.problems()).isEmpty();
    Map<Integer, Integer> ports = new TreeMap<>();
    JsonNode config = toLoopback(JaegerConfigRenderer.renderString(result.config()), ports);
    Path file = write(dir.resolve("jaeger.yaml"), config);
    RealTracingProcess process =
        RealTracingProcess.start(
            "jaeger",
            "VIGIL_JAEGER",
            file,
            loopback(ports.get(JaegerConfigBuilder.HEALTH_PORT))
                .resolve(JaegerConfigBuilder.HEALTH_PATH),
            dir);
    return new Jaeger(process, ports);
  }

  /**
   * Starts a collector on the file Vigil renders for {@code pipeline} (a gateway exporting to its
   * Jaeger backend), with that backend's Service address moved to {@code jaegerOtlpGrpc}.
   */
  public static Collector startCollector(TracingPipeline pipeline, int jaegerOtlpGrpc, Path dir)
      throws Exception {
    CollectorConfigBuilder.Result result =
        CollectorConfigBuilder.build(
            pipeline,
            new CollectorConfigInputs(null, null, JaegerNames.collectorEndpoint(pipeline)));
    assertThat(result.problems()).isEmpty();
    assertThat(result.env()).isEmpty();
    String rendered = CollectorConfigRenderer.renderString(result.config());
    String jaegerService =
        ServiceHost.of(
                JaegerNames.service(pipeline.getMetadata().getName()),
                pipeline.getMetadata().getNamespace())
            + ":"
            + JaegerConfigBuilder.OTLP_GRPC_PORT;
    assertThat(rendered).contains(jaegerService);
    return startCollector(
        "otelcol-" + pipeline.getMetadata().getName(),
        rendered.replace(jaegerService, "127.0.0.1:" + jaegerOtlpGrpc),
        Map.of(),
        dir);
  }

  /**
   * Starts a collector named {@code name} on a {@code rendered} file, with its listeners moved to
   * loopback ({@link #toLoopback}) and {@code env} set as the pod would set the variables the file
   * references.
   */
  public static Collector startCollector(
      String name, String rendered, Map<String, String> env, Path dir) throws Exception {
    return startCollector(name, rendered, List.of(), env, dir);
  }

  /**
   * As {@link #startCollector(String, String, Map, Path)}, with {@code arguments} after the config
   * as the pod passes them (e.g. {@code --feature-gates=...}).
   */
  public static Collector startCollector(
      String name, String rendered, List<String> arguments, Map<String, String> env, Path dir)
      throws Exception {
    Map<Integer, Integer> ports = new TreeMap<>();
    JsonNode config = toLoopback(rendered, ports);
    Path file = write(dir.resolve(name + ".yaml"), config);
    RealTracingProcess process =
        RealTracingProcess.start(
            name,
            "VIGIL_OTELCOL",
            file,
            arguments,
            loopback(ports.get(CollectorConfigBuilder.HEALTH_PORT))
                .resolve(CollectorConfigBuilder.HEALTH_PATH),
            dir,
            env);
    return new Collector(process, ports);
  }

  /**
   * Moves every {@code 0.0.0.0:<port>} listener and the telemetry's Prometheus endpoint to a free
   * loopback port; {@code ports} maps each rendered port to its loopback one.
   */
  public static JsonNode toLoopback(String rendered, Map<Integer, Integer> ports)
      throws IOException {
    JsonNode config = YAML.readTree(rendered);
    moveListeners(config, ports);
    for (JsonNode reader :
        config.path("service").path("telemetry").path("metrics").path("readers")) {
      ObjectNode prometheus = (ObjectNode) reader.path("pull").path("exporter").path("prometheus");
      int port = prometheus.path("port").asInt();
      int free = RealPrometheus.freePort();
      ports.put(port, free);
      prometheus.set("host", new TextNode("127.0.0.1"));
      prometheus.set("port", new IntNode(free));
    }
    return config;
  }

  private static void moveListeners(JsonNode node, Map<Integer, Integer> ports) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        Matcher matcher =
            field.getValue().isTextual() ? ANY_HOST.matcher(field.getValue().asText()) : null;
        if (matcher != null && matcher.matches()) {
          int free = RealPrometheus.freePort();
          ports.put(Integer.parseInt(matcher.group(1)), free);
          field.setValue(new TextNode("127.0.0.1:" + free));
        } else {
          moveListeners(field.getValue(), ports);
        }
      }
    } else if (node != null && node.isArray()) {
      for (JsonNode element : node) {
        moveListeners(element, ports);
      }
    }
  }

  /** Writes a configuration as YAML. */
  public static Path write(Path file, JsonNode config) throws IOException {
    YAML.writeValue(file.toFile(), config);
    return file;
  }

  /** {@code http://127.0.0.1:<port>/}. */
  public static URI loopback(int port) {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /**
   * Polls Jaeger's query API ({@code GET /api/traces?service=...}) until a trace of {@code service}
   * that {@code wanted} accepts is there; null when none came within {@code timeout}.
   */
  public static JsonNode awaitTrace(
      URI query, String service, Predicate<JsonNode> wanted, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      query.resolve(
                          "/api/traces?service="
                              + URLEncoder.encode(service, StandardCharsets.UTF_8)
                              + "&limit=20"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        for (JsonNode trace : JSON.readTree(response.body()).path("data")) {
          if (wanted.test(trace)) {
            return trace;
          }
        }
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return null;
  }

  /** As {@link #awaitTrace(URI, String, Predicate, Duration)}, any trace of {@code service}. */
  public static JsonNode awaitTrace(URI query, String service, Duration timeout) throws Exception {
    return awaitTrace(query, service, trace -> true, timeout);
  }
}
