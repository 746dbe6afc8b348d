package dev.vigil.operator.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.prometheus.PrometheusConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import dev.vigil.reconcilers.prometheus.PrometheusConfigInputs;
import dev.vigil.reconcilers.prometheus.PrometheusConfigRenderer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * ServiceMonitors and PodMonitors that popular Helm charts ship, in their original {@code
 * monitoring.coreos.com/v1} form (src/test/resources/prometheus-operator), become Vigil's types
 * with no field Vigil knows lost, and render into scrape jobs named as prometheus-operator names
 * them.
 */
class PrometheusOperatorObjectsTest {
  static final Path CHARTS = Path.of("src/test/resources/prometheus-operator");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static Stream<Path> charts() throws IOException {
    try (Stream<Path> files = Files.list(CHARTS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static GenericKubernetesResource load(Path file) throws IOException {
    return SERIALIZATION.unmarshal(Files.readString(file), GenericKubernetesResource.class);
  }

  static HasMetadata convert(GenericKubernetesResource object) {
    return switch (object.getKind()) {
      case "ServiceMonitor" -> PrometheusOperatorObjects.serviceMonitor(object);
      case "PodMonitor" -> PrometheusOperatorObjects.podMonitor(object);
      default -> throw new AssertionError(object.getKind());
    };
  }

  @Test
  void thereAreSeveralOfEachKind() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (Path file : charts().toList()) {
      GenericKubernetesResource object = load(file);
      assertThat(object.getApiVersion()).as(file.toString()).isEqualTo("monitoring.coreos.com/v1");
      kinds.add(object.getKind());
    }
    assertThat(kinds).filteredOn("ServiceMonitor"::equals).hasSizeGreaterThanOrEqualTo(5);
    assertThat(kinds).filteredOn("PodMonitor"::equals).hasSizeGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("charts")
  void convertsWithEveryKnownFieldKept(Path file) throws IOException {
    GenericKubernetesResource object = load(file);
    HasMetadata monitor = convert(object);

    assertThat(monitor.getKind()).isEqualTo(object.getKind());
    assertThat(monitor)
        .isInstanceOfAny(
            PrometheusOperatorObjects.CoreosServiceMonitor.class,
            PrometheusOperatorObjects.CoreosPodMonitor.class);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(PrometheusOperatorObjects.isFrom(monitor)).isTrue();
    assertThat(monitor.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo(object.getMetadata().getNamespace());
    assertThat(monitor.getMetadata().getLabels()).isEqualTo(object.getMetadata().getLabels());
    assertThat(((CustomResource<?, ?>) monitor).getStatus()).as("status is never read").isNull();

    JsonNode original = YAML.readTree(file.toFile()).get("spec");
    JsonNode converted = JSON.valueToTree(((CustomResource<?, ?>) monitor).getSpec());
    assertContains(converted, original, "spec");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("charts")
  void rendersOneJobPerEndpointNamedAsPrometheusOperatorDoes(Path file) throws IOException {
    HasMetadata monitor = convert(load(file));
    String namespace = monitor.getMetadata().getNamespace();
    String name = monitor.getMetadata().getName();
    List<ServiceMonitor> serviceMonitors =
        monitor instanceof ServiceMonitor s ? List.of(s) : List.of();
    List<PodMonitor> podMonitors = monitor instanceof PodMonitor p ? List.of(p) : List.of();
    int endpoints =
        monitor instanceof ServiceMonitor s
            ? s.getSpec().endpoints.size()
            : ((PodMonitor) monitor).getSpec().podMetricsEndpoints.size();
    String prefix = (monitor instanceof ServiceMonitor ? "serviceMonitor/" : "podMonitor/");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      expected.add(prefix + namespace + "/" + name + "/" + i);
    }

    List<DiscoveryJob> discovery =
        monitor instanceof ServiceMonitor s
            ? DiscoveryJob.forServiceMonitor(s)
            : DiscoveryJob.forPodMonitor((PodMonitor) monitor);
    assertThat(discovery).extracting(DiscoveryJob::name).containsExactlyElementsOf(expected);

    BuiltConfig<PrometheusConfig> result =
        PrometheusConfigBuilder.build(
            stack(), 0, serviceMonitors, podMonitors, PrometheusConfigInputs.of(SD, TOKEN));
    assertThat(result.problems()).isEmpty();
    // The monitor's jobs, then the stack's own jobs for TracingPipelines' collectors and span
    // metrics, and its config reloaders.
    expected.add("vigil/otel-collectors");
    expected.add("vigil/span-metrics");
    expected.add("vigil/config-reloaders");
    assertThat(result.config().scrapeConfigs())
        .extracting(PrometheusConfig.ScrapeConfig::jobName)
        .containsExactlyElementsOf(expected);
    assertThat(PrometheusConfigRenderer.renderString(result.config()))
        .contains(SD + "/sd/v1/monitoring/platform/0/" + prefix.replace("/", "%2F"));
  }

  @Test
  void allTogetherRenderWithoutProblemsAndPassPromtool(@TempDir Path root) throws Exception {
    List<ServiceMonitor> serviceMonitors = new ArrayList<>();
    List<PodMonitor> podMonitors = new ArrayList<>();
    for (Path file : charts().toList()) {
      HasMetadata monitor = convert(load(file));
      if (monitor instanceof ServiceMonitor s) {
        serviceMonitors.add(s);
      } else {
        podMonitors.add((PodMonitor) monitor);
      }
    }
    BuiltConfig<PrometheusConfig> result =
        PrometheusConfigBuilder.build(
            stack(), 0, serviceMonitors, podMonitors, PrometheusConfigInputs.of(SD, TOKEN));
    assertThat(result.problems()).isEmpty();
    String rendered = PrometheusConfigRenderer.renderString(result.config());
    // Chart settings that reach prometheus.yml as written.
    assertThat(rendered)
        .contains("job_name: serviceMonitor/monitoring/kube-prometheus-stack-kubelet/1")
        .contains("metrics_path: /metrics/cadvisor")
        .contains("ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
        .contains("credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token")
        .contains("server_name: kubernetes")
        .contains("action: hashmod")
        .contains("action: labelkeep")
        .contains("action: keepequal")
        .contains("job_name: podMonitor/flux-system/flux-system/0");
    promtoolAccepts(rendered, root);
  }

  /**
   * The real {@code promtool check config} (VIGIL_PROMTOOL, from {@code make test}) accepts the
   * configuration, with every referenced file created under {@code root} as the pod would mount it.
   */
  static void promtoolAccepts(String rendered, Path root) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as("VIGIL_PROMTOOL is not set: source ~/.cache/vigil-tools/env.sh (make test does)")
        .isNotBlank();
    JsonNode config = YAML.readTree(rendered);
    relocateFiles(config, root);
    Path file = root.resolve("prometheus.yml");
    YAML.writeValue(file.toFile(), config);
    ProcessBuilder command =
        new ProcessBuilder(
                promtool, "check", "config", "--lint=all", "--lint-fatal", file.toString())
            .redirectErrorStream(true);
    // Prometheus expands ${POD_NAME} in external labels; the StatefulSet sets it.
    command.environment().put("POD_NAME", "prometheus-platform-0-0");
    Process process = command.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("promtool check config:%n%s", output).isZero();
    assertThat(output).contains("SUCCESS").doesNotContain("WARN");
  }

  /** Points every {@code *_file} under {@code root} and creates the file there. */
  static void relocateFiles(JsonNode node, Path root) throws IOException {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().endsWith("_file") && field.getValue().isTextual()) {
          Path file = Path.of(root + field.getValue().asText());
          Files.createDirectories(file.getParent());
          if (!Files.exists(file)) {
            Files.writeString(file, "");
          }
          field.setValue(new TextNode(file.toString()));
        } else {
          relocateFiles(field.getValue(), root);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        relocateFiles(element, root);
      }
    }
  }

  /**
   * prometheus-operator's own CRD refuses a field it does not declare, so one reaches Vigil only
   * from a newer prometheus-operator's CRD: it is ignored, as the API server would prune it from a
   * Vigil object, and the fields Vigil knows are kept.
   */
  @Test
  void aFieldVigilDoesNotKnowIsIgnored() {
    GenericKubernetesResource object =
        SERIALIZATION.unmarshal(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: newer, namespace: shop}
            spec:
              selector: {matchLabels: {app: newer}}
              endpoints:
                - port: web
                  interval: 30s
                  scrapeFallbackProtocolHint: PrometheusText0.0.4
            """,
            GenericKubernetesResource.class);
    ServiceMonitor monitor = PrometheusOperatorObjects.serviceMonitor(object);
    JsonNode endpoint = JSON.valueToTree(monitor.getSpec().endpoints.get(0));
    assertThat(endpoint.has("scrapeFallbackProtocolHint")).isFalse();
    assertThat(endpoint.get("port").asText()).isEqualTo("web");
    assertThat(endpoint.get("interval").asText()).isEqualTo("30s");
  }

  @Test
  void aValueVigilCannotReadIsReportedWithItsField() {
    GenericKubernetesResource object =
        SERIALIZATION.unmarshal(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: odd, namespace: shop}
            spec:
              selector: {matchLabels: {app: odd}}
              endpoints:
                - port: web
                - port: metrics
                  scheme: gopher
            """,
            GenericKubernetesResource.class);
    assertThatThrownBy(() -> PrometheusOperatorObjects.serviceMonitor(object))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.endpoints[1].scheme: ")
        .hasMessageContaining("gopher");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("charts")
  void chartMonitorsHaveNoProblems(Path file) throws IOException {
    assertThat(PrometheusOperatorObjects.problems(convert(load(file)))).isEmpty();
  }

  @Test
  void whatVigilsSchemaWouldRefuseIsFoundWithoutIt() {
    GenericKubernetesResource object =
        SERIALIZATION.unmarshal(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: sloppy, namespace: shop}
            spec:
              selector: {matchLabels: {app: sloppy}}
              endpoints:
                - port: web
                  interval: 10s
                  scrapeTimeout: 30s
                - port: web
                  relabelings:
                    - {action: hashmod, sourceLabels: [__address__], targetLabel: __tmp}
            """,
            GenericKubernetesResource.class);
    assertThat(PrometheusOperatorObjects.problems(PrometheusOperatorObjects.serviceMonitor(object)))
        .singleElement()
        .asString()
        .contains("scrapeTimeout 30s is longer than the scrape interval 10s");
  }

  @Test
  void onlyPrometheusOperatorsApiIsConverted() {
    GenericKubernetesResource vigils =
        SERIALIZATION.unmarshal(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: ServiceMonitor
            metadata: {name: checkout, namespace: shop}
            spec: {selector: {}, endpoints: [{port: web}]}
            """,
            GenericKubernetesResource.class);
    assertThatThrownBy(() -> PrometheusOperatorObjects.serviceMonitor(vigils))
        .hasMessageContaining("not monitoring.coreos.com/v1");

    GenericKubernetesResource noSpec =
        SERIALIZATION.unmarshal(
            """
            apiVersion: monitoring.coreos.com/v1
            kind: PodMonitor
            metadata: {name: empty, namespace: shop}
            """,
            GenericKubernetesResource.class);
    assertThatThrownBy(() -> PrometheusOperatorObjects.podMonitor(noSpec))
        .hasMessage("spec is required");

    ServiceMonitor own = new ServiceMonitor();
    assertThat(PrometheusOperatorObjects.isFrom(own)).isFalse();
  }

  @Test
  void theCacheKeepsIdentityLabelsAndSpecOnly() throws IOException {
    GenericKubernetesResource object = load(CHARTS.resolve("argocd-metrics.yaml"));
    object.getMetadata().setResourceVersion("42");
    GenericKubernetesResource trimmed = PrometheusOperatorWatches.trim(object);
    assertThat(trimmed).isNotSameAs(object);
    assertThat(trimmed.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(trimmed.getMetadata().getLabels()).isEqualTo(object.getMetadata().getLabels());
    assertThat(trimmed.getAdditionalProperties()).containsOnlyKeys("spec");
    assertThat(object.getAdditionalProperties()).containsKey("status");
    assertThat(PrometheusOperatorObjects.serviceMonitor(trimmed).getSpec().endpoints).hasSize(1);
  }

  static final String SD = "http://vigil-operator.vigil-system.svc:8080";
  static final String TOKEN = "/etc/prometheus/sd-token/token";

  static MonitoringStack stack() {
    return SERIALIZATION.unmarshal(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: platform, namespace: monitoring}
        spec:
          monitorSelector: {namespaceSelector: {}}
        """,
        MonitoringStack.class);
  }

  /**
   * Every field of {@code expected} is in {@code actual} with the same value; an empty object or
   * list may be left out.
   */
  static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isContainerNode() && expected.isEmpty() && (actual == null || actual.isNull())) {
      return;
    }
    assertThat(actual).as("%s lost", path).isNotNull();
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(path).isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) expected).fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertContains(actual.get(field.getKey()), field.getValue(), path + "." + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(actual.asText()).as(path).isEqualTo(expected.asText());
    }
  }
}
