package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
 * One real Thanos process (the {@code thanos} binary from {@code VIGIL_THANOS}, built by e2e/tools)
 * on the arguments a test hands it: a sidecar or a Query, as Vigil renders their containers' args
 * with the addresses moved to loopback. Ready once {@code /-/ready} on its HTTP address answers
 * 200; the read side of Query's Prometheus-compatible API for assertions.
 */
public final class RealThanos implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final URI url;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RealThanos(String name, Process process, URI url, Path log) {
    this.name = name;
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** The environment variable naming the binary; tests skip without it. */
  public static final String VARIABLE = "VIGIL_THANOS";

  /**
   * Runs {@code thanos <args>} (args[0] is the component, {@code sidecar} or {@code query}) and
   * waits up to 30 s for {@code GET http://127.0.0.1:<httpPort>/-/ready} to answer 200.
   */
  public static RealThanos start(String name, List<String> args, int httpPort, Path workDir)
      throws Exception {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool(VARIABLE));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    RealThanos thanos =
        new RealThanos(name, process, URI.create("http://127.0.0.1:" + httpPort), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!thanos.isReady()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        thanos.close();
        throw new IllegalStateException(
            name + " (" + String.join(" ", args) + ") did not become ready:\n" + thanos.log());
      }
      Thread.sleep(100);
    }
    return thanos;
  }

  /** The binary's version, from {@code thanos --version} ("thanos, version 0.42.4 (...)"). */
  public static String version() throws Exception {
    Process process =
        new ProcessBuilder(RealApiServer.tool(VARIABLE), "--version")
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    java.util.regex.Matcher version =
        java.util.regex.Pattern.compile("^thanos, version (\\S+)").matcher(out);
    assertThat(version.find()).as("thanos --version: %s", out).isTrue();
    return version.group(1);
  }

  boolean isReady() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code GET /api/v1/query?query=...} plus {@code extra} parameters: the result array. */
  public JsonNode query(String promql, String extra) throws IOException {
    return api("/api/v1/query?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + (extra.isEmpty() ? "" : "&" + extra))
        .path("result");
  }

  /** A successful API answer's {@code data}. */
  public JsonNode api(String path) throws IOException {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("success");
    return body.path("data");
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The process's output so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return name + " " + url;
  }
}
