package dev.vigil.reconcilers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One golden scenario of a renderer test, as its fixture file says it: a YAML file of several
 * documents holding the objects to render and one {@code kind: Render} document with the test's
 * other inputs and what the build must report besides the rendered file. The Render document's
 * {@code include:} names more files of objects, by paths relative to the reconcilers module, so
 * real-world shapes kept elsewhere in the repository are used as they are.
 *
 * <p>Each renderer's scenario ({@code RenderScenario}, {@code AlertmanagerScenario}, {@code
 * CollectorScenario}, {@code JaegerScenario}) says which kinds of object it takes and what its
 * Render document holds, and turns them into its builder's inputs; this reads the files. Strictly:
 * a field the types do not know, or a kind the scenario does not take, fails, so a typo in a
 * fixture cannot go unseen.
 *
 * @param name the scenario: the file's name without {@code .yaml}
 * @param render the {@code kind: Render} document
 * @param objects every other document: the file's in order, then the included files' in order
 */
public record ScenarioFile<R extends ScenarioFile.Render>(
    String name, R render, List<JsonNode> objects) {

  /** What every Render document holds: the files to include. */
  public interface Render {
    List<String> include();
  }

  /** Fails on any field the types do not know, so a typo in a fixture cannot go unseen. */
  public static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Scenario names: the fixture files of {@code dir}, sorted. */
  public static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - ".yaml".length()))
          .sorted()
          .toList();
    }
  }

  /**
   * Reads {@code <dir>/<name>.yaml} and the files its Render document includes.
   *
   * @param kinds the kinds of object the scenario takes, by their types (whose simple names are the
   *     kinds); a document of any other kind fails
   */
  public static <R extends Render> ScenarioFile<R> load(
      Path dir, String name, Class<R> renderType, Class<?>... kinds) {
    try {
      List<JsonNode> docs = new ArrayList<>(readAll(dir.resolve(name + ".yaml")));
      R render = null;
      for (JsonNode doc : docs) {
        if ("Render".equals(kind(doc))) {
          render = STRICT.treeToValue(doc, renderType);
        }
      }
      if (render == null) {
        throw new IllegalArgumentException(name + ": no kind: Render document");
      }
      for (String include : render.include() == null ? List.<String>of() : render.include()) {
        docs.addAll(readAll(Path.of(include)));
      }
      Set<String> taken =
          Arrays.stream(kinds).map(Class::getSimpleName).collect(Collectors.toSet());
      List<JsonNode> objects = new ArrayList<>();
      for (JsonNode doc : docs) {
        if ("Render".equals(kind(doc))) {
          continue;
        }
        if (!taken.contains(kind(doc))) {
          throw new IllegalArgumentException(name + ": unexpected document " + doc);
        }
        objects.add(doc);
      }
      return new ScenarioFile<>(name, render, List.copyOf(objects));
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
  }

  /** The objects of {@code type}'s kind, in order. */
  public <T> List<T> all(Class<T> type) {
    List<T> all = new ArrayList<>();
    for (JsonNode doc : objects) {
      if (type.getSimpleName().equals(kind(doc))) {
        try {
          all.add(STRICT.treeToValue(doc, type));
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(name, e);
        }
      }
    }
    return all;
  }

  /** The one object of {@code type}'s kind; fails when there is none, or more than one. */
  public <T> T only(Class<T> type) {
    List<T> all = all(type);
    if (all.size() > 1) {
      throw new IllegalArgumentException(name + ": more than one " + type.getSimpleName());
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(name + ": no " + type.getSimpleName());
    }
    return all.get(0);
  }

  /** Every non-empty document of a YAML file. */
  public static List<JsonNode> readAll(Path file) throws IOException {
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

  /** The keys a Secret holds ({@code data}, then {@code stringData}), without their values. */
  public static List<MountedKey> keys(Secret secret) {
    return Stream.of(secret.getData(), secret.getStringData())
        .filter(Objects::nonNull)
        .flatMap(data -> data.keySet().stream())
        .map(
            key ->
                MountedKey.secret(
                    secret.getMetadata().getNamespace(), secret.getMetadata().getName(), key))
        .toList();
  }

  /** The values a Secret holds, {@code data} decoded, by key. */
  public static Map<MountedKey, String> values(Secret secret) {
    Map<MountedKey, String> values = new TreeMap<>();
    String namespace = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(
                      MountedKey.secret(namespace, name, k),
                      new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      secret
          .getStringData()
          .forEach((k, v) -> values.put(MountedKey.secret(namespace, name, k), v));
    }
    return values;
  }

  /** The values a ConfigMap holds, by key. */
  public static Map<MountedKey, String> values(ConfigMap configMap) {
    Map<MountedKey, String> values = new TreeMap<>();
    String namespace = configMap.getMetadata().getNamespace();
    String name = configMap.getMetadata().getName();
    if (configMap.getData() != null) {
      configMap
          .getData()
          .forEach((k, v) -> values.put(MountedKey.configMap(namespace, name, k), v));
    }
    return values;
  }

  private static String kind(JsonNode doc) {
    return doc.at("/kind").asText();
  }
}
