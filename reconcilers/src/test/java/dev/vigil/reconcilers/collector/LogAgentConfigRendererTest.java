package dev.vigil.reconcilers.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.GoldenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of {@code src/test/resources/log-agent-config/} renders exactly its golden file,
 * reports what its fixture expects, reads back as its model, and passes the real {@code otelcol
 * validate} (the collector of {@code e2e/tools/otelcol/manifest.yaml}). Rewrite the golden files
 * with {@code -Dvigil.updateGolden=true} and review the diff.
 */
class LogAgentConfigRendererTest {
  static List<String> scenarios() throws IOException {
    return LogAgentScenario.names();
  }

  static Stream<Path> goldenFiles() throws IOException {
    return CollectorConfigValidateTest.goldenFiles(LogAgentScenario.GOLDEN);
  }

  @Test
  void thereIsAGoldenFileForEveryScenario() throws IOException {
    assertThat(goldenFiles().map(f -> f.getFileName().toString()))
        .containsExactlyElementsOf(scenarios().stream().map(n -> n + ".yaml").toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void rendersTheGoldenFile(String name) throws IOException {
    LogAgentScenario scenario = LogAgentScenario.load(name);
    CollectorConfigBuilder.Result result =
        LogAgentConfigBuilder.build(scenario.pipeline(), scenario.inputs());
    assertThat(result.config()).as("a configuration is rendered").isNotNull();
    String rendered = CollectorConfigRenderer.renderString(result.config());
    GoldenFile.assertMatches(LogAgentScenario.GOLDEN.resolve(name + ".yaml"), rendered);

    CollectorConfigRendererTest.assertReportsAndRereads(
        result, rendered, scenario.mountedKeys(), scenario.env(), scenario.problems());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void otelcolValidatesTheGoldenFile(Path golden, @TempDir Path state) throws Exception {
    // file_storage checks its directory exists: in the pod it is the state host path's mount.
    String config =
        Files.readString(golden).replace(LogAgentConfigBuilder.STATE_DIR, state.toString());
    CollectorConfigValidateTest.validate(Files.writeString(state.resolve("config.yaml"), config));
  }
}
