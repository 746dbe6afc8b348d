package dev.vigil.reconcilers.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.reconcilers.GoldenFile;
import dev.vigil.reconcilers.collector.ConfigProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of {@code src/test/resources/jaeger-config/} renders exactly its golden file
 * {@code src/test/resources/golden/jaeger-config/<scenario>.yaml} and reports the problems and
 * storage its fixture expects. Regenerate with {@code -Dvigil.updateGolden=true}, as the other
 * renderers.
 */
class JaegerConfigRendererTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/jaeger-config");

  static List<String> scenarios() throws IOException {
    return JaegerScenario.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void rendersTheGoldenFile(String name) throws IOException {
    JaegerScenario scenario = JaegerScenario.load(name);
    JaegerConfigBuilder.Result result =
        JaegerConfigBuilder.build(scenario.pipeline(), scenario.inputs());
    assertThat(result.config()).as("a configuration is rendered").isNotNull();
    String rendered = JaegerConfigRenderer.renderString(result.config());

    Path golden = GOLDEN.resolve(name + ".yaml");
    GoldenFile.assertMatches(golden, rendered);
    assertThat(result.problems().stream().map(ConfigProblem::describe).toList())
        .as("problems")
        .containsExactlyElementsOf(scenario.problems());
    assertThat(result.persistent()).as("persistent").isEqualTo(scenario.persistent());

    JsonNode reread = new ObjectMapper(new YAMLFactory()).readTree(rendered);
    assertThat(reread.toString()).isEqualTo(JaegerConfigRenderer.tree(result.config()).toString());
  }
}
