package dev.vigil.e2e.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for Datadog's OTLP intake on loopback, checking what Datadog documents for it: {@code
 * POST} to {@code /v1/traces}, {@code /v1/logs} or {@code /v1/metrics}, {@code Content-Type:
 * application/x-protobuf}, the {@code dd-api-key} header equal to the organization's key, a body
 * gzip-compressed when {@code Content-Encoding} says so. It decodes each accepted body with the
 * OTLP protobuf classes and keeps the requests, answering {@code 202 Accepted} as Datadog's intake
 * does; anything else is refused (401/403/404/405/415/400) and the reason kept in {@link
 * #refusals()}.
 *
 * <p>Traces, logs and metrics are decoded alike, so a LogPipeline's path can be tested the same way
 * ({@link #logRecords()}).
 */
public final class DatadogIntakeStandIn implements AutoCloseable {
  /** Each signal's path and the messages that are its request and (empty) response. */
  private enum Signal {
    TRACES("/v1/traces"),
    LOGS("/v1/logs"),
    METRICS("/v1/metrics");

    final String path;

    Signal(String path) {
      this.path = path;
    }
  }

  /**
   * One accepted request.
   *
   * @param path {@code /v1/traces}, {@code /v1/logs} or {@code /v1/metrics}
   * @param headers its headers, names in lower case, the API key's value replaced by {@code ***}
   * @param gzip whether its body was gzip-compressed
   */
  public record Request(String path, Map<String, String> headers, boolean gzip) {}

  /** One span as received, with its resource's and its own attributes as strings. */
  public record ReceivedSpan(
      String traceId,
      String spanId,
      String name,
      Map<String, String> resource,
      Map<String, String> attributes) {}

  /** One log record as received, with its resource's and its own attributes as strings. */
  public record ReceivedLog(
      String body,
      String severityText,
      String traceId,
      Map<String, String> resource,
      Map<String, String> attributes) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final String apiKey;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();

  private DatadogIntakeStandIn(HttpServer server, ExecutorService executor, String apiKey) {
    this.server = server;
    this.executor = executor;
    this.apiKey = apiKey;
  }

  /** Starts an intake on a free loopback port that accepts {@code apiKey}. */
  public static DatadogIntakeStandIn start(String apiKey) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    DatadogIntakeStandIn intake = new DatadogIntakeStandIn(server, executor, apiKey);
    server.createContext("/", intake::handle);
    server.setExecutor(executor);
    server.start();
    return intake;
  }

  /** The base URL, {@code http://127.0.0.1:<port>}: the signals' paths are below it. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The requests accepted so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Why requests were refused, in order; empty when none was. */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  /** The trace export requests accepted so far. */
  public List<ExportTraceServiceRequest> traceRequests() {
    return List.copyOf(traces);
  }

  /** The log export requests accepted so far. */
  public List<ExportLogsServiceRequest> logRequests() {
    return List.copyOf(logs);
  }

  /** The metric export requests accepted so far. */
  public List<ExportMetricsServiceRequest> metricRequests() {
    return List.copyOf(metrics);
  }

  /** Every span received so far. */
  public List<ReceivedSpan> spans() {
    HexFormat hex = HexFormat.of();
    List<ReceivedSpan> spans = new ArrayList<>();
    for (ExportTraceServiceRequest request : traces) {
      for (var resourceSpans : request.getResourceSpansList()) {
        Map<String, String> resource = attributes(resourceSpans.getResource());
        for (var scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            spans.add(
                new ReceivedSpan(
                    hex.formatHex(span.getTraceId().toByteArray()),
                    hex.formatHex(span.getSpanId().toByteArray()),
                    span.getName(),
                    resource,
                    attributes(span.getAttributesList())));
          }
        }
      }
    }
    return spans;
  }

  /** Every log record received so far. */
  public List<ReceivedLog> logRecords() {
    HexFormat hex = HexFormat.of();
    List<ReceivedLog> records = new ArrayList<>();
    for (ExportLogsServiceRequest request : logs) {
      for (var resourceLogs : request.getResourceLogsList()) {
        Map<String, String> resource = attributes(resourceLogs.getResource());
        for (var scopeLogs : resourceLogs.getScopeLogsList()) {
          for (LogRecord record : scopeLogs.getLogRecordsList()) {
            records.add(
                new ReceivedLog(
                    string(record.getBody()),
                    record.getSeverityText(),
                    hex.formatHex(record.getTraceId().toByteArray()),
                    resource,
                    attributes(record.getAttributesList())));
          }
        }
      }
    }
    return records;
  }

  /** Waits up to {@code timeout} for a received span {@code wanted} accepts; null if none came. */
  public ReceivedSpan awaitSpan(Predicate<ReceivedSpan> wanted, Duration timeout)
      throws InterruptedException {
    return await(() -> spans().stream().filter(wanted).findFirst().orElse(null), timeout);
  }

  /** Waits up to {@code timeout} for a log record {@code wanted} accepts; null if none came. */
  public ReceivedLog awaitLog(Predicate<ReceivedLog> wanted, Duration timeout)
      throws InterruptedException {
    return await(() -> logRecords().stream().filter(wanted).findFirst().orElse(null), timeout);
  }

  private static <T> T await(Supplier<T> found, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      T value = found.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Signal signal = null;
      for (Signal s : Signal.values()) {
        if (s.path.equals(path)) {
          signal = s;
        }
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (signal == null) {
        refuse(exchange, 404, path + ": not an OTLP intake path");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        refuse(exchange, 405, path + ": " + exchange.getRequestMethod() + " instead of POST");
        return;
      }
      String key = exchange.getRequestHeaders().getFirst("dd-api-key");
      if (key == null) {
        refuse(exchange, 401, path + ": no dd-api-key header");
        return;
      }
      if (!key.equals(apiKey)) {
        refuse(exchange, 403, path + ": dd-api-key is not the organization's API key");
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (!"application/x-protobuf".equals(type)) {
        refuse(exchange, 415, path + ": Content-Type " + type + ", not application/x-protobuf");
        return;
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      boolean gzip = "gzip".equalsIgnoreCase(encoding);
      if (encoding != null && !gzip && !"identity".equalsIgnoreCase(encoding)) {
        refuse(exchange, 415, path + ": Content-Encoding " + encoding);
        return;
      }
      byte[] decoded;
      try {
        decoded = gzip ? gunzip(body) : body;
        switch (signal) {
          case TRACES -> traces.add(ExportTraceServiceRequest.parseFrom(decoded));
          case LOGS -> logs.add(ExportLogsServiceRequest.parseFrom(decoded));
          case METRICS -> metrics.add(ExportMetricsServiceRequest.parseFrom(decoded));
        }
      } catch (IOException e) {
        refuse(exchange, 400, path + ": the body is not an OTLP protobuf request: " + e);
        return;
      }
      requests.add(new Request(path, headers(exchange), gzip));
      byte[] response =
          switch (signal) {
            case TRACES -> ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            case LOGS -> ExportLogsServiceResponse.getDefaultInstance().toByteArray();
            case METRICS -> ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
          };
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(202, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    }
  }

  private void refuse(HttpExchange exchange, int status, String reason) throws IOException {
    refusals.add(status + " " + reason);
    byte[] body = reason.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              headers.put(lower, lower.equals("dd-api-key") ? "***" : String.join(",", values));
            });
    return headers;
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue attribute : attributes) {
      map.put(attribute.getKey(), string(attribute.getValue()));
    }
    return map;
  }

  private static String string(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case VALUE_NOT_SET -> null;
      default -> value.toString().strip();
    };
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
