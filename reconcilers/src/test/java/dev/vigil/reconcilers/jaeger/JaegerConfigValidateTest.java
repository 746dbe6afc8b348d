package dev.vigil.reconcilers.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.collector.CollectorConfigValidateTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden Jaeger configuration passes the real {@code jaeger validate} of the Jaeger v2
 * release Vigil is tested with (v2.12.0, built by {@code e2e/tools/install.sh}; {@code
 * VIGIL_JAEGER} points at it). {@code validate} decodes and checks every component's settings (an
 * unknown key in a badger backend fails it) without opening storage.
 */
class JaegerConfigValidateTest {
  static Stream<Path> goldenFiles() throws IOException {
    return CollectorConfigValidateTest.goldenFiles(JaegerConfigRendererTest.GOLDEN);
  }

  @Test
  void thereIsAGoldenFileForEveryScenario() throws IOException {
    assertThat(goldenFiles().map(f -> f.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(3)
        .containsExactlyElementsOf(JaegerScenario.names().stream().map(n -> n + ".yaml").toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void jaegerValidatesTheGoldenFile(Path golden) throws Exception {
    CollectorConfigValidateTest.run(
        CollectorConfigValidateTest.tool("VIGIL_JAEGER"),
        List.of("validate", "--config=" + golden),
        Map.of());
  }
}
