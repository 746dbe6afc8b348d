package dev.vigil.reconcilers.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigInputs;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigRenderer;
import dev.vigil.reconcilers.monitoringstack.PrometheusConfigBuilder;
import dev.vigil.reconcilers.monitoringstack.PrometheusConfigInputs;
import dev.vigil.reconcilers.monitoringstack.PrometheusConfigRenderer;
import dev.vigil.reconcilers.monitoringstack.RuleFileRenderer;
import dev.vigil.reconcilers.rules.PolicyRules;
import dev.vigil.reconcilers.rules.PromQLExpressionCheck;
import dev.vigil.reconcilers.tracingpipeline.config.CollectorConfigBuilder;
import dev.vigil.reconcilers.tracingpipeline.config.CollectorConfigInputs;
import dev.vigil.reconcilers.tracingpipeline.config.CollectorConfigRenderer;
import dev.vigil.reconcilers.tracingpipeline.config.JaegerConfigBuilder;
import dev.vigil.reconcilers.tracingpipeline.config.JaegerConfigRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a custom resource holds — the schema bypassed, as the mock server or an old
 * CRD would let through — Vigil's renderers never throw: every part they cannot render becomes a
 * problem, and what they render can be written. 2,000 objects are made from the examples by random
 * mutations (fields removed or nulled, strings of every kind, numbers out of range, empty or
 * repeated list items), from a fixed seed so a failure can be replayed.
 */
class MutatedObjectsTest {
  static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  static final long SEED = 20261125L;
  static final int OBJECTS = 2000;
  static final String[] STRINGS = {
    "",
    " ",
    "(unclosed",
    "a{",
    ".*",
    "[",
    "\\",
    "$1",
    "${VAR}",
    "{{ $value }}",
    "0",
    "-1",
    "1e309",
    "NaN",
    "5m",
    "0s",
    "-5m",
    "1y2w",
    "http://x",
    "https://[::1]:99999",
    "ünïcödé",
    "a\nb",
    "\"quoted\"",
    "key=value",
    "x".repeat(5000),
    "sum(rate(x[5m]))",
    "rate(x)",
    "foo{",
  };

  @Test
  void renderersNeverThrowOnMutatedObjects() throws IOException {
    Map<Class<? extends HasMetadata>, JsonNode> examples =
        Map.of(
            MonitoringStack.class, example("monitoringstack.yaml"),
            ServiceMonitor.class, example("servicemonitor.yaml"),
            PodMonitor.class, example("podmonitor.yaml"),
            AlertPolicy.class, example("alertpolicy.yaml"),
            TracingPipeline.class, example("tracingpipeline.yaml"));
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>(examples.keySet());
    kinds.sort((a, b) -> a.getSimpleName().compareTo(b.getSimpleName()));
    Random random = new Random(SEED);
    int rendered = 0;
    int unreadable = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      Class<? extends HasMetadata> kind = kinds.get(i % kinds.size());
      JsonNode tree = examples.get(kind).deepCopy();
      int mutations = 1 + random.nextInt(5);
      for (int m = 0; m < mutations; m++) {
        mutate(tree.get("spec"), random);
      }
      HasMetadata object;
      try {
        object = YAML.treeToValue(tree, kind);
      } catch (IOException | IllegalArgumentException e) {
        unreadable++; // the API server would refuse it too: wrong JSON types
        continue;
      }
      try {
        render(object);
        rendered++;
      } catch (RuntimeException e) {
        StackTraceElement[] at = e.getStackTrace();
        failures.add(
            kind.getSimpleName()
                + " #"
                + i
                + ": "
                + e
                + " at "
                + List.of(at).subList(0, Math.min(8, at.length))
                + "\n"
                + tree);
      }
    }
    System.out.printf(
        "mutated objects: %d rendered, %d unreadable (wrong JSON types)%n", rendered, unreadable);
    assertThat(failures).as("objects a renderer threw on").isEmpty();
    assertThat(rendered).as("objects rendered (unreadable: %d)", unreadable).isGreaterThan(1000);
  }

  /** Every renderer the object reaches, as the reconcilers call them. */
  static void render(HasMetadata object) {
    PrometheusConfigInputs inputs = PrometheusConfigInputs.of("http://vigil:8080", "/token");
    if (object instanceof MonitoringStack stack) {
      if (stack.getSpec() == null) {
        stack.setSpec(new MonitoringStackSpec());
      }
      int shards =
          stack.getSpec().scraper == null || stack.getSpec().scraper.shards == null
              ? 1
              : stack.getSpec().scraper.shards;
      for (int shard = 0; shard < Math.min(shards, 3); shard++) {
        PrometheusConfigRenderer.renderString(
            PrometheusConfigBuilder.build(stack, shard, List.of(), List.of(), inputs).config());
      }
      AlertmanagerConfigRenderer.renderString(
          AlertmanagerConfigBuilder.build(stack, List.of(), AlertmanagerConfigInputs.of())
              .config());
    } else if (object instanceof ServiceMonitor monitor) {
      PrometheusConfigRenderer.renderString(
          PrometheusConfigBuilder.build(stack(), 0, List.of(monitor), List.of(), inputs).config());
    } else if (object instanceof PodMonitor monitor) {
      PrometheusConfigRenderer.renderString(
          PrometheusConfigBuilder.build(stack(), 0, List.of(), List.of(monitor), inputs).config());
    } else if (object instanceof AlertPolicy policy) {
      RuleFileRenderer.render(PolicyRules.build(policy, new PromQLExpressionCheck()).file());
      AlertmanagerConfigRenderer.renderString(
          AlertmanagerConfigBuilder.build(stack(), List.of(policy), AlertmanagerConfigInputs.of())
              .config());
    } else if (object instanceof TracingPipeline pipeline) {
      var collector = CollectorConfigBuilder.build(pipeline, CollectorConfigInputs.of());
      if (collector.config() != null) {
        CollectorConfigRenderer.renderString(collector.config());
      }
      var jaeger = JaegerConfigBuilder.build(pipeline);
      if (jaeger.config() != null) {
        JaegerConfigRenderer.renderString(jaeger.config());
      }
    }
  }

  static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    return stack;
  }

  static JsonNode example(String file) throws IOException {
    return YAML.readTree(Files.readString(Path.of("../manifests/examples").resolve(file)));
  }

  /** One random change somewhere below {@code node}. */
  static void mutate(JsonNode node, Random random) {
    if (node == null) {
      return;
    }
    // Walk down a few levels at random, then change what is there.
    JsonNode parent = node;
    for (int depth = 0; depth < 6; depth++) {
      List<JsonNode> children = new ArrayList<>();
      parent.elements().forEachRemaining(children::add);
      List<JsonNode> containers =
          children.stream().filter(c -> c.isObject() || c.isArray()).toList();
      if (containers.isEmpty() || random.nextInt(3) == 0) {
        break;
      }
      parent = containers.get(random.nextInt(containers.size()));
    }
    if (parent.isObject()) {
      ObjectNode object = (ObjectNode) parent;
      List<String> names = new ArrayList<>();
      Iterator<String> it = object.fieldNames();
      it.forEachRemaining(names::add);
      if (names.isEmpty()) {
        return;
      }
      String name = names.get(random.nextInt(names.size()));
      JsonNode value = object.get(name);
      // Mostly a value of the same JSON type (what a schema-less API server would store), at
      // times one of another type (what a client bug sends).
      boolean sameType = random.nextInt(5) != 0;
      switch (random.nextInt(4)) {
        case 0 -> object.remove(name);
        case 1 -> object.putNull(name);
        default -> {
          if (sameType && value.isTextual()) {
            object.put(name, STRINGS[random.nextInt(STRINGS.length)]);
          } else if (sameType && value.isNumber()) {
            object.put(name, randomNumber(random));
          } else if (sameType && value.isBoolean()) {
            object.put(name, !value.asBoolean());
          } else if (sameType && value.isArray()) {
            object.set(name, JsonNodeFactory.instance.arrayNode());
          } else if (sameType && value.isObject()) {
            object.set(name, JsonNodeFactory.instance.objectNode());
          } else if (random.nextBoolean()) {
            object.put(name, STRINGS[random.nextInt(STRINGS.length)]);
          } else {
            object.put(name, randomNumber(random));
          }
        }
      }
    } else if (parent.isArray()) {
      ArrayNode array = (ArrayNode) parent;
      if (array.isEmpty()) {
        return;
      }
      int index = random.nextInt(array.size());
      switch (random.nextInt(4)) {
        case 0 -> array.remove(index);
        case 1 -> array.add(array.get(index).deepCopy());
        case 2 -> array.set(index, JsonNodeFactory.instance.objectNode());
        default -> array.insertNull(index);
      }
    }
  }

  static long randomNumber(Random random) {
    long[] edges = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, 65536, 101};
    return edges[random.nextInt(edges.length)];
  }
}
