package dev.vigil.e2e.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program that sends spans and exits (a Node.js or Python script), run to its end as a local
 * process with exactly the environment given: nothing of the test's own environment leaks in (an
 * {@code OTEL_*} variable of the machine would change what an SDK does).
 *
 * @param exitCode the process's exit code
 * @param output what it printed, stdout and stderr together
 */
public record ClientProgram(int exitCode, String output) {
  /**
   * Runs {@code command} in {@code workDir} with {@code env} and {@code PATH}; kills it after
   * {@code timeout}.
   */
  public static ClientProgram run(
      String name, List<String> command, Map<String, String> env, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      return new ClientProgram(-1, Files.readString(log) + "\n(killed after " + timeout + ")");
    }
    return new ClientProgram(process.exitValue(), Files.readString(log));
  }

  /** The value printed after {@code "<key> "} at the start of a line, or null. */
  public String printed(String key) {
    for (String line : output.split("\n")) {
      if (line.startsWith(key + " ")) {
        return line.substring(key.length() + 1).trim();
      }
    }
    return null;
  }
}
