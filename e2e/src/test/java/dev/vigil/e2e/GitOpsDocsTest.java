package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vigil.e2e.harness.RealApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD and Flux examples of docs/gitops.md (and the README's Application) parse, say what
 * the page says they say, and point at paths that exist in this repository. (Their CRD schemas are
 * not available offline.)
 */
class GitOpsDocsTest {
  static final Path PAGE = RealApiServer.REPO.resolve("docs/gitops.md");
  static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> documents() throws IOException {
    return documents(PAGE);
  }

  static List<JsonNode> documents(Path page) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    Matcher block = YAML_BLOCK.matcher(Files.readString(page));
    while (block.find()) {
      try (YAMLParser parser = new YAMLFactory().createParser(block.group(1))) {
        documents.addAll(YAML.readValues(parser, JsonNode.class).readAll());
      }
    }
    return documents;
  }

  static List<JsonNode> ofKind(String apiVersion, String kind) throws IOException {
    return documents().stream()
        .filter(d -> apiVersion.equals(d.path("apiVersion").asText()))
        .filter(d -> kind.equals(d.path("kind").asText()))
        .toList();
  }

  @Test
  void argoCdApplicationsApplyServerSideAndTheOperatorsPathIsAKustomization() throws IOException {
    List<JsonNode> applications = ofKind("argoproj.io/v1alpha1", "Application");
    assertThat(applications).hasSize(2);
    for (JsonNode application : applications) {
      JsonNode spec = application.path("spec");
      assertThat(spec.path("project").asText()).isNotBlank();
      assertThat(spec.path("destination").path("server").asText()).isNotBlank();
      assertThat(spec.path("source").path("repoURL").asText()).startsWith("https://");
      assertThat(texts(spec.path("syncPolicy").path("syncOptions")))
          .contains("ServerSideApply=true");
    }
    JsonNode operator = applications.get(0);
    assertThat(operator.path("spec").path("source").path("repoURL").asText())
        .isEqualTo("https://github.com/vigil-dev/vigil");
    Path path =
        RealApiServer.REPO.resolve(operator.path("spec").path("source").path("path").asText());
    assertThat(path.resolve("kustomization.yaml")).exists();
    assertThat(operator.path("spec").path("destination").path("namespace").asText())
        .isEqualTo("vigil-system");
  }

  @Test
  void theReadmesApplicationIsThisPagesOperatorApplication() throws IOException {
    List<JsonNode> inReadme =
        documents(RealApiServer.REPO.resolve("README.md")).stream()
            .filter(d -> "Application".equals(d.path("kind").asText()))
            .toList();
    assertThat(inReadme).containsExactly(ofKind("argoproj.io/v1alpha1", "Application").get(0));
  }

  @Test
  void fluxAppliesTheOperatorFirstAndTheObjectsAfterIt() throws IOException {
    assertThat(ofKind("source.toolkit.fluxcd.io/v1", "GitRepository"))
        .singleElement()
        .satisfies(
            source -> {
              assertThat(source.path("metadata").path("name").asText()).isEqualTo("vigil");
              assertThat(source.path("spec").path("url").asText())
                  .isEqualTo("https://github.com/vigil-dev/vigil");
            });
    List<JsonNode> kustomizations = ofKind("kustomize.toolkit.fluxcd.io/v1", "Kustomization");
    assertThat(kustomizations).hasSize(2);
    JsonNode operator = kustomizations.get(0);
    JsonNode objects = kustomizations.get(1);
    assertThat(operator.path("spec").path("sourceRef").path("name").asText()).isEqualTo("vigil");
    assertThat(RealApiServer.REPO.resolve(operator.path("spec").path("path").asText()))
        .isDirectory()
        .satisfies(dir -> assertThat(dir.resolve("kustomization.yaml")).exists());
    for (JsonNode kustomization : kustomizations) {
      assertThat(kustomization.path("spec").path("prune").asBoolean()).isTrue();
      assertThat(kustomization.path("spec").path("interval").asText()).matches("\\d+[smh]");
      assertThat(kustomization.path("spec").path("sourceRef").path("kind").asText())
          .isEqualTo("GitRepository");
    }
    assertThat(objects.path("spec").path("dependsOn").get(0).path("name").asText())
        .isEqualTo(operator.path("metadata").path("name").asText());
  }

  @Test
  void theArgoCdHealthCheckIsKeyedByVigilsGroupAndKind() throws IOException {
    assertThat(documents())
        .anySatisfy(
            d ->
                assertThat(d.path("data").fieldNames())
                    .toIterable()
                    .containsExactly(
                        "resource.customizations.health.monitoring.vigil.dev_MonitoringStack"));
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
