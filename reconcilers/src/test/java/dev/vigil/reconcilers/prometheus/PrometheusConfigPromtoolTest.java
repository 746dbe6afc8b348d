package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden {@code prometheus.yml} passes the real {@code promtool check config} of the
 * Prometheus version Vigil runs (3.16, installed by {@code make test}).
 *
 * <p>The golden files keep the production paths ({@code /etc/prometheus/...}, {@code
 * /var/run/secrets/...}), and promtool checks that some referenced files exist (client certificates
 * and keys, rule files). So each file is checked as a copy in which every {@code *_file} value and
 * every {@code rule_files} entry is moved under a temporary root where that file is created: the
 * same configuration, with the mounts laid out as the pod would have them.
 */
class PrometheusConfigPromtoolTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<Path> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.list(PrometheusConfigRendererTest.GOLDEN)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void thereIsAGoldenFileForEveryScenario() throws IOException {
    assertThat(goldenFiles().map(f -> f.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(15)
        .containsExactlyElementsOf(RenderScenario.names().map(n -> n + ".yaml").toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void promtoolAcceptsTheGoldenFile(Path golden, @TempDir Path root) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as(
            "VIGIL_PROMTOOL is not set: run the tests through `make test`, which installs"
                + " promtool and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();

    JsonNode config = YAML.readTree(golden.toFile());
    List<String> created = new ArrayList<>();
    relocateFiles(config, root, created);
    Path file = root.resolve("prometheus.yml");
    YAML.writeValue(file.toFile(), config);

    ProcessBuilder command =
        new ProcessBuilder(
                promtool, "check", "config", "--lint=all", "--lint-fatal", file.toString())
            .redirectErrorStream(true);
    // Prometheus expands ${POD_NAME} in external labels; the StatefulSet sets it.
    command.environment().put("POD_NAME", "prometheus-platform-shard-0-0");
    Process process = command.start();
    boolean done = process.waitFor(60, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(done).as("promtool finished in time").isTrue();
    assertThat(process.exitValue())
        .as("promtool check config %s (files created: %s):%n%s", golden, created, output)
        .isZero();
    assertThat(output).contains("SUCCESS").doesNotContain("WARN");
  }

  /** Moves every referenced file under {@code root} and creates it there. */
  private static void relocateFiles(JsonNode node, Path root, List<String> created)
      throws IOException {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().endsWith("_file") && field.getValue().isTextual()) {
          field.setValue(new TextNode(create(root, field.getValue().asText(), "", created)));
        } else if (field.getKey().equals("rule_files")) {
          ArrayNode files = (ArrayNode) field.getValue();
          for (int i = 0; i < files.size(); i++) {
            String glob = files.get(i).asText();
            // A rule file matching the glob, holding no group.
            String example = glob.replace("*", "example");
            create(root, example, "groups: []\n", created);
            files.set(i, new TextNode(root + glob));
          }
        } else {
          relocateFiles(field.getValue(), root, created);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        relocateFiles(element, root, created);
      }
    }
  }

  private static String create(Path root, String absolute, String content, List<String> created)
      throws IOException {
    assertThat(absolute).as("referenced files are absolute paths").startsWith("/");
    Path file = Path.of(root + absolute);
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.writeString(file, content);
    }
    created.add(absolute);
    return file.toString();
  }
}
