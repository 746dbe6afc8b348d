package dev.vigil.reconcilers.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.reconcilers.GoldenFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of {@code src/test/resources/collector-config/} renders exactly its golden file
 * {@code src/test/resources/golden/collector-config/<scenario>.yaml}, reports the mounted keys,
 * environment variables and problems its fixture expects, and reads back as the model it was
 * written from. After a deliberate change, rewrite the golden files with {@code mvn -pl reconcilers
 * -am verify -Dvigil.updateGolden=true} and review the diff.
 */
class CollectorConfigRendererTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/collector-config");

  static List<String> scenarios() throws IOException {
    return CollectorScenario.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void rendersTheGoldenFile(String name) throws IOException {
    CollectorScenario scenario = CollectorScenario.load(name);
    CollectorConfigBuilder.Result result =
        CollectorConfigBuilder.build(scenario.pipeline(), scenario.inputs());
    assertThat(result.config()).as("a configuration is rendered").isNotNull();
    String rendered = CollectorConfigRenderer.renderString(result.config());

    Path golden = GOLDEN.resolve(name + ".yaml");
    GoldenFile.assertMatches(golden, rendered);

    assertReportsAndRereads(
        result, rendered, scenario.mountedKeys(), scenario.env(), scenario.problems());
    assertThat(result.mountedKeys())
        .as("only the pipeline's own Secrets are read")
        .allMatch(key -> key.namespace().equals(scenario.pipeline().getMetadata().getNamespace()));
  }

  /**
   * What every collector configuration's build must report besides the file ({@code mountedKeys} as
   * paths, {@code env} as {@link CollectorScenario#describe}, {@code problems} as {@link
   * ConfigProblem#describe}), that every Secret-backed variable is referenced and never inlined,
   * and that a YAML reader gets back exactly the model's strings, numbers and booleans.
   */
  static void assertReportsAndRereads(
      CollectorConfigBuilder.Result result,
      String rendered,
      List<String> mountedKeys,
      List<String> env,
      List<String> problems)
      throws IOException {
    assertThat(result.mountedKeys().stream().map(CollectorConfigBuilder::path).toList())
        .as("mounted keys")
        .containsExactlyElementsOf(mountedKeys);
    assertThat(result.env().stream().map(CollectorScenario::describe).toList())
        .as("environment variables")
        .containsExactlyElementsOf(env);
    assertThat(result.problems().stream().map(ConfigProblem::describe).toList())
        .as("problems")
        .containsExactlyElementsOf(problems);
    // Credentials are never in the file: every Secret-backed header is an env reference.
    result
        .env()
        .forEach(
            variable -> {
              if (variable.getValueFrom().getSecretKeyRef() != null) {
                assertThat(rendered).contains("${env:" + variable.getName() + "}");
              }
            });
    // Quoting: a YAML reader gets back exactly the strings, numbers and booleans of the model.
    JsonNode reread = new ObjectMapper(new YAMLFactory()).readTree(rendered);
    assertThat(reread.toString())
        .isEqualTo(CollectorConfigRenderer.tree(result.config()).toString());
  }
}
