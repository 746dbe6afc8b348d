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
import java.util.concurrent.TimeUnit;

/**
 * A real OpenTelemetry Collector or Jaeger v2 process (both are collector builds: {@code <binary>
 * --config=<file>}), started on a configuration whose addresses were moved to loopback, and ready
 * once its health endpoint answers 200. Its output goes to a log file for failure messages.
 */
public final class RealTracingProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private RealTracingProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code binaryVariable}'s binary on {@code config} and waits up to 30 s for {@code
   * health} to answer 200.
   */
  public static RealTracingProcess start(
      String name, String binaryVariable, Path config, URI health, Path workDir) throws Exception {
    return start(name, binaryVariable, config, List.of(), health, workDir, Map.of());
  }

  /** As {@link #start(String, String, Path, URI, Path)}, with more arguments after the config. */
  public static RealTracingProcess start(
      String name,
      String binaryVariable,
      Path config,
      List<String> arguments,
      URI health,
      Path workDir)
      throws Exception {
    return start(name, binaryVariable, config, arguments, health, workDir, Map.of());
  }

  /**
   * As {@link #start(String, String, Path, URI, Path)}, with {@code env} added to the process's
   * environment, as a pod sets variables from Secret keys.
   */
  public static RealTracingProcess start(
      String name,
      String binaryVariable,
      Path config,
      URI health,
      Path workDir,
      Map<String, String> env)
      throws Exception {
    return start(name, binaryVariable, config, List.of(), health, workDir, env);
  }

  /** As above, with more arguments after the config and {@code env} added. */
  public static RealTracingProcess start(
      String name,
      String binaryVariable,
      Path config,
      List<String> arguments,
      URI health,
      Path workDir,
      Map<String, String> env)
      throws Exception {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool(binaryVariable));
    command.add("--config=" + config);
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Jaeger traces its own query requests through the OpenTelemetry SDK, to localhost:4317 (in
    // its pod, its own receiver); here nothing listens there, and flushing those spans at exit
    // would take 10 s. Keep the processes to what the test sends.
    builder.environment().put("OTEL_TRACES_SAMPLER", "always_off");
    builder.environment().putAll(env);
    RealTracingProcess started = new RealTracingProcess(name, builder.start(), log);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return started;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!started.process.isAlive() || System.nanoTime() > deadline) {
        started.close();
        throw new IllegalStateException(name + " did not become healthy:\n" + started.log());
      }
      Thread.sleep(50);
    }
  }

  /** The process id, for its counters in {@code /proc}. */
  public long pid() {
    return process.pid();
  }

  /** The process's output so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Stops the process as a pod's termination does: SIGTERM, then up to 10 s for a graceful shutdown
   * (SIGKILL after that, as the kubelet's grace period ends). Returns the exit code.
   */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /**
   * SIGKILL: the process gets no chance to flush or checkpoint (an OOM kill, a node agent crash).
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
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
    return name + " (pid " + process.pid() + ")";
  }
}
