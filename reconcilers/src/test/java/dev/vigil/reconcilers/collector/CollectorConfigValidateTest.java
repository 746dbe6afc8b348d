package dev.vigil.reconcilers.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden collector configuration passes the real {@code otelcol validate} of the collector
 * Vigil is tested with (0.160, with the components of {@code e2e/tools/otelcol/manifest.yaml},
 * built by {@code e2e/tools/install.sh}; {@code VIGIL_OTELCOL} points at it).
 *
 * <p>The collector expands {@code ${env:...}} while loading the file, and {@code k8s_attributes}
 * refuses a node filter whose variable is unset, so each referenced variable is given a dummy
 * value, as the pod's Secret references and field reference would. {@code validate} does not open
 * TLS files, so the production paths stay as they are.
 */
public class CollectorConfigValidateTest {
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

  static Stream<Path> goldenFiles() throws IOException {
    return goldenFiles(CollectorConfigRendererTest.GOLDEN);
  }

  public static Stream<Path> goldenFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void thereIsAGoldenFileForEveryScenario() throws IOException {
    assertThat(goldenFiles().map(f -> f.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(10)
        .containsExactlyElementsOf(
            CollectorScenario.names().stream().map(n -> n + ".yaml").toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void otelcolValidatesTheGoldenFile(Path golden) throws Exception {
    validate(golden);
  }

  /**
   * {@code otelcol validate} accepts {@code config}, with a dummy value for every variable it
   * references, as the pod's Secret references and field reference would give.
   */
  public static void validate(Path config) throws Exception {
    Map<String, String> env = new TreeMap<>();
    Matcher references = ENV_REFERENCE.matcher(Files.readString(config));
    while (references.find()) {
      env.put(references.group(1), "dummy-" + references.group(1).toLowerCase());
    }
    env.put(CollectorConfigBuilder.NODE_NAME_ENV, "node-1");
    String output = run(tool("VIGIL_OTELCOL"), List.of("validate", "--config=" + config), env);
    assertThat(output).as("otelcol validate %s", config).doesNotContain("unset environment");
  }

  /** The path of a tool from its variable; fails, saying how to get it, when it is unset. */
  public static String tool(String variable) {
    String path = System.getenv(variable);
    assertThat(path)
        .as(
            "%s is not set: install the tools with e2e/tools/install.sh and source"
                + " ~/.cache/vigil-tools/env.sh (make test does both)",
            variable)
        .isNotBlank();
    return path;
  }

  /** Runs {@code tool args} with {@code env} added; asserts exit code 0 and returns the output. */
  public static String run(String tool, List<String> args, Map<String, String> env)
      throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(tool);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean done = process.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      process.destroyForcibly();
    }
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(done).as("%s finished in time", command).isTrue();
    assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
    return output;
  }
}
