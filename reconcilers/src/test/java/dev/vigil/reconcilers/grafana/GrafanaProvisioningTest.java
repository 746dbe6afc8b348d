package dev.vigil.reconcilers.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.reconcilers.GoldenFile;
import dev.vigil.reconcilers.grafana.DatasourceInputs.JaegerBackend;
import dev.vigil.reconcilers.grafana.DatasourceInputs.LogBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every data source scenario renders exactly its golden file {@code
 * src/test/resources/golden/grafana/datasources-<scenario>.yaml}, and the dashboard provider its
 * {@code dashboards.yaml}. Regenerate with {@code -Dvigil.updateGolden=true}, as the other
 * renderers, and review the diff.
 */
class GrafanaProvisioningTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/grafana");
  private static final ObjectMapper YAML_READER = new ObjectMapper(new YAMLFactory());

  static final String PROMETHEUS_URL = "http://web-prometheus.shop.svc:9090";
  static final String THANOS_URL = "http://web-thanos-query.shop.svc:10902";
  static final String ALERTMANAGER_URL = "http://web-alertmanager.shop.svc:9093";

  /** Scenario name → inputs, and the problems each must report. */
  static Map<String, Scenario> scenarios() {
    Map<String, Scenario> s = new TreeMap<>();
    s.put(
        "prometheus-only",
        new Scenario(
            new DatasourceInputs("shop", "web", PROMETHEUS_URL, false, null, List.of(), List.of()),
            List.of()));
    s.put(
        "thanos",
        new Scenario(
            new DatasourceInputs("shop", "web", THANOS_URL, true, null, List.of(), List.of()),
            List.of()));
    s.put(
        "with-alertmanager",
        new Scenario(
            new DatasourceInputs(
                "shop", "web", PROMETHEUS_URL, false, ALERTMANAGER_URL, List.of(), List.of()),
            List.of()));
    s.put(
        "two-jaeger-backends",
        new Scenario(
            new DatasourceInputs(
                "shop",
                "web",
                THANOS_URL,
                true,
                ALERTMANAGER_URL,
                // Given out of order: the file lists them by namespace/name.
                List.of(
                    new JaegerBackend("shop", "traces", "http://traces-jaeger.shop.svc:16686"),
                    new JaegerBackend(
                        "billing", "traces", "http://traces-jaeger.billing.svc:16686")),
                List.of()),
            List.of()));
    s.put(
        "bad-backends",
        new Scenario(
            new DatasourceInputs(
                "shop",
                "web",
                PROMETHEUS_URL,
                false,
                null,
                List.of(
                    new JaegerBackend("shop", "nourl", null),
                    new JaegerBackend("shop", "relative", "traces-jaeger:16686"),
                    new JaegerBackend("shop", "twice", "http://twice-jaeger.shop.svc:16686"),
                    new JaegerBackend("shop", "twice", "http://twice-b.shop.svc:16686")),
                List.of(
                    new LogBackend("shop", "nourl", null),
                    new LogBackend("shop", "relative", "logs-victorialogs:9428"),
                    new LogBackend("shop", "twice", "http://twice-victorialogs.shop.svc:9428"),
                    new LogBackend("shop", "twice", "http://twice-b.shop.svc:9428"))),
            List.of(
                "TracingPipeline shop/nourl: Jaeger URL \"null\" is not an absolute http(s) URL;"
                    + " no data source",
                "TracingPipeline shop/relative: Jaeger URL \"traces-jaeger:16686\" is not an"
                    + " absolute http(s) URL; no data source",
                "TracingPipeline shop/twice: a second Jaeger backend for the same pipeline"
                    + " (http://twice-jaeger.shop.svc:16686) is left out",
                "LogPipeline shop/nourl: VictoriaLogs URL \"null\" is not an absolute http(s)"
                    + " URL; no data source",
                "LogPipeline shop/relative: VictoriaLogs URL \"logs-victorialogs:9428\" is not"
                    + " an absolute http(s) URL; no data source",
                "LogPipeline shop/twice: a second VictoriaLogs backend for the same pipeline"
                    + " (http://twice-victorialogs.shop.svc:9428) is left out")));
    s.put(
        "long-names",
        new Scenario(
            new DatasourceInputs(
                "a-namespace-with-a-rather-long-name",
                "a-stack.with-a-dot",
                PROMETHEUS_URL,
                false,
                ALERTMANAGER_URL,
                List.of(
                    new JaegerBackend(
                        "a-namespace-with-a-rather-long-name",
                        "traces",
                        "http://traces-jaeger.a-namespace-with-a-rather-long-name.svc:16686")),
                List.of(
                    new LogBackend(
                        "a-namespace-with-a-rather-long-name",
                        "logs",
                        "http://logs-victorialogs.a-namespace-with-a-rather-long-name.svc:9428"))),
            List.of()));
    s.put(
        "logs-and-jaeger",
        new Scenario(
            new DatasourceInputs(
                "shop",
                "web",
                PROMETHEUS_URL,
                false,
                null,
                // Given out of order: the file lists them by namespace/name.
                List.of(
                    new JaegerBackend("shop", "traces", "http://traces-jaeger.shop.svc:16686"),
                    new JaegerBackend(
                        "billing", "traces", "http://traces-jaeger.billing.svc:16686")),
                List.of(
                    new LogBackend("shop", "logs", "http://logs-victorialogs.shop.svc:9428"),
                    new LogBackend(
                        "payments", "logs", "http://logs-victorialogs.payments.svc:9428"))),
            List.of()));
    s.put(
        "logs-only",
        new Scenario(
            new DatasourceInputs(
                "shop",
                "web",
                PROMETHEUS_URL,
                false,
                null,
                List.of(),
                List.of(new LogBackend("shop", "logs", "http://logs-victorialogs.shop.svc:9428"))),
            List.of()));
    return s;
  }

  record Scenario(DatasourceInputs inputs, List<String> problems) {}

  static Stream<Arguments> datasourceScenarios() {
    return scenarios().keySet().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasourceScenarios")
  void datasourcesRenderTheGoldenFile(String name) throws IOException {
    Scenario scenario = scenarios().get(name);
    DatasourcesBuilder.Result result = DatasourcesBuilder.build(scenario.inputs());
    String rendered = GrafanaProvisioning.render(result.datasources());
    assertThat(GrafanaProvisioning.datasources(scenario.inputs())).isEqualTo(rendered);
    assertGolden("datasources-" + name + ".yaml", rendered);
    assertThat(result.problems().stream().map(ProvisioningProblem::describe).toList())
        .as("problems")
        .containsExactlyElementsOf(scenario.problems());

    JsonNode reread = YAML_READER.readTree(rendered);
    assertThat(reread.toString())
        .isEqualTo(GrafanaYaml.MAPPER.valueToTree(result.datasources()).toString());
    assertThat(reread.get("apiVersion").asInt()).isEqualTo(1);
    assertThat(reread.get("prune").asBoolean()).as("removed data sources are pruned").isTrue();
    // Exactly one default, the query endpoint; every UID valid and distinct.
    List<JsonNode> sources = List.copyOf(toList(reread.get("datasources")));
    assertThat(sources.stream().filter(d -> d.path("isDefault").asBoolean()).toList())
        .singleElement()
        .satisfies(d -> assertThat(d.get("type").asText()).isEqualTo("prometheus"));
    assertThat(sources.stream().map(d -> d.get("uid").asText()))
        .doesNotHaveDuplicates()
        .allSatisfy(uid -> assertThat(GrafanaUids.valid(uid)).as(uid).isTrue());
    assertThat(sources.stream().map(d -> d.get("name").asText())).doesNotHaveDuplicates();
  }

  @Test
  void jaegerBackendsLinkToThePrometheusDatasourceAndBack() throws IOException {
    DatasourceInputs inputs = scenarios().get("two-jaeger-backends").inputs();
    JsonNode file = YAML_READER.readTree(GrafanaProvisioning.datasources(inputs));
    List<JsonNode> sources = toList(file.get("datasources"));
    String promUid = GrafanaUids.prometheus("shop", "web");
    assertThat(sources.get(0).get("uid").asText()).isEqualTo(promUid);
    assertThat(sources.get(0).at("/jsonData/prometheusType").asText()).isEqualTo("Thanos");
    assertThat(sources.get(0).at("/jsonData/exemplarTraceIdDestinations/0/datasourceUid").asText())
        .as("exemplars open the first backend by namespace/name")
        .isEqualTo(GrafanaUids.jaeger("billing", "traces"));
    List<JsonNode> jaegers =
        sources.stream().filter(d -> d.get("type").asText().equals("jaeger")).toList();
    assertThat(jaegers)
        .extracting(d -> d.get("name").asText())
        .containsExactly("Jaeger billing/traces", "Jaeger shop/traces");
    assertThat(jaegers)
        .allSatisfy(
            d ->
                assertThat(d.at("/jsonData/tracesToMetrics/datasourceUid").asText())
                    .isEqualTo(promUid));
    // Grafana expands $VAR in provisioning values: the queries carry $$__tags.
    assertThat(jaegers.get(0).at("/jsonData/tracesToMetrics/queries/0/query").asText())
        .contains("{$$__tags}");
  }

  @Test
  void logBackendsLinkTraceIdsToJaegerAndJaegerBackToTheirLogs() throws IOException {
    DatasourceInputs inputs = scenarios().get("logs-and-jaeger").inputs();
    DatasourcesBuilder.Result result = DatasourcesBuilder.build(inputs);
    assertThat(result.plugins()).containsExactly("victoriametrics-logs-datasource");
    List<JsonNode> sources =
        toList(YAML_READER.readTree(GrafanaProvisioning.datasources(inputs)).get("datasources"));
    List<JsonNode> logs =
        sources.stream()
            .filter(d -> d.get("type").asText().equals("victoriametrics-logs-datasource"))
            .toList();
    assertThat(logs)
        .extracting(d -> d.get("name").asText())
        .containsExactly("VictoriaLogs payments/logs", "VictoriaLogs shop/logs");
    assertThat(logs)
        .extracting(d -> d.get("uid").asText())
        .containsExactly("vigil-payments_logs-victorialogs", "vigil-shop_logs-victorialogs");
    assertThat(logs)
        .extracting(d -> d.get("url").asText())
        .containsExactly(
            "http://logs-victorialogs.payments.svc:9428", "http://logs-victorialogs.shop.svc:9428");
    JsonNode shopLink = logs.get(1).at("/jsonData/derivedFields/0");
    assertThat(shopLink.get("matcherType").asText()).isEqualTo("label");
    assertThat(shopLink.get("matcherRegex").asText()).isEqualTo("trace_id");
    // Grafana expands ${NAME} in provisioning values: $$ keeps the link's own variable.
    assertThat(shopLink.get("url").asText()).isEqualTo("$${__value.raw}");
    assertThat(shopLink.get("datasourceUid").asText())
        .as("the Jaeger of the LogPipeline's own namespace")
        .isEqualTo(GrafanaUids.jaeger("shop", "traces"));
    assertThat(logs.get(0).at("/jsonData/derivedFields/0/datasourceUid").asText())
        .as("no Jaeger in payments: the first by namespace/name")
        .isEqualTo(GrafanaUids.jaeger("billing", "traces"));

    JsonNode shopJaeger =
        sources.stream()
            .filter(d -> d.get("name").asText().equals("Jaeger shop/traces"))
            .findFirst()
            .orElseThrow();
    JsonNode toLogs = shopJaeger.at("/jsonData/tracesToLogsV2");
    assertThat(toLogs.get("datasourceUid").asText())
        .isEqualTo(GrafanaUids.victoriaLogs("shop", "logs"));
    assertThat(toLogs.get("filterByTraceID").asBoolean()).isTrue();
    assertThat(toLogs.get("filterBySpanID").asBoolean()).isFalse();
    assertThat(toLogs.get("customQuery").asBoolean()).isFalse();
    assertThat(toLogs.at("/tags/0/key").asText()).isEqualTo("k8s.namespace.name");
    assertThat(toLogs.at("/tags/0").has("value")).isFalse();
    JsonNode billingJaeger =
        sources.stream()
            .filter(d -> d.get("name").asText().equals("Jaeger billing/traces"))
            .findFirst()
            .orElseThrow();
    assertThat(billingJaeger.at("/jsonData").has("tracesToLogsV2"))
        .as("no log backend in billing")
        .isFalse();
  }

  @Test
  void aLogBackendWithoutJaegerHasNoLinkAndNoPluginWithoutLogs() throws IOException {
    DatasourceInputs inputs = scenarios().get("logs-only").inputs();
    JsonNode log =
        toList(YAML_READER.readTree(GrafanaProvisioning.datasources(inputs)).get("datasources"))
            .get(1);
    assertThat(log.get("type").asText()).isEqualTo("victoriametrics-logs-datasource");
    assertThat(log.has("jsonData")).isFalse();
    assertThat(DatasourcesBuilder.build(inputs).plugins())
        .containsExactly(DatasourcesBuilder.VICTORIA_LOGS_PLUGIN);
    assertThat(DatasourcesBuilder.build(scenarios().get("two-jaeger-backends").inputs()).plugins())
        .isEmpty();
    DatasourceInputs unusable =
        new DatasourceInputs(
            "shop",
            "web",
            PROMETHEUS_URL,
            false,
            null,
            List.of(),
            List.of(new LogBackend("shop", "relative", "logs-victorialogs:9428")));
    assertThat(DatasourcesBuilder.build(unusable).plugins())
        .as("every log backend left out")
        .isEmpty();
  }

  @Test
  void aLogsTraceLinkPrefersItsOwnNamespaceThenTheFirstJaeger() {
    LogBackend shopLogs = new LogBackend("shop", "logs", "http://x:1");
    JaegerBackend billing = new JaegerBackend("billing", "traces", "http://b:1");
    JaegerBackend shopA = new JaegerBackend("shop", "a", "http://a:1");
    JaegerBackend shopB = new JaegerBackend("shop", "b", "http://c:1");
    JaegerBackend zoo = new JaegerBackend("zoo", "traces", "http://z:1");
    assertThat(DatasourcesBuilder.traceTarget(shopLogs, List.of())).isNull();
    assertThat(DatasourcesBuilder.traceTarget(shopLogs, List.of(zoo)))
        .as("exactly one: whatever its namespace")
        .isEqualTo(zoo);
    assertThat(DatasourcesBuilder.traceTarget(shopLogs, List.of(billing, shopA, shopB, zoo)))
        .as("several: the first in the same namespace")
        .isEqualTo(shopA);
    assertThat(DatasourcesBuilder.traceTarget(shopLogs, List.of(billing, zoo)))
        .as("none in the same namespace: the first by namespace/name")
        .isEqualTo(billing);

    assertThat(DatasourcesBuilder.traceLogs(shopA, List.of(shopLogs))).isEqualTo(shopLogs);
    assertThat(DatasourcesBuilder.traceLogs(billing, List.of(shopLogs)))
        .as("a trace opens only its own namespace's logs")
        .isNull();
  }

  @Test
  void uidsAreStableShortAndDistinct() {
    assertThat(GrafanaUids.prometheus("shop", "web")).isEqualTo("vigil-shop_web-prometheus");
    assertThat(GrafanaUids.jaeger("a-b", "c")).isNotEqualTo(GrafanaUids.jaeger("a", "b-c"));
    String longNs = "n".repeat(63);
    String uid = GrafanaUids.prometheus(longNs, "stack");
    assertThat(uid)
        .hasSize(GrafanaUids.MAX_LENGTH)
        .isEqualTo(GrafanaUids.prometheus(longNs, "stack"));
    assertThat(GrafanaUids.valid(uid)).isTrue();
    assertThat(GrafanaUids.prometheus(longNs, "stack-2")).isNotEqualTo(uid);
    assertThat(GrafanaUids.valid(GrafanaUids.jaeger("shop", "a.b"))).isTrue();
    assertThat(GrafanaUids.jaeger("shop", "a.b")).isNotEqualTo(GrafanaUids.jaeger("shop", "a-b"));

    assertThat(GrafanaUids.victoriaLogs("shop", "logs")).isEqualTo("vigil-shop_logs-victorialogs");
    assertThat(GrafanaUids.victoriaLogs("shop", "logs"))
        .as("a pipeline's log and trace data sources differ")
        .isNotEqualTo(GrafanaUids.jaeger("shop", "logs"));
    String longLogs = GrafanaUids.victoriaLogs(longNs, "l".repeat(63));
    assertThat(longLogs)
        .hasSize(GrafanaUids.MAX_LENGTH)
        .endsWith("-victorialogs")
        .isEqualTo(GrafanaUids.victoriaLogs(longNs, "l".repeat(63)));
    assertThat(GrafanaUids.valid(longLogs)).isTrue();
    assertThat(GrafanaUids.victoriaLogs(longNs, "l".repeat(62))).isNotEqualTo(longLogs);
  }

  @Test
  void dashboardProviderRendersTheGoldenFile() throws IOException {
    String rendered = GrafanaProvisioning.dashboardProvider();
    assertGolden("dashboards.yaml", rendered);
    JsonNode reread = YAML_READER.readTree(rendered);
    JsonNode provider = reread.at("/providers/0");
    assertThat(provider.get("type").asText()).isEqualTo("file");
    assertThat(provider.get("allowUiUpdates").asBoolean()).isFalse();
    assertThat(provider.at("/options/path").asText()).isEqualTo(GrafanaProvisioning.DASHBOARDS_DIR);
    assertThat(provider.at("/options/foldersFromFilesStructure").asBoolean()).isTrue();
    assertThat(provider.has("folder")).as("folders come from the directories").isFalse();
  }

  static void assertGolden(String file, String rendered) throws IOException {
    Path golden = GOLDEN.resolve(file);
    GoldenFile.assertMatches(golden, rendered);
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> list = new java.util.ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
