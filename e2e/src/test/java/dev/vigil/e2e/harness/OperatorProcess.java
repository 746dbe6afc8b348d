package dev.vigil.e2e.harness;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operator jar as its own process, as a pod runs it: fault tests kill it (SIGKILL, no shutdown
 * hooks) and start it again; scale tests read its resident memory.
 */
public final class OperatorProcess implements AutoCloseable {
  public static final Path JAR = RealApiServer.REPO.resolve("operator/target/vigil-operator.jar");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int httpPort;
  private final Path log;

  private OperatorProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /**
   * Starts {@code java -jar vigil-operator.jar} with the kubeconfig, a free HTTP port and the given
   * flags; output goes to {@code log} (appended, so restarts keep the history).
   */
  public static OperatorProcess start(
      Path kubeconfig, Path log, List<String> jvmOptions, String... flags) throws IOException {
    return start(kubeconfig, log, jvmOptions, Map.of(), flags);
  }

  /**
   * As {@link #start(Path, Path, List, String...)}, with extra environment variables, e.g. {@code
   * HOSTNAME}: a pod's name, which leader election takes as the replica's identity.
   */
  public static OperatorProcess start(
      Path kubeconfig, Path log, List<String> jvmOptions, Map<String, String> env, String... flags)
      throws IOException {
    int port = RealPrometheus.freePort();
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString(), "--http-port=" + port));
    command.addAll(List.of(flags));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().keySet().removeIf(name -> name.startsWith("VIGIL_"));
    builder.environment().putAll(env);
    return new OperatorProcess(builder.start(), port, log);
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** GET on the operator's HTTP server; empty when it does not answer (yet). */
  public Optional<HttpResponse<String>> get(String path) {
    try {
      return Optional.of(
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The body of a 200 answer to a GET with {@code Authorization: Bearer <token>}. */
  Optional<String> getWithToken(String path, String token) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Resident set size from /proc, in KiB. */
  long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** SIGKILL: no shutdown hook runs, the Lease is not released, as when a node dies. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  /** SIGTERM, as Kubernetes stops a pod; waits for the process to exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
