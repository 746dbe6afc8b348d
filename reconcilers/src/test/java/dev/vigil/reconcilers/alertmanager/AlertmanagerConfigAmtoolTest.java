package dev.vigil.reconcilers.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden {@code alertmanager.yml} passes the real {@code amtool check-config} of the
 * Alertmanager version Vigil runs (0.34, installed by {@code make test}), which loads the file
 * exactly as Alertmanager does: strict YAML (an unknown field fails), every matcher and regular
 * expression parsed, every route's receiver defined, receiver names unique, email receivers with a
 * sender and smarthost.
 *
 * <p>The golden files are checked as they are, production paths included: Alertmanager 0.34 reads
 * the {@code *_file} credentials when it sends a notification, not when it loads the file (a
 * configuration naming files that do not exist passes {@code check-config}), so no file needs to be
 * laid out for the check.
 */
class AlertmanagerConfigAmtoolTest {
  static Stream<Path> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.list(AlertmanagerConfigRendererTest.GOLDEN)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void thereIsAGoldenFileForEveryScenario() throws IOException {
    assertThat(goldenFiles().map(f -> f.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(10)
        .containsExactlyInAnyOrderElementsOf(
            AlertmanagerScenario.names().map(n -> n + ".yaml").toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void amtoolAcceptsTheGoldenFile(Path golden) throws Exception {
    String amtool = System.getenv("VIGIL_AMTOOL");
    assertThat(amtool)
        .as(
            "VIGIL_AMTOOL is not set: run the tests through `make test`, which installs amtool"
                + " and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();

    Process process =
        new ProcessBuilder(amtool, "check-config", golden.toString())
            .redirectErrorStream(true)
            .start();
    boolean done = process.waitFor(60, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(done).as("amtool finished in time").isTrue();
    assertThat(process.exitValue()).as("amtool check-config %s:%n%s", golden, output).isZero();
    assertThat(output).contains("SUCCESS").doesNotContainIgnoringCase("warn");
  }
}
