package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples users copy (manifests/examples) and ServiceMonitors/PodMonitors in the shape popular
 * Helm charts ship (src/test/resources/compat) parse into the Java types with no field dropped, and
 * survive a round trip.
 */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("../manifests/examples");
  static final Path COMPAT = Path.of("src/test/resources/compat");

  /** Fails on any field the types do not know, unlike the API server, which would prune it. */
  static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  static Stream<Arguments> documents() throws IOException {
    List<Arguments> documents = new ArrayList<>();
    for (Path dir : List.of(EXAMPLES, COMPAT)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          for (JsonNode doc : readAll(file)) {
            documents.add(
                Arguments.of(
                    file.getFileName()
                        + " "
                        + doc.at("/kind").asText()
                        + "/"
                        + doc.at("/metadata/name").asText(),
                    doc));
          }
        }
      }
    }
    return documents.stream();
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

  @Test
  void thereIsAnExampleOfEveryKind() throws IOException {
    List<String> kinds =
        documents().map(a -> ((JsonNode) a.get()[1]).at("/kind").asText()).distinct().toList();
    assertThat(kinds).containsAll(Kinds.BY_KIND.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void parsesWithEveryFieldKnownAndRoundTrips(String name, JsonNode doc) throws IOException {
    assertThat(doc.at("/apiVersion").asText()).isEqualTo("monitoring.vigil.dev/v1alpha1");
    Class<? extends HasMetadata> type = Kinds.BY_KIND.get(doc.at("/kind").asText());
    assertThat(type).as("kind of %s", name).isNotNull();

    HasMetadata parsed = STRICT.treeToValue(doc, type);
    JsonNode written = STRICT.valueToTree(parsed);
    assertContains(written, doc, "");

    HasMetadata reparsed = STRICT.treeToValue(written, type);
    assertThat((Object) STRICT.valueToTree(reparsed)).isEqualTo(written);
  }

  /**
   * Every field of {@code expected} is in {@code actual} with the same value; an empty object or
   * list may be left out, as Kubernetes treats both alike.
   */
  static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isContainerNode() && expected.isEmpty() && actual == null) {
      return;
    }
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(path).isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) expected).fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!(field.getValue().isContainerNode() && field.getValue().isEmpty())) {
          assertThat(actual.has(field.getKey())).as("%s/%s lost", path, field.getKey()).isTrue();
        }
        assertContains(actual.get(field.getKey()), field.getValue(), path + "/" + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "/" + i);
      }
    } else if (expected.isNumber()) {
      assertThat(actual.decimalValue()).as(path).isEqualByComparingTo(expected.decimalValue());
    } else {
      assertThat(actual.asText()).as(path).isEqualTo(expected.asText());
    }
  }
}
