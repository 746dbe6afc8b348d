package dev.vigil.reconcilers.alertmanager;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.config.BuiltConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One golden scenario of {@link AlertmanagerConfigRenderer}: a YAML file under {@code
 * src/test/resources/alertmanager-config/} holding, as separate documents, one MonitoringStack, any
 * AlertPolicies (in any order), and one {@code kind: Render} document with the other inputs and
 * what the build must report besides the file:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * include: [../manifests/examples/alertpolicy.yaml]   # more documents, paths from reconcilers/
 * missingKeys: [shop/slack/url]  # Secret keys (namespace/name/key) that do not exist; others do
 * mountedKeys: [...]             # expected mounted file paths, in order
 * problems: [...]                # expected "Kind namespace/name: message", in order
 * </pre>
 */
record AlertmanagerScenario(
    String name,
    MonitoringStack stack,
    List<AlertPolicy> policies,
    AlertmanagerConfigInputs inputs,
    List<String> mountedKeys,
    List<String> problems) {
  static final Path FIXTURES = Path.of("src/test/resources/alertmanager-config");

  /** Fails on any field the types do not know, so a typo in a fixture cannot go unseen. */
  static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      List<String> include,
      List<String> missingKeys,
      List<String> mountedKeys,
      List<String> problems) {}

  /** Scenario names: the fixture files, sorted. */
  static Stream<String> names() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  static AlertmanagerScenario load(String name) {
    try {
      List<JsonNode> docs = new ArrayList<>(readAll(FIXTURES.resolve(name + ".yaml")));
      Render render = null;
      for (JsonNode doc : docs) {
        if ("Render".equals(doc.at("/kind").asText())) {
          render = STRICT.treeToValue(doc, Render.class);
        }
      }
      if (render == null) {
        throw new IllegalArgumentException(name + ": no kind: Render document");
      }
      for (String include : render.include() == null ? List.<String>of() : render.include()) {
        docs.addAll(readAll(Path.of(include)));
      }
      MonitoringStack stack = null;
      List<AlertPolicy> policies = new ArrayList<>();
      for (JsonNode doc : docs) {
        switch (doc.at("/kind").asText()) {
          case "Render" -> {}
          case "MonitoringStack" -> {
            if (stack != null) {
              throw new IllegalArgumentException(name + ": more than one MonitoringStack");
            }
            stack = STRICT.treeToValue(doc, MonitoringStack.class);
          }
          case "AlertPolicy" -> policies.add(STRICT.treeToValue(doc, AlertPolicy.class));
          default -> throw new IllegalArgumentException(name + ": unexpected document " + doc);
        }
      }
      if (stack == null) {
        throw new IllegalArgumentException(name + ": no MonitoringStack");
      }
      Set<String> missing =
          Set.copyOf(render.missingKeys() == null ? List.of() : render.missingKeys());
      return new AlertmanagerScenario(
          name,
          stack,
          policies,
          new AlertmanagerConfigInputs(key -> !missing.contains(key.relativePath())),
          render.mountedKeys() == null ? List.of() : render.mountedKeys(),
          render.problems() == null ? List.of() : render.problems());
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
  }

  BuiltConfig<AlertmanagerConfig> build() {
    return AlertmanagerConfigBuilder.build(stack, policies, inputs);
  }

  static List<JsonNode> readAll(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
      Iterator<JsonNode> it = STRICT.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }
}
