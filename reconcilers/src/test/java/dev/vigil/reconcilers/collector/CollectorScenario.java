package dev.vigil.reconcilers.collector;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One golden scenario of the tracing renderers: a YAML file under {@code
 * src/test/resources/collector-config/} or {@code src/test/resources/jaeger-config/} holding, as
 * separate documents, the TracingPipeline to render (the first one), other TracingPipelines that
 * {@code exporters.gateway} may name, the Secrets whose keys exist (a reference to any other key is
 * missing), and one {@code kind: Render} document with what the build must report besides the file:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * include: [../manifests/examples/tracingpipeline.yaml]  # more documents, relative to reconcilers/
 * mountedKeys: [...]     # expected mounted file paths, in order
 * env: [...]             # expected variables: NAME=secret:name/key or NAME=field:path, in order
 * problems: [...]        # expected "field: message", in order
 * persistent: true       # Jaeger: badger on a volume
 * </pre>
 */
public record CollectorScenario(
    String name,
    TracingPipeline pipeline,
    List<TracingPipeline> others,
    CollectorConfigInputs inputs,
    List<String> mountedKeys,
    List<String> env,
    List<String> problems,
    boolean persistent) {
  public static final Path COLLECTOR = Path.of("src/test/resources/collector-config");
  public static final Path JAEGER = Path.of("src/test/resources/jaeger-config");

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
      List<String> mountedKeys,
      List<String> env,
      List<String> problems,
      Boolean persistent) {}

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

  public static CollectorScenario load(Path dir, String name) {
    try {
      List<JsonNode> docs = new ArrayList<>(readAll(dir.resolve(name + ".yaml")));
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
      List<TracingPipeline> pipelines = new ArrayList<>();
      Set<MountedKey> keys = new TreeSet<>();
      for (JsonNode doc : docs) {
        switch (doc.at("/kind").asText()) {
          case "Render" -> {}
          case "TracingPipeline" -> pipelines.add(STRICT.treeToValue(doc, TracingPipeline.class));
          case "Secret" -> {
            Secret secret = STRICT.treeToValue(doc, Secret.class);
            List<String> dataKeys = new ArrayList<>();
            if (secret.getData() != null) {
              dataKeys.addAll(secret.getData().keySet());
            }
            if (secret.getStringData() != null) {
              dataKeys.addAll(secret.getStringData().keySet());
            }
            dataKeys.forEach(
                k ->
                    keys.add(
                        MountedKey.secret(
                            secret.getMetadata().getNamespace(),
                            secret.getMetadata().getName(),
                            k)));
          }
          default -> throw new IllegalArgumentException(name + ": unexpected document " + doc);
        }
      }
      if (pipelines.isEmpty()) {
        throw new IllegalArgumentException(name + ": no TracingPipeline");
      }
      List<TracingPipeline> others = pipelines.subList(1, pipelines.size());
      CollectorConfigInputs inputs =
          new CollectorConfigInputs(
              keys::contains,
              (namespace, pipelineName) ->
                  others.stream()
                      .filter(
                          p ->
                              p.getMetadata().getNamespace().equals(namespace)
                                  && p.getMetadata().getName().equals(pipelineName))
                      .findFirst()
                      .or(Optional::empty),
              jaegerBackend(pipelines.get(0)));
      return new CollectorScenario(
          name,
          pipelines.get(0),
          others,
          inputs,
          orEmpty(render.mountedKeys()),
          orEmpty(render.env()),
          orEmpty(render.problems()),
          Boolean.TRUE.equals(render.persistent()));
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
  }

  /**
   * Where the collectors of a pipeline that runs a Jaeger backend send spans, as its reconciler
   * says ({@code JaegerNames.collectorEndpoint}, in a package above this one): the OTLP gRPC port
   * of the backend's Service {@code <pipeline>-jaeger}. Null without a backend.
   */
  static String jaegerBackend(TracingPipeline pipeline) {
    JaegerBackendSpec jaeger =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.jaeger;
    if (jaeger == null || Boolean.FALSE.equals(jaeger.enabled)) {
      return null;
    }
    return pipeline.getMetadata().getName()
        + "-jaeger."
        + pipeline.getMetadata().getNamespace()
        + ".svc:4317";
  }

  /** {@code NAME=secret:name/key} or {@code NAME=field:path}. */
  static String describe(EnvVar env) {
    if (env.getValueFrom().getSecretKeyRef() != null) {
      return env.getName()
          + "=secret:"
          + env.getValueFrom().getSecretKeyRef().getName()
          + "/"
          + env.getValueFrom().getSecretKeyRef().getKey();
    }
    return env.getName() + "=field:" + env.getValueFrom().getFieldRef().getFieldPath();
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
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
