package dev.vigil.reconcilers.prometheus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One golden scenario of {@link PrometheusConfigRenderer}: a YAML file under {@code
 * src/test/resources/prometheus-config/} holding, as separate documents, one MonitoringStack, any
 * ServiceMonitors and PodMonitors (in any order), Secrets and ConfigMaps whose values the builder
 * may read, and one {@code kind: Render} document with the other inputs and what the build must
 * report besides the file:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * shard: 0                      # default 0
 * include: [../crds/src/test/resources/compat/kubelet-servicemonitor.yaml]   # more documents
 * ruleFiles: [...]              # PrometheusConfigInputs
 * alertmanagers: [...]
 * sdBaseUrl: ...               # default http://vigil-operator.vigil-system.svc:8080
 * sdCaFile: ...
 * mountedKeys: [...]            # expected MountedKey paths, in order
 * problems: [...]               # expected "Kind namespace/name: message", in order
 * </pre>
 *
 * Paths in {@code include} are relative to the reconcilers module, so real-world shapes kept
 * elsewhere in the repository are used as they are.
 */
record RenderScenario(
    String name,
    MonitoringStack stack,
    List<ServiceMonitor> serviceMonitors,
    List<PodMonitor> podMonitors,
    PrometheusConfigInputs inputs,
    int shard,
    List<String> mountedKeys,
    List<String> problems) {
  static final Path FIXTURES = Path.of("src/test/resources/prometheus-config");
  static final String SD_BASE_URL = "http://vigil-operator.vigil-system.svc:8080";
  static final String SD_TOKEN_FILE = "/var/run/secrets/vigil.dev/sd/token";

  /** Fails on any field the types do not know, so a typo in a fixture cannot go unseen. */
  static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      Integer shard,
      List<String> include,
      List<String> ruleFiles,
      List<String> alertmanagers,
      String sdBaseUrl,
      String sdCaFile,
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

  static RenderScenario load(String name) {
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
      List<ServiceMonitor> serviceMonitors = new ArrayList<>();
      List<PodMonitor> podMonitors = new ArrayList<>();
      Map<MountedKey, String> values = new TreeMap<>();
      for (JsonNode doc : docs) {
        switch (doc.at("/kind").asText()) {
          case "Render" -> {}
          case "MonitoringStack" -> {
            if (stack != null) {
              throw new IllegalArgumentException(name + ": more than one MonitoringStack");
            }
            stack = STRICT.treeToValue(doc, MonitoringStack.class);
          }
          case "ServiceMonitor" ->
              serviceMonitors.add(STRICT.treeToValue(doc, ServiceMonitor.class));
          case "PodMonitor" -> podMonitors.add(STRICT.treeToValue(doc, PodMonitor.class));
          case "Secret" -> addSecret(STRICT.treeToValue(doc, Secret.class), values);
          case "ConfigMap" -> addConfigMap(STRICT.treeToValue(doc, ConfigMap.class), values);
          default -> throw new IllegalArgumentException(name + ": unexpected document " + doc);
        }
      }
      if (stack == null) {
        throw new IllegalArgumentException(name + ": no MonitoringStack");
      }
      PrometheusConfigInputs inputs =
          new PrometheusConfigInputs(
              render.sdBaseUrl() == null ? SD_BASE_URL : render.sdBaseUrl(),
              SD_TOKEN_FILE,
              render.sdCaFile(),
              render.ruleFiles(),
              render.alertmanagers(),
              key -> Optional.ofNullable(values.get(key)),
              null);
      return new RenderScenario(
          name,
          stack,
          serviceMonitors,
          podMonitors,
          inputs,
          render.shard() == null ? 0 : render.shard(),
          render.mountedKeys() == null ? List.of() : render.mountedKeys(),
          render.problems() == null ? List.of() : render.problems());
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
  }

  BuiltConfig<PrometheusConfig> build() {
    return PrometheusConfigBuilder.build(stack, shard, serviceMonitors, podMonitors, inputs);
  }

  private static void addSecret(Secret secret, Map<MountedKey, String> values) {
    String ns = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(
                      MountedKey.secret(ns, name, k),
                      new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> values.put(MountedKey.secret(ns, name, k), v));
    }
  }

  private static void addConfigMap(ConfigMap configMap, Map<MountedKey, String> values) {
    String ns = configMap.getMetadata().getNamespace();
    String name = configMap.getMetadata().getName();
    if (configMap.getData() != null) {
      configMap.getData().forEach((k, v) -> values.put(MountedKey.configMap(ns, name, k), v));
    }
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
