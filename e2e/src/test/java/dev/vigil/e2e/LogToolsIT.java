package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.RealTracingProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ground the LogPipeline kind (issue 18) stands on, with the real binaries e2e/tools builds:
 * the collector's {@code filelog} receiver reads pod logs laid out as the kubelet lays them out
 * ({@code /var/log/pods/<ns>_<pod>_<uid>/<container>/0.log}, CRI lines, a line split in partial
 * {@code P} chunks) and sends them over OTLP/HTTP to a real VictoriaLogs, where a LogsQL query
 * finds every line once, whole, with the namespace, pod and container the path names. The
 * collector's configuration here is written by hand; the LogPipeline's own will be rendered and
 * checked the same way. All traffic on 127.0.0.1.
 */
class LogToolsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void filelogReadsKubeletLayoutAndVictoriaLogsFindsEveryLineOnce(@TempDir Path dir)
      throws Exception {
    Path container =
        dir.resolve(
            "var/log/pods/shop_checkout-7d9f8-abcde_0b5e1c9e-1111-4000-8000-000000000001/app");
    Files.createDirectories(container);
    String longLine = "x".repeat(300);
    Files.writeString(
        container.resolve("0.log"),
        String.join(
            "\n",
            "2026-12-07T07:00:00.000000001Z stdout F order 1 accepted",
            "2026-12-07T07:00:00.000000002Z stderr F payment declined for order 2",
            "2026-12-07T07:00:00.000000003Z stdout P " + longLine.substring(0, 150),
            "2026-12-07T07:00:00.000000004Z stdout F " + longLine.substring(150) + " end",
            ""));

    int logsPort = RealPrometheus.freePort();
    Path data = dir.resolve("victoria-logs-data");
    Process victoriaLogs =
        new ProcessBuilder(
                RealApiServer.tool("VIGIL_VICTORIA_LOGS"),
                "-httpListenAddr=127.0.0.1:" + logsPort,
                "-storageDataPath=" + data,
                "-retentionPeriod=1d")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("victoria-logs.log").toFile())
            .start();
    RealTracingProcess collector = null;
    try {
      await("VictoriaLogs answers")
          .atMost(Duration.ofSeconds(30))
          .until(() -> status("http://127.0.0.1:" + logsPort + "/health") == 200);
      int health = RealPrometheus.freePort();
      Path config = dir.resolve("collector.yaml");
      Files.writeString(
          config,
          """
          receivers:
            filelog:
              include: [%s/var/log/pods/*/*/*.log]
              start_at: beginning
              include_file_path: true
              operators:
                - type: container
          exporters:
            otlphttp:
              logs_endpoint: http://127.0.0.1:%d/insert/opentelemetry/v1/logs
          extensions:
            health_check:
              endpoint: 127.0.0.1:%d
          service:
            extensions: [health_check]
            telemetry:
              metrics:
                level: none
            pipelines:
              logs:
                receivers: [filelog]
                exporters: [otlphttp]
          """
              .formatted(dir, logsPort, health));
      collector =
          RealTracingProcess.start(
              "otelcol",
              "VIGIL_OTELCOL",
              config,
              URI.create("http://127.0.0.1:" + health + "/"),
              dir);

      List<JsonNode> lines = new ArrayList<>();
      await("every line in VictoriaLogs")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                lines.clear();
                lines.addAll(query(logsPort, "*"));
                return lines.size() >= 3;
              });
      Thread.sleep(2000);
      lines.clear();
      lines.addAll(query(logsPort, "*"));

      assertThat(lines)
          .extracting(l -> l.path("_msg").asText())
          .containsExactlyInAnyOrder(
              "order 1 accepted", "payment declined for order 2", longLine + " end");
      assertThat(lines)
          .allSatisfy(
              line -> {
                assertThat(line.path("k8s.namespace.name").asText()).isEqualTo("shop");
                assertThat(line.path("k8s.pod.name").asText()).isEqualTo("checkout-7d9f8-abcde");
                assertThat(line.path("k8s.container.name").asText()).isEqualTo("app");
              });
      assertThat(lines)
          .filteredOn(l -> l.path("_msg").asText().startsWith("payment"))
          .singleElement()
          .satisfies(l -> assertThat(l.path("log.iostream").asText()).isEqualTo("stderr"));
    } finally {
      if (collector != null) {
        collector.close();
      }
      victoriaLogs.destroy();
      if (!victoriaLogs.waitFor(10, TimeUnit.SECONDS)) {
        victoriaLogs.destroyForcibly();
      }
    }
  }

  /** The records a LogsQL query returns (JSON lines). */
  static List<JsonNode> query(int port, String logsql) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/select/logsql/query?query="
                            + URLEncoder.encode(logsql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<JsonNode> records = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (!line.isBlank()) {
        records.add(JSON.readTree(line));
      }
    }
    return records;
  }

  static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
