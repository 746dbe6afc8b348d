package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code alertmanager} binary (from {@code VIGIL_ALERTMANAGER}, built by e2e/tools) on the
 * arguments a test gives it, and the read side of its API that tests check: the alerts it holds,
 * its cluster status, its silences and its own metrics. Its output goes to a log file for failure
 * messages.
 */
public final class RealAlertmanager implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final URI url;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RealAlertmanager(String name, Process process, URI url, Path log) {
    this.name = name;
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /**
   * Starts Alertmanager with {@code arguments} (every flag, as a pod would pass them), its output
   * in {@code workDir/<name>.log}, and waits up to 30 s until {@code
   * http://<host>:<webPort>/-/ready} answers 200.
   */
  public static RealAlertmanager start(
      String name, List<String> arguments, String host, int webPort, Path workDir)
      throws Exception {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool("VIGIL_ALERTMANAGER"));
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RealAlertmanager alertmanager =
        new RealAlertmanager(name, process, URI.create("http://" + host + ":" + webPort), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!alertmanager.isReady()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        alertmanager.close();
        throw new IllegalStateException(
            name + " did not become ready on " + command + ":\n" + alertmanager.log());
      }
      Thread.sleep(50);
    }
    return alertmanager;
  }

  public String name() {
    return name;
  }

  /** {@code http://host:port}, what amtool's {@code --alertmanager.url} takes. */
  public URI url() {
    return url;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private boolean isReady() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code GET path} of the API; the answer must be 200 and JSON. */
  public JsonNode api(String path) throws IOException {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode())
        .as("%s GET %s: %s", name, path, response.body())
        .isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** {@code POST /api/v2/alerts} with {@code alerts} (a JSON array), as Prometheus sends them. */
  public void postAlerts(String alerts) throws IOException {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url.resolve("/api/v2/alerts"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alerts))
                .build());
    assertThat(response.statusCode())
        .as("%s POST /api/v2/alerts: %s", name, response.body())
        .isEqualTo(200);
  }

  /** The {@code alertname} of every alert it holds ({@code GET /api/v2/alerts}), in its order. */
  public List<String> alertNames() throws IOException {
    List<String> names = new ArrayList<>();
    api("/api/v2/alerts").forEach(a -> names.add(a.path("labels").path("alertname").asText()));
    return names;
  }

  /** As {@link RealPrometheus#sum}, over its own {@code /metrics}. */
  public double metric(String metric, String... labels) throws IOException {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).as("%s GET /metrics", name).isEqualTo(200);
    return RealPrometheus.sum(response.body(), metric, labels);
  }

  /** Its output so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private HttpResponse<String> get(String path) throws IOException {
    return send(
        HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** SIGKILL, as when its node dies: no goodbye to its peers. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
