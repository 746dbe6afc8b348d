package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The stand-in intake checks what Datadog's does and decodes both traces and logs, so a test that
 * passes through it proves the headers and the payload: a wrong key, no key, JSON and an unknown
 * path are refused; gzip and plain protobuf bodies are decoded.
 */
class DatadogIntakeStandInTest {
  private static final String KEY = "key-1";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void refusesWhatDatadogWouldRefuse() throws Exception {
    try (DatadogIntakeStandIn intake = DatadogIntakeStandIn.start(KEY)) {
      byte[] body = traces().toByteArray();
      assertThat(post(intake, "/v1/traces", "other", "application/x-protobuf", body, false))
          .isEqualTo(403);
      assertThat(post(intake, "/v1/traces", null, "application/x-protobuf", body, false))
          .isEqualTo(401);
      assertThat(post(intake, "/v1/traces", KEY, "application/json", "{}".getBytes(), false))
          .isEqualTo(415);
      assertThat(post(intake, "/api/v2/logs", KEY, "application/x-protobuf", body, false))
          .isEqualTo(404);
      assertThat(post(intake, "/v1/logs", KEY, "application/x-protobuf", new byte[] {9}, false))
          .isEqualTo(400);
      assertThat(intake.refusals()).hasSize(5);
      assertThat(intake.requests()).isEmpty();
      assertThat(intake.spans()).isEmpty();
    }
  }

  @Test
  void decodesGzipAndPlainTracesAndLogs() throws Exception {
    try (DatadogIntakeStandIn intake = DatadogIntakeStandIn.start(KEY)) {
      assertThat(
              post(
                  intake,
                  "/v1/traces",
                  KEY,
                  "application/x-protobuf",
                  traces().toByteArray(),
                  true))
          .isEqualTo(202);
      assertThat(
              post(intake, "/v1/logs", KEY, "application/x-protobuf", logs().toByteArray(), false))
          .isEqualTo(202);
      assertThat(intake.refusals()).isEmpty();
      assertThat(intake.spans())
          .singleElement()
          .satisfies(
              span -> {
                assertThat(span.name()).isEqualTo("checkout");
                assertThat(span.traceId()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
                assertThat(span.resource()).containsEntry("service.name", "shop");
                assertThat(span.attributes()).containsEntry("http.response.status_code", "201");
              });
      assertThat(intake.logRecords())
          .singleElement()
          .satisfies(
              log -> {
                assertThat(log.body()).isEqualTo("order placed");
                assertThat(log.severityText()).isEqualTo("INFO");
                assertThat(log.traceId()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
                assertThat(log.resource()).containsEntry("service.name", "shop");
              });
      assertThat(intake.requests())
          .extracting(DatadogIntakeStandIn.Request::gzip)
          .containsExactly(true, false);
      assertThat(intake.requests().get(0).headers()).containsEntry("dd-api-key", "***");
    }
  }

  private int post(
      DatadogIntakeStandIn intake, String path, String key, String type, byte[] body, boolean gzip)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(intake.baseUrl().resolve(path)).header("Content-Type", type);
    if (key != null) {
      request.header("dd-api-key", key);
    }
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
        zip.write(body);
      }
      body = out.toByteArray();
      request.header("Content-Encoding", "gzip");
    }
    return http.send(
            request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static final ByteString TRACE_ID =
      ByteString.copyFrom(HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10"));

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(attribute("service.name", "shop")).build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static ExportTraceServiceRequest traces() {
    Span span =
        Span.newBuilder()
            .setTraceId(TRACE_ID)
            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setName("checkout")
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("http.response.status_code")
                    .setValue(AnyValue.newBuilder().setIntValue(201)))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource())
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  private static ExportLogsServiceRequest logs() {
    LogRecord record =
        LogRecord.newBuilder()
            .setBody(AnyValue.newBuilder().setStringValue("order placed"))
            .setSeverityText("INFO")
            .setTraceId(TRACE_ID)
            .build();
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(resource())
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record)))
        .build();
  }
}
