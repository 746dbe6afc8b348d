package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
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
