package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.reconcilers.GoldenFile;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblem;
import dev.vigil.reconcilers.references.MountedKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of {@code src/test/resources/prometheus-config/} renders exactly its golden file
 * {@code src/test/resources/golden/prometheus-config/<scenario>.yaml}, reports the Secret and
 * ConfigMap keys and the problems its fixture expects, and reads back as the model it was written
 * from. After a deliberate change, rewrite the golden files with {@code mvn -pl reconcilers -am
 * verify -Dvigil.updateGolden=true} and review the diff.
 */
class PrometheusConfigRendererTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/prometheus-config");

  static Stream<String> scenarios() throws IOException {
    return RenderScenario.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void rendersTheGoldenFile(String name) throws IOException {
    RenderScenario scenario = RenderScenario.load(name);
    BuiltConfig<PrometheusConfig> result = scenario.build();
    String rendered = PrometheusConfigRenderer.renderString(result.config());

    Path golden = GOLDEN.resolve(name + ".yaml");
    GoldenFile.assertMatches(golden, rendered);

    assertThat(result.mountedKeys().stream().map(MountedKey::path).toList())
        .as("mounted keys")
        .containsExactlyElementsOf(scenario.mountedKeys());
    assertThat(result.problems().stream().map(PrometheusConfigRendererTest::describe).toList())
        .as("problems")
        .containsExactlyElementsOf(scenario.problems());

    // Quoting: a YAML reader gets back exactly the strings, numbers and booleans of the model.
    JsonNode reread = new ObjectMapper(new YAMLFactory()).readTree(rendered);
    assertThat(reread.toString())
        .isEqualTo(PrometheusConfigRenderer.tree(result.config()).toString());
  }

  static String describe(ObjectProblem problem) {
    return "%s %s/%s: %s"
        .formatted(problem.kind(), problem.namespace(), problem.name(), problem.message());
  }
}
