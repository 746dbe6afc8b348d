package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Sends spans the way an instrumented app does: OTLP over HTTP, in JSON. */
public final class OtlpTraces {
  private OtlpTraces() {}

  /**
   * Sends one trace to the OTLP HTTP receiver at {@code otlp}: a server span {@code checkout} with
   * {@code checkoutAttributes}, and its client child {@code charge}, of a resource with {@code
   * service.name} {@code service} and {@code resourceAttributes}. Attribute values that are numbers
   * are sent as OTLP ints, the others as strings. Returns the trace ID, in hex.
   */
  public static String send(
      HttpClient http,
      URI otlp,
      String service,
      Map<String, Object> resourceAttributes,
      Map<String, Object> checkoutAttributes)
      throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] traceId = new byte[16];
    byte[] parent = new byte[8];
    byte[] child = new byte[8];
    random.nextBytes(traceId);
    random.nextBytes(parent);
    random.nextBytes(child);
    HexFormat hex = HexFormat.of();
    long now = System.currentTimeMillis() * 1_000_000L;
    Map<String, Object> resource = new TreeMap<>(resourceAttributes);
    resource.put("service.name", service);
    String body =
        """
        {"resourceSpans": [{
          "resource": {"attributes": %s},
          "scopeSpans": [{
            "scope": {"name": "vigil-e2e"},
            "spans": [
              {"traceId": "%s", "spanId": "%s", "name": "checkout", "kind": 2,
               "startTimeUnixNano": "%d", "endTimeUnixNano": "%d", "attributes": %s},
              {"traceId": "%s", "spanId": "%s", "parentSpanId": "%s", "name": "charge", "kind": 3,
               "startTimeUnixNano": "%d", "endTimeUnixNano": "%d"}
            ]
          }]
        }]}
        """
            .formatted(
                attributes(resource),
                hex.formatHex(traceId),
                hex.formatHex(parent),
                now,
                now + 20_000_000L,
                attributes(checkoutAttributes),
                hex.formatHex(traceId),
                hex.formatHex(child),
                hex.formatHex(parent),
                now + 1_000_000L,
                now + 15_000_000L);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(otlp.resolve("/v1/traces"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST /v1/traces: %s", response.body()).isEqualTo(200);
    return hex.formatHex(traceId);
  }

  /**
   * One span of a trace as OTLP sends it: IDs in hex ({@code parentSpanId} null for a root), times
   * in Unix nanoseconds, status ERROR when {@code error} (else unset).
   */
  public record Span(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      long startNanos,
      long endNanos,
      boolean error) {
    String json() {
      return "{\"traceId\": \""
          + traceId
          + "\", \"spanId\": \""
          + spanId
          + (parentSpanId == null ? "" : "\", \"parentSpanId\": \"" + parentSpanId)
          + "\", \"name\": \""
          + name
          + "\", \"kind\": "
          + (parentSpanId == null ? 2 : 3)
          + ", \"startTimeUnixNano\": \""
          + startNanos
          + "\", \"endTimeUnixNano\": \""
          + endNanos
          + "\""
          + (error ? ", \"status\": {\"code\": 2, \"message\": \"failed\"}" : "")
          + "}";
    }
  }

  /** An OTLP JSON request body: {@code spans} of one resource with {@code service.name}. */
  public static String body(String service, List<Span> spans) {
    return """
        {"resourceSpans": [{
          "resource": {"attributes": %s},
          "scopeSpans": [{"scope": {"name": "vigil-e2e"}, "spans": [%s]}]
        }]}
        """
        .formatted(
            attributes(Map.of("service.name", service)),
            spans.stream().map(Span::json).collect(Collectors.joining(", ")));
  }

  /** POSTs an OTLP JSON {@code body} to {@code /v1/traces} below {@code otlp}; expects 200. */
  public static void post(HttpClient http, URI otlp, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(otlp.resolve("/v1/traces"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST /v1/traces: %s", response.body()).isEqualTo(200);
  }

  /**
   * As {@link #post}, from the local address {@code source} (a pod's IP on loopback, which the
   * JDK's HttpClient cannot bind): one HTTP/1.1 request on a socket bound to it, then close.
   */
  public static void postFrom(InetAddress source, URI otlp, String body) throws Exception {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress(otlp.getHost(), otlp.getPort()), 2000);
      socket.setSoTimeout(5000);
      String head =
          "POST /v1/traces HTTP/1.1\r\nHost: "
              + otlp.getHost()
              + ":"
              + otlp.getPort()
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + content.length
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).as("POST /v1/traces from %s", source).startsWith("HTTP/1.1 200 ");
    }
  }

  /** OTLP JSON attributes, sorted by key; names and values hold no quotes. */
  private static String attributes(Map<String, Object> attributes) {
    return new TreeMap<>(attributes)
        .entrySet().stream()
            .map(
                e ->
                    "{\"key\": \""
                        + e.getKey()
                        + "\", \"value\": "
                        + (e.getValue() instanceof Number
                            ? "{\"intValue\": \"" + e.getValue() + "\"}"
                            : "{\"stringValue\": \"" + e.getValue() + "\"}")
                        + "}")
            .collect(Collectors.joining(", ", "[", "]"));
  }
}
