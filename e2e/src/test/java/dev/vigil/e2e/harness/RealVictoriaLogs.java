package dev.vigil.e2e.harness;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * A real single-node VictoriaLogs ({@code VIGIL_VICTORIA_LOGS}, built by e2e/tools) on 127.0.0.1,
 * with its data in a directory of the test's: OTLP logs in at {@link #otlpBase()}, LogsQL out
 * through {@link #query}.
 */
public final class RealVictoriaLogs implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private RealVictoriaLogs(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts it with its data in {@code dir} and waits until {@code /health} answers. */
  public static RealVictoriaLogs start(Path dir) throws Exception {
    int port = RealPrometheus.freePort();
    Files.createDirectories(dir);
    Path log = dir.resolve("victoria-logs.log");
    Process process =
        new ProcessBuilder(
                RealApiServer.tool("VIGIL_VICTORIA_LOGS"),
                "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dir.resolve("data"),
                "-retentionPeriod=1d")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    RealVictoriaLogs started = new RealVictoriaLogs(process, port, log);
    await("VictoriaLogs answers")
        .atMost(Duration.ofSeconds(30))
        .until(() -> started.status("/health") == 200);
    return started;
  }

  /** The base an OTLP/HTTP exporter's endpoint names ({@code /v1/logs} is added to it). */
  public String otlpBase() {
    return "http://127.0.0.1:" + port + "/insert/opentelemetry";
  }

  /** The records a LogsQL query returns, newest data included (JSON lines). */
  public List<JsonNode> query(String logsql) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/select/logsql/query?query="
                            + URLEncoder.encode(logsql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("LogsQL " + logsql + ": " + response.body());
    }
    List<JsonNode> records = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (!line.isBlank()) {
        records.add(JSON.readTree(line));
      }
    }
    return records;
  }

  private int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** The process id, for its counters in {@code /proc}. */
  public long pid() {
    return process.pid();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
