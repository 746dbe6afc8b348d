package dev.vigil.reconcilers.robustness;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random and mutated custom resources of all five kinds, for property tests of the renderers, of
 * the operator on the mock server (schema bypassed) and of the real API server (schema applied).
 * Each object starts from its kind's example in {@code manifests/examples}, gets valid random
 * variations, and then, most of the time, one to five mutations: generic ones (a field removed,
 * nulled, retyped, a list emptied or an item repeated) and ones aimed at what a field means (a
 * wrong enum, a regex or PromQL that does not parse, a bad duration, an unknown port, a missing
 * Secret, a bad selector, unicode, a huge string). Everything comes from one seed, so a failure can
 * be replayed; each object lists what was changed.
 */
public final class CustomResourceGenerator {
  public static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The five kinds in a fixed order, each with its example file. */
  public static final Map<Class<? extends HasMetadata>, String> KINDS = kinds();

  static final String HUGE = "x".repeat(100_000);

  /** The label the API server puts on every namespace (a mock server needs it set by hand). */
  public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  /** Strings of every kind, for any string field. */
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
    "ünïcödé ✓ 🚀",
    "a\nb",
    "\"quoted\"",
    "key=value",
    "x".repeat(5000),
    "sum(rate(x[5m]))",
    "rate(x)",
    "foo{",
  };

  /** Wrong values aimed at what a field of this name means. */
  static final Map<String, List<Object>> BAD_BY_FIELD = badByField();

  private final Random random;
  private final Map<Class<? extends HasMetadata>, ObjectNode> examples = new LinkedHashMap<>();

  public CustomResourceGenerator(long seed) {
    this.random = new Random(seed);
    KINDS.forEach((kind, file) -> examples.put(kind, example(file)));
  }

  /** One generated object and what was done to it. */
  public record Generated(
      int index, Class<? extends HasMetadata> kind, ObjectNode tree, List<String> changes) {
    /** Whether a change was made that may make the object invalid. */
    public boolean mutated() {
      return changes.stream().anyMatch(c -> !c.startsWith("valid "));
    }

    /** The object typed, or null when its JSON types do not fit the kind (wrong JSON types). */
    public HasMetadata typedOrNull() {
      try {
        return YAML.treeToValue(tree, kind);
      } catch (IOException | IllegalArgumentException e) {
        return null;
      }
    }

    public String name() {
      return tree.path("metadata").path("name").asText();
    }

    public String namespace() {
      return tree.path("metadata").path("namespace").asText();
    }

    @Override
    public String toString() {
      return kind.getSimpleName()
          + " #"
          + index
          + " "
          + namespace()
          + "/"
          + name()
          + " "
          + changes.stream().map(c -> c.length() > 200 ? c.substring(0, 200) + "…" : c).toList();
    }
  }

  /**
   * The {@code index}th object: kind {@code index % 5}, named {@code name} in {@code namespace};
   * mutated with probability {@code mutatedShare}.
   */
  public Generated next(int index, String namespace, String name, double mutatedShare) {
    Class<? extends HasMetadata> kind = List.copyOf(KINDS.keySet()).get(index % KINDS.size());
    ObjectNode tree = examples.get(kind).deepCopy();
    ObjectNode metadata = (ObjectNode) tree.get("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    List<String> changes = new ArrayList<>();
    vary(kind, tree, changes);
    if (random.nextDouble() < mutatedShare) {
      int mutations = 1 + random.nextInt(5);
      for (int m = 0; m < mutations; m++) {
        if (random.nextInt(3) == 0) {
          changes.add(mutate(tree.get("spec"), "spec", random));
        } else {
          changes.add(mutateByMeaning(tree.get("spec"), "spec", random));
        }
      }
    }
    return new Generated(index, kind, tree, changes);
  }

  /** Valid random variations: what a user may well write. */
  private void vary(Class<? extends HasMetadata> kind, ObjectNode tree, List<String> changes) {
    ObjectNode spec = (ObjectNode) tree.get("spec");
    String[] durations = {"10s", "15s", "30s", "1m", "2m"};
    if (kind == MonitoringStack.class) {
      ObjectNode scraper = (ObjectNode) spec.get("scraper");
      int shards = 1 + random.nextInt(3);
      scraper.put("shards", shards);
      scraper.put("replicas", 1 + random.nextInt(2));
      String interval = durations[2 + random.nextInt(3)];
      scraper.put("scrapeInterval", interval);
      scraper.put("scrapeTimeout", "10s");
      for (String part : List.of("alertmanager", "grafana", "nodeAgent", "kubeStateMetrics")) {
        boolean enabled = random.nextBoolean();
        ((ObjectNode) spec.get(part)).put("enabled", enabled);
        changes.add("valid " + part + ".enabled=" + enabled);
      }
      // Each stack takes in its own namespace's monitors and policies, as a team's stack would.
      String namespace = tree.path("metadata").path("namespace").asText();
      for (String selector : List.of("monitorSelector", "policySelector")) {
        ((ObjectNode) spec.get(selector))
            .putObject("namespaceSelector")
            .putObject("matchLabels")
            .put(NAMESPACE_NAME_LABEL, namespace);
      }
      changes.add("valid shards=" + shards + " scrapeInterval=" + interval);
    } else if (kind == ServiceMonitor.class || kind == PodMonitor.class) {
      String field = kind == ServiceMonitor.class ? "endpoints" : "podMetricsEndpoints";
      String interval = durations[random.nextInt(durations.length)];
      ((ObjectNode) spec.get(field).get(0)).put("interval", interval);
      if (kind == ServiceMonitor.class) {
        ((ObjectNode) spec.get(field).get(0)).put("scrapeTimeout", "5s");
      }
      changes.add("valid " + field + "[0].interval=" + interval);
    } else if (kind == AlertPolicy.class) {
      String[] expressions = {
        "up == 0",
        "sum by (job) (rate(http_requests_total[5m])) > 10",
        "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m]))) > 0.5",
        "absent(up{job=\"checkout\"})",
      };
      String expr = expressions[random.nextInt(expressions.length)];
      ((ObjectNode) spec.at("/groups/0/rules/1")).put("expr", expr);
      changes.add("valid groups[0].rules[1].expr=" + expr);
    } else if (kind == TracingPipeline.class) {
      String mode = random.nextBoolean() ? "gateway" : "agent";
      spec.put("mode", mode);
      if (mode.equals("agent")) {
        spec.remove("replicas");
      } else {
        spec.put("replicas", 1 + random.nextInt(3));
      }
      changes.add("valid mode=" + mode);
    }
  }

  /** A place in the tree: an object's field or an array's item, with its path. */
  record Slot(JsonNode container, String field, int index, String path) {
    JsonNode value() {
      return field != null ? container.get(field) : container.get(index);
    }

    void set(JsonNode value) {
      if (field != null) {
        ((ObjectNode) container).set(field, value);
      } else {
        ((ArrayNode) container).set(index, value);
      }
    }
  }

  static List<Slot> slots(JsonNode node, String path) {
    List<Slot> slots = new ArrayList<>();
    collect(node, path, slots);
    return slots;
  }

  private static void collect(JsonNode node, String path, List<Slot> into) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        Slot slot = new Slot(node, name, -1, path + "." + name);
        into.add(slot);
        collect(node.get(name), slot.path(), into);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Slot slot = new Slot(node, null, i, path + "[" + i + "]");
        into.add(slot);
        collect(node.get(i), slot.path(), into);
      }
    }
  }

  /**
   * One generic random change somewhere below {@code node}: a field removed or nulled, a value of
   * the same JSON type (what a schema-less API server would store) or at times of another (what a
   * client bug sends), a list item removed, repeated, emptied or nulled. Returns what it did.
   */
  public static String mutate(JsonNode node, String path, Random random) {
    List<Slot> slots = slots(node, path);
    if (slots.isEmpty()) {
      return "nothing to mutate";
    }
    Slot slot = slots.get(random.nextInt(slots.size()));
    JsonNode value = slot.value();
    if (slot.field() == null) {
      ArrayNode array = (ArrayNode) slot.container();
      switch (random.nextInt(4)) {
        case 0 -> {
          array.remove(slot.index());
          return slot.path() + " removed";
        }
        case 1 -> {
          array.add(value.deepCopy());
          return slot.path() + " repeated";
        }
        case 2 -> {
          array.set(slot.index(), JsonNodeFactory.instance.objectNode());
          return slot.path() + " = {}";
        }
        default -> {
          array.insertNull(slot.index());
          return slot.path() + " null inserted";
        }
      }
    }
    ObjectNode object = (ObjectNode) slot.container();
    String name = slot.field();
    boolean sameType = random.nextInt(5) != 0;
    switch (random.nextInt(4)) {
      case 0 -> {
        object.remove(name);
        return slot.path() + " removed";
      }
      case 1 -> {
        object.putNull(name);
        return slot.path() + " = null";
      }
      default -> {
        JsonNode replacement;
        if (sameType && value.isTextual()) {
          replacement = TextNode.valueOf(STRINGS[random.nextInt(STRINGS.length)]);
        } else if (sameType && value.isNumber()) {
          replacement = JsonNodeFactory.instance.numberNode(randomNumber(random));
        } else if (sameType && value.isBoolean()) {
          replacement = JsonNodeFactory.instance.booleanNode(!value.asBoolean());
        } else if (sameType && value.isArray()) {
          replacement = JsonNodeFactory.instance.arrayNode();
        } else if (sameType && value.isObject()) {
          replacement = JsonNodeFactory.instance.objectNode();
        } else if (random.nextBoolean()) {
          replacement = TextNode.valueOf(STRINGS[random.nextInt(STRINGS.length)]);
        } else {
          replacement = JsonNodeFactory.instance.numberNode(randomNumber(random));
        }
        object.set(name, replacement);
        return slot.path() + " = " + shortly(replacement);
      }
    }
  }

  /**
   * A wrong value aimed at a field's meaning (a regex that does not compile where a regex goes);
   * falls back to {@link #mutate} where no field has a known meaning.
   */
  public static String mutateByMeaning(JsonNode node, String path, Random random) {
    List<Slot> slots =
        slots(node, path).stream()
            .filter(s -> s.field() != null && BAD_BY_FIELD.containsKey(s.field()))
            .toList();
    if (slots.isEmpty()) {
      return mutate(node, path, random);
    }
    Slot slot = slots.get(random.nextInt(slots.size()));
    List<Object> bad = BAD_BY_FIELD.get(slot.field());
    Object value = bad.get(random.nextInt(bad.size()));
    JsonNode replacement = YAML.valueToTree(value);
    slot.set(replacement);
    return slot.path() + " = " + shortly(replacement);
  }

  private static String shortly(JsonNode value) {
    String text = value.toString();
    return text.length() > 80 ? text.substring(0, 80) + "…(" + text.length() + " chars)" : text;
  }

  static long randomNumber(Random random) {
    long[] edges = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, 65536, 101};
    return edges[random.nextInt(edges.length)];
  }

  private static Map<String, List<Object>> badByField() {
    Map<String, List<Object>> bad = new LinkedHashMap<>();
    List<Object> durations =
        List.of("5 minutes", "-1s", "1.5m", "", "99999999999999999999h", "P1D", "10", "ünï");
    for (String field :
        List.of(
            "interval",
            "scrapeInterval",
            "scrapeTimeout",
            "evaluationInterval",
            "retention",
            "for",
            "keep_firing_for",
            "groupWait",
            "groupInterval",
            "repeatInterval",
            "resolveTimeout",
            "decisionWait",
            "timeout")) {
      bad.put(field, durations);
    }
    bad.put("regex", List.of("(unclosed", "a**", "[z-a]", "\\", "(?<name>x)", "x{1001}", "\\C"));
    bad.put(
        "expr",
        List.of(
            "sum(",
            "rate(x[5m]",
            "foo{bar=}",
            "1 +",
            "",
            "up{job=~\"(\"}",
            "histogram_quantile(0.9)",
            "no_such_function(up)",
            "sum(rate(x[5m])) " + "+ up ".repeat(2000)));
    bad.put("port", List.of("no-such-port", "", "ünï", "x".repeat(70), "UPPER"));
    bad.put("portNumber", List.of(0, 70000, -1));
    bad.put("targetPort", List.of("no-such-port", 0, 70000));
    // Secret references are {name, key} objects; their "name" gets a Secret that is not there.
    bad.put("key", List.of("missing-key", "", "../../etc/passwd"));
    bad.put("operator", List.of("Maybe", "in", "", "Exists "));
    bad.put("action", List.of("explode", "Replace", "", "hashmod"));
    bad.put("mode", List.of("sidecar", "", "GATEWAY"));
    bad.put("scheme", List.of("gopher", "HTTP", ""));
    bad.put("type", List.of("nope", "", "and", "latency"));
    bad.put("storage", List.of("cassandra", ""));
    bad.put(
        "matchLabels",
        List.of(
            Map.of("bad key!", "v"),
            Map.of("app", "x".repeat(100)),
            Map.of("", ""),
            Map.of("app", "ünï")));
    bad.put("values", List.of(List.of(), List.of("bad value!"), List.of("x".repeat(100))));
    bad.put("url", List.of("not a url", "http://[::1", "", "ftp://x"));
    bad.put("endpoint", List.of("not a url", "", ":4317", "host:99999"));
    bad.put("apiUrl", List.of(Map.of("name", "does-not-exist", "key", "url"), Map.of()));
    bad.put("routingKey", List.of(Map.of("name", "does-not-exist", "key", "k"), Map.of()));
    bad.put("credentials", List.of(Map.of("name", "does-not-exist", "key", "token")));
    bad.put("password", List.of(Map.of("name", "does-not-exist", "key", "password")));
    bad.put("adminCredentialsSecret", List.of("does-not-exist", "", "Bad_Name"));
    bad.put("valueFrom", List.of(Map.of("name", "does-not-exist", "key", "k")));
    bad.put(
        "labels",
        List.of(Map.of("bad-name-", "v"), Map.of("severity", "ünïcödé ✓"), Map.of("", "")));
    bad.put("annotations", List.of(Map.of("summary", HUGE), Map.of("", "x")));
    bad.put("externalLabels", List.of(Map.of("1bad", "v"), Map.of("__name__", "x")));
    bad.put("sourceLabels", List.of(List.of("not a label!"), List.of(), List.of("")));
    bad.put("targetLabel", List.of("1bad", "", "ünï", "${1}"));
    bad.put("labeldrop", List.of("("));
    bad.put("size", List.of("50 gigs", "-1Gi", "", "1e400"));
    bad.put("retentionSize", List.of("45 gigs", "-1GB", ""));
    bad.put("replicas", List.of(0, -1, 1_000_000));
    bad.put("shards", List.of(0, -1, 1_000_000));
    bad.put("samplingPercentage", List.of(150, -5));
    bad.put("limitPercentage", List.of(150, -5, 0));
    bad.put("spikeLimitPercentage", List.of(150, -5));
    bad.put("thresholdMs", List.of(-1, 0));
    bad.put("statusCodes", List.of(List.of("MAYBE"), List.of()));
    bad.put("receiver", List.of("no-such-receiver", ""));
    bad.put("name", List.of("does-not-exist", "", "Bad Name!", "ünï", "x".repeat(300)));
    bad.put("matchNames", List.of(List.of(), List.of("Bad Namespace!")));
    bad.put("jobLabel", List.of("", "not a label!"));
    bad.put("path", List.of("", "no-slash", "/" + HUGE));
    bad.put("groups", List.of(List.of(), List.of(Map.of())));
    bad.put("rules", List.of(List.of(), List.of(Map.of("alert", "A")), List.of(Map.of())));
    bad.put("endpoints", List.of(List.of(), List.of(Map.of())));
    bad.put("podMetricsEndpoints", List.of(List.of(), List.of(Map.of())));
    bad.put("policies", List.of(List.of(), List.of(Map.of("name", "p", "type", "latency"))));
    bad.put("receivers", List.of(List.of(), List.of(Map.of("name", "r"))));
    bad.put("matchers", List.of(List.of(Map.of("name", "", "value", "x"))));
    bad.put("podLabels", List.of(List.of("not a label!"), List.of("")));
    return bad;
  }

  private static Map<Class<? extends HasMetadata>, String> kinds() {
    Map<Class<? extends HasMetadata>, String> kinds = new LinkedHashMap<>();
    kinds.put(AlertPolicy.class, "alertpolicy.yaml");
    kinds.put(MonitoringStack.class, "monitoringstack.yaml");
    kinds.put(PodMonitor.class, "podmonitor.yaml");
    kinds.put(ServiceMonitor.class, "servicemonitor.yaml");
    kinds.put(TracingPipeline.class, "tracingpipeline.yaml");
    kinds.put(LogPipeline.class, "logpipeline.yaml");
    return kinds;
  }

  /** An example as a tree; every module's tests run one level below the repository root. */
  public static ObjectNode example(String file) {
    try {
      return (ObjectNode)
          YAML.readTree(Files.readString(Path.of("../manifests/examples").resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
