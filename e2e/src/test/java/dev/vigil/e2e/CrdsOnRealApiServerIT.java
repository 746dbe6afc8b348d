package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.e2e.harness.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRDs on a real API server: every example is accepted, and invalid objects (one per
 * schema or CEL rule, plus common mistakes) are rejected with a message naming the field.
 */
class CrdsOnRealApiServerIT {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path EXAMPLES = RealApiServer.REPO.resolve("manifests/examples");
  static KubernetesClient client;

  @BeforeAll
  static void namespaces() {
    client = RealApiServer.admin();
    for (String ns : List.of("monitoring", "shop", "invalid")) {
      RealApiServer.ensureNamespace(ns);
    }
  }

  @Test
  void everyExampleIsAccepted() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var in = Files.newInputStream(file)) {
          for (HasMetadata object : client.load(in).items()) {
            HasMetadata applied =
                client
                    .resource(object)
                    .fieldManager("vigil-e2e")
                    .forceConflicts()
                    .serverSideApply();
            assertThat(applied.getMetadata().getUid()).as(file.toString()).isNotBlank();
          }
        }
      }
    }
  }

  /** An invalid variant of an example: what to change, and what the API server must say. */
  record Mistake(String example, String change, String value, String field, String message) {
    @Override
    public String toString() {
      return example + " " + change + "=" + value;
    }
  }

  static Stream<Arguments> mistakes() {
    List<Mistake> m = new ArrayList<>();
    String sm = "servicemonitor.yaml";
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/0/interval",
            "30 seconds",
            "spec.endpoints[0].interval",
            "should match"));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/0/scheme",
            "ftp",
            "spec.endpoints[0].scheme",
            "Unsupported value: \"ftp\""));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/0/scrapeTimeout",
            "1m",
            "spec.endpoints[0]",
            "scrapeTimeout must not be longer than interval"));
    m.add(
        new Mistake(sm, "/spec/endpoints", "[]", "spec.endpoints", "should have at least 1 items"));
    m.add(new Mistake(sm, "/spec/selector", null, "spec.selector", "Required value"));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/0/relabelings/0",
            "{sourceLabels: [a], action: replace}",
            "spec.endpoints[0].relabelings[0]",
            "targetLabel is required"));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/0/relabelings/0",
            "{sourceLabels: [a], targetLabel: b, action: hashmod}",
            "spec.endpoints[0].relabelings[0]",
            "action hashmod needs modulus"));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/0/relabelings/0/action",
            "explode",
            "spec.endpoints[0].relabelings[0].action",
            "Unsupported value: \"explode\""));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/1/tlsConfig/ca",
            "{secret: {name: a, key: b}, configMap: {name: c, key: d}}",
            "spec.endpoints[1].tlsConfig.ca",
            "set exactly one of secret or configMap"));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/1/basicAuth",
            "{username: {name: a, key: u}, password: {name: a, key: p}}",
            "spec.endpoints[1]",
            "set at most one of basicAuth, authorization"));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/1/authorization/type",
            "Basic",
            "spec.endpoints[1].authorization",
            "Basic is not allowed here"));
    m.add(
        new Mistake(
            sm,
            "/spec/endpoints/1/tlsConfig/cert",
            "{secret: {name: a, key: tls.crt}}",
            "spec.endpoints[1].tlsConfig",
            "needs its key"));
    String pm = "podmonitor.yaml";
    m.add(
        new Mistake(
            pm,
            "/spec/podMetricsEndpoints/0/port",
            null,
            "spec.podMetricsEndpoints[0]",
            "name the container port to scrape"));
    m.add(
        new Mistake(
            pm,
            "/spec/podMetricsEndpoints/1/portNumber",
            "70000",
            "spec.podMetricsEndpoints[1].portNumber",
            "less than or equal to 65535"));
    String ap = "alertpolicy.yaml";
    m.add(
        new Mistake(
            ap,
            "/spec/groups/0/rules/0/alert",
            "Both",
            "spec.groups[0].rules[0]",
            "set exactly one of alert"));
    m.add(
        new Mistake(
            ap,
            "/spec/groups/0/rules/0/for",
            "5m",
            "spec.groups[0].rules[0]",
            "for is only allowed on alerting rules"));
    m.add(
        new Mistake(
            ap,
            "/spec/groups/0/rules/1/for",
            "10 minutes",
            "spec.groups[0].rules[1].for",
            "should match"));
    m.add(
        new Mistake(
            ap,
            "/spec/groups/0/rules/1/expr",
            null,
            "spec.groups[0].rules[1].expr",
            "Required value"));
    m.add(
        new Mistake(
            ap,
            "/spec/routing/route/receiver",
            "nobody",
            "spec.routing",
            "routing.route.receiver must name one of routing.receivers"));
    m.add(
        new Mistake(
            ap,
            "/spec/routing/route/routes/0/receiver",
            "nobody",
            "spec.routing",
            "routing.route.routes[].receiver must name one of"));
    m.add(
        new Mistake(
            ap,
            "/spec/routing/receivers/0/webhook",
            "{url: 'http://hook.example.com'}",
            "spec.routing.receivers[0]",
            "set exactly one of webhook, slack"));
    m.add(
        new Mistake(
            ap,
            "/spec/groups/1",
            "{name: checkout.rules, rules: [{record: x, expr: up}]}",
            "spec",
            "every group needs a unique name"));
    m.add(
        new Mistake(
            ap,
            "/spec/routing/route/routes/0/matchers/0/name",
            "vigil_policy",
            "spec.routing.route.routes[0].matchers[0]",
            "set by Vigil"));
    String ms = "monitoringstack.yaml";
    m.add(
        new Mistake(
            ms, "/spec/scraper/shards", "0", "spec.scraper.shards", "greater than or equal to 1"));
    m.add(
        new Mistake(
            ms,
            "/spec/scraper/scrapeTimeout",
            "1m",
            "spec.scraper",
            "scraper.scrapeTimeout must not be longer than scraper.scrapeInterval"));
    m.add(
        new Mistake(
            ms,
            "/spec/scraper/storage/emptyDir",
            "{}",
            "spec.scraper.storage",
            "set emptyDir or volumeClaimTemplate, not both"));
    m.add(
        new Mistake(
            ms,
            "/spec/scraper/externalLabels/prometheus_shard",
            "x",
            "spec.scraper",
            "prometheus_shard and prometheus_replica are set by Vigil"));
    m.add(
        new Mistake(
            ms,
            "/spec/scraper/enforcedNamespaceLabel",
            "k8s-namespace",
            "spec.scraper.enforcedNamespaceLabel",
            "should match"));
    m.add(
        new Mistake(
            ms,
            "/spec/scraper/enforcedNamespaceLabel",
            "__tenant",
            "spec.scraper",
            "names starting with __ are Prometheus's"));
    m.add(
        new Mistake(
            ms,
            "/spec/scraper/excludedFromEnforcement",
            "[{group: monitoring.vigil.dev, resource: prometheusrules, namespace: shop}]",
            "spec.scraper.excludedFromEnforcement[0]",
            "prometheusrules in monitoring.coreos.com"));
    m.add(
        new Mistake(
            ms,
            "/spec/scraper/remoteWrite/0/url",
            "ftp://mimir",
            "spec.scraper.remoteWrite[0].url",
            "should match"));
    m.add(
        new Mistake(
            ms, "/spec/scraper/retention", "two weeks", "spec.scraper.retention", "should match"));
    String tp = "tracingpipeline.yaml";
    m.add(new Mistake(tp, "/spec/mode", "sidecar", "spec.mode", "Unsupported value: \"sidecar\""));
    m.add(
        new Mistake(
            tp,
            "/spec/mode",
            "agent",
            "spec",
            "replicas and autoscaling apply to mode gateway only"));
    m.add(
        new Mistake(
            tp,
            "/spec/processors/sampling/tail/policies",
            "[]",
            "spec.processors.sampling.tail.policies",
            "should have at least 1 items"));
    m.add(
        new Mistake(
            tp,
            "/spec/processors/sampling/tail/policies/1/latency",
            null,
            "spec.processors.sampling.tail.policies[1]",
            "needs the settings block of its type"));
    m.add(
        new Mistake(
            tp,
            "/spec/processors/sampling/probabilisticPercentage",
            "5",
            "spec.processors.sampling",
            "set exactly one of probabilisticPercentage or tail"));
    m.add(
        new Mistake(
            tp,
            "/spec/exporters",
            "{}",
            "spec",
            "configure at least one of otlp, jaeger, gateway, datadog or debug"));
    m.add(
        new Mistake(
            tp,
            "/spec/exporters/datadog",
            "{site: ddog-gov.com, apiKey: {name: datadog, key: api-key}}",
            "spec.exporters.datadog.site",
            "Unsupported value: \"ddog-gov.com\""));
    m.add(
        new Mistake(
            tp,
            "/spec/exporters/datadog",
            "{site: datadoghq.eu}",
            "spec.exporters.datadog.apiKey",
            "Required value"));
    m.add(
        new Mistake(
            tp,
            "/spec/exporters/datadog",
            "{endpoint: datadog-agent:4318, apiKey: {name: datadog, key: api-key}}",
            "spec.exporters.datadog.endpoint",
            "should match"));
    m.add(
        new Mistake(
            tp,
            "/spec/receivers",
            "{otlpGrpc: {enabled: false}, otlpHttp: {enabled: false}, zipkin: {enabled: false}}",
            "spec.receivers",
            "enable at least one receiver"));
    m.add(
        new Mistake(
            tp,
            "/spec/exporters/otlp/0/headers/0/value",
            "plain",
            "spec.exporters.otlp[0].headers[0]",
            "set exactly one of value or valueFrom"));
    m.add(
        new Mistake(
            tp,
            "/spec/networkPolicy",
            "{enabled: true, additionalIngressFrom: [{}]}",
            "spec.networkPolicy",
            "each peer needs a podSelector, a namespaceSelector or an ipBlock"));
    m.add(
        new Mistake(
            ms,
            "/spec/networkPolicy",
            "{enabled: true, additionalIngressFrom: [{ipBlock: {cidr: 10.0.0.0/8}, namespaceSelector:"
                + " {}}]}",
            "spec.networkPolicy",
            "an ipBlock peer has a cidr and no selectors"));
    String lp = "logpipeline.yaml";
    m.add(
        new Mistake(
            lp,
            "/spec/backends",
            "{}",
            "spec.backends",
            "configure at least one of victoriaLogs, otlp, datadog or debug"));
    m.add(
        new Mistake(
            lp,
            "/spec/backends/victoriaLogs/retention",
            "\"2 weeks\"",
            "spec.backends.victoriaLogs.retention",
            "should match"));
    m.add(
        new Mistake(
            lp,
            "/spec/select/namespaces/matchNames",
            "[Shop_Jobs]",
            "spec.select.namespaces.matchNames[0]",
            "should match"));
    m.add(
        new Mistake(
            lp,
            "/spec/agent/podLogsPath",
            "\"/var/log/pods/*\"",
            "spec.agent.podLogsPath",
            "should match"));
    m.add(
        new Mistake(
            lp,
            "/spec/limits/maxRecordBytes",
            "10",
            "spec.limits.maxRecordBytes",
            "should be greater than or equal to 1024"));
    return m.stream().map(Arguments::of);
  }

  @Test
  void theVictoriaLogsClaimCannotChangeOnceTheBackendExists() {
    RealApiServer.apply(
        client,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: LogPipeline
        metadata: {name: fixed-claim, namespace: invalid}
        spec:
          backends:
            victoriaLogs: {size: 1Gi}
        """);
    var pipelines =
        client
            .resources(dev.vigil.api.v1alpha1.logpipeline.LogPipeline.class)
            .inNamespace("invalid")
            .withName("fixed-claim");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                pipelines.patch(
                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"spec\":{\"backends\":{\"victoriaLogs\":{\"size\":\"2Gi\"}}}}"))
        .hasMessageContaining("size and storageClassName cannot change once the backend exists");
    // The retention may change; the claim stays.
    pipelines.patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"backends\":{\"victoriaLogs\":{\"retention\":\"30d\"}}}}");
    pipelines.delete();
  }

  @Test
  void aPipelineExportingOnlyToDatadogIsAcceptedWithTheDefaultSite() throws IOException {
    JsonNode doc = YAML.readTree(EXAMPLES.resolve("tracingpipeline.yaml").toFile());
    ObjectNode metadata = (ObjectNode) doc.get("metadata");
    metadata.put("namespace", "invalid");
    metadata.put("name", "datadog-only");
    change(doc, "/spec/exporters", YAML.readTree("{datadog: {apiKey: {name: dd, key: api-key}}}"));
    GenericKubernetesResource created =
        client.resource(YAML.treeToValue(doc, GenericKubernetesResource.class)).create();
    assertThat(
            YAML.valueToTree(created.getAdditionalProperties().get("spec"))
                .path("exporters")
                .path("datadog")
                .path("site")
                .asText())
        .isEqualTo("datadoghq.com");
  }

  /**
   * The "enable at least one receiver" rule counts the Jaeger UDP receivers: OTLP off and one of
   * them on is accepted; both of them present but turned off is not.
   */
  @Test
  void aPipelineReceivingOnlyJaegerThriftOverUdpIsAccepted() throws IOException {
    for (String receiver : List.of("jaegerThriftCompact", "jaegerThriftBinary")) {
      JsonNode doc = YAML.readTree(EXAMPLES.resolve("tracingpipeline.yaml").toFile());
      ObjectNode metadata = (ObjectNode) doc.get("metadata");
      metadata.put("namespace", "invalid");
      metadata.put("name", "udp-only-" + receiver.toLowerCase(Locale.ROOT));
      change(
          doc,
          "/spec/receivers",
          YAML.readTree(
              "{otlpGrpc: {enabled: false}, otlpHttp: {enabled: false}, " + receiver + ": {}}"));
      client.resource(YAML.treeToValue(doc, GenericKubernetesResource.class)).create();
    }
    JsonNode doc = YAML.readTree(EXAMPLES.resolve("tracingpipeline.yaml").toFile());
    ObjectNode metadata = (ObjectNode) doc.get("metadata");
    metadata.put("namespace", "invalid");
    metadata.put("name", "udp-off");
    change(
        doc,
        "/spec/receivers",
        YAML.readTree(
            "{otlpGrpc: {enabled: false}, otlpHttp: {enabled: false},"
                + " jaegerThriftCompact: {enabled: false}, jaegerThriftBinary: {enabled: false}}"));
    GenericKubernetesResource off = YAML.treeToValue(doc, GenericKubernetesResource.class);
    assertThatThrownBy(() -> client.resource(off).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("enable at least one receiver");
  }

  @Test
  void thereAreAtLeastTwentyFiveMistakes() {
    assertThat(mistakes().count()).isGreaterThanOrEqualTo(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void invalidObjectIsRejectedWithAMessageNamingTheField(Mistake mistake) throws IOException {
    JsonNode doc = YAML.readTree(EXAMPLES.resolve(mistake.example()).toFile());
    ObjectNode metadata = (ObjectNode) doc.get("metadata");
    metadata.put("namespace", "invalid");
    metadata.put("name", "mistake-" + Integer.toHexString(mistake.toString().hashCode()));
    change(doc, mistake.change(), mistake.value() == null ? null : YAML.readTree(mistake.value()));
    GenericKubernetesResource object = YAML.treeToValue(doc, GenericKubernetesResource.class);

    assertThatThrownBy(() -> client.resource(object).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(mistake.field())
        .hasMessageContaining(mistake.message());
  }

  /**
   * Sets (or, with a null value, removes) the node at a JSON pointer, creating objects on the way.
   */
  static void change(JsonNode doc, String pointer, JsonNode value) {
    String[] parts = pointer.substring(1).split("/");
    JsonNode parent = doc;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next =
          parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
      if (next == null) {
        next = ((ObjectNode) parent).putObject(parts[i]);
      }
      parent = next;
    }
    String last = parts[parts.length - 1];
    if (parent.isArray()) {
      ArrayNode array = (ArrayNode) parent;
      int index = Integer.parseInt(last);
      if (value == null) {
        array.remove(index);
      } else if (index < array.size()) {
        array.set(index, value);
      } else {
        array.add(value);
      }
    } else if (value == null) {
      ((ObjectNode) parent).remove(last);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
  }
}
