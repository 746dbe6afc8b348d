package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import dev.vigil.api.v1alpha1.alertpolicy.WebhookReceiver;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.RealAlertmanager;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts end to end with real processes: two teams' AlertPolicies on the real API server, the
 * operator rendering the stack's rule files and {@code alertmanager.yml}, the real Prometheus
 * evaluating the rules and the real Alertmanager routing what fires to each team's webhook, served
 * by this test. Each team's webhook gets its own alert within 60 s, labelled {@code
 * vigil_policy=<namespace>/pager}, and never the other team's, although both alerts carry the same
 * namespace label (rules keep the namespace of what they are about; routing does not look at it).
 *
 * <p>The files run as the operator wrote them, with only the in-cluster addresses and paths moved
 * to this machine: the rules directory, and the Alertmanager address.
 */
class AlertingPipelineIT {
  static final String STACK_NS = "e2e-alerting";
  static final ObjectMapper JSON = new ObjectMapper();

  static KubernetesClient admin;
  static VigilOperator vigil;
  static HttpServer webhooks;
  static final Map<String, List<JsonNode>> received =
      Map.of("/team-a", new CopyOnWriteArrayList<>(), "/team-b", new CopyOnWriteArrayList<>());

  @BeforeAll
  static void start() throws IOException {
    admin = RealApiServer.admin();
    for (String ns : List.of(STACK_NS, "team-a", "team-b")) {
      RealApiServer.ensureNamespace(ns);
    }
    webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String path : received.keySet()) {
      webhooks.createContext(
          path,
          exchange -> {
            received.get(path).add(JSON.readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
    }
    webhooks.start();
    int port = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, port, STACK_NS, "team-a", "team-b");
  }

  @AfterAll
  static void stop() {
    if (vigil != null) {
      vigil.close();
    }
    if (webhooks != null) {
      webhooks.stop(0);
    }
  }

  static AlertPolicy policy(String namespace, String alert) {
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("pager").withNamespace(namespace).build());
    policy.setSpec(new AlertPolicySpec());
    RuleGroup group = new RuleGroup();
    group.name = "always";
    group.interval = "1s";
    Rule rule = new Rule();
    rule.alert = alert;
    // The alert is about a namespace that is not the policy's: it keeps that namespace label, and
    // is routed by the policy's own label alone.
    rule.expr = new IntOrString("label_replace(vector(1), \"namespace\", \"shared\", \"\", \"\")");
    rule.labels = Map.of("severity", "page");
    group.rules = List.of(rule);
    policy.getSpec().groups = List.of(group);
    Receiver receiver = new Receiver();
    receiver.name = "hook";
    receiver.webhook = new WebhookReceiver();
    receiver.webhook.url = "http://127.0.0.1:" + webhooks.getAddress().getPort() + "/" + namespace;
    policy.getSpec().routing = new Routing();
    policy.getSpec().routing.receivers = List.of(receiver);
    policy.getSpec().routing.route = new PolicyRoute();
    policy.getSpec().routing.route.receiver = "hook";
    policy.getSpec().routing.route.groupWait = "1s";
    policy.getSpec().routing.route.groupInterval = "1s";
    return policy;
  }

  static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("alerts").withNamespace(STACK_NS).build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper.evaluationInterval = "1s";
    stack.getSpec().policySelector = new ResourceSelector();
    stack.getSpec().policySelector.namespaceSelector = new LabelSelectorBuilder().build();
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    return stack;
  }

  static String secret(String name, String key) {
    return RealApiServer.secretText(STACK_NS, name, key).orElse(null);
  }

  static List<String> alertNames(String webhook) {
    List<String> names = new ArrayList<>();
    for (JsonNode payload : received.get(webhook)) {
      payload.path("alerts").forEach(a -> names.add(a.path("labels").path("alertname").asText()));
    }
    return names;
  }

  @Test
  void eachTeamsAlertReachesItsWebhookAndNoOtherTeams(@TempDir Path work) throws Exception {
    admin.resource(stack()).create();
    admin.resource(policy("team-a", "TeamAPage")).create();
    admin.resource(policy("team-b", "TeamBPage")).create();

    // The operator's files: the shard's configuration, the rules, alertmanager.yml.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              String config = secret("alerts-alertmanager-config", "alertmanager.yml");
              ConfigMap rules =
                  admin
                      .configMaps()
                      .inNamespace(STACK_NS)
                      .withName("alerts-prometheus-rules-0")
                      .get();
              String prometheus = secret("alerts-prometheus-0-config", "prometheus.yml.gz");
              return config != null
                  && config.contains("team-a/pager/hook")
                  && config.contains("team-b/pager/hook")
                  && prometheus != null
                  && prometheus.contains("alerts-prometheus-rules-0")
                  && rules != null
                  && rules.getData().size() == 2;
            });
    int alertmanagerPort = RealPrometheus.freePort();
    Path rulesDir = work.resolve("rules");
    ConfigMap rules =
        admin.configMaps().inNamespace(STACK_NS).withName("alerts-prometheus-rules-0").get();
    for (Map.Entry<String, String> file : rules.getData().entrySet()) {
      Path path = rulesDir.resolve("alerts-prometheus-rules-0").resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    Path prometheusFile =
        RealPrometheus.shardConfig(
            secret("alerts-prometheus-0-config", "prometheus.yml.gz")
                .replace(
                    "alerts-alertmanager-0.alerts-alertmanager." + STACK_NS + ".svc:9093",
                    "127.0.0.1:" + alertmanagerPort),
            rulesDir,
            work.resolve("prometheus/prometheus.yml"));
    Path alertmanagerFile = work.resolve("alertmanager.yml");
    Files.writeString(alertmanagerFile, secret("alerts-alertmanager-config", "alertmanager.yml"));

    RealAlertmanager alertmanager =
        RealAlertmanager.start(
            "alertmanager",
            List.of(
                "--config.file=" + alertmanagerFile,
                "--storage.path=" + work.resolve("alertmanager-data"),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort,
                "--cluster.listen-address="),
            "127.0.0.1",
            alertmanagerPort,
            work);
    try (RealPrometheus prometheus =
        RealPrometheus.start(prometheusFile, work.resolve("prometheus"))) {
      assertThat(prometheus.ruleGroups())
          .containsExactly("team-a/pager/always", "team-b/pager/always");
      long start = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(alertNames("/team-a"))
                    .as(
                        "prometheus alerts %s; alertmanager has %s; its config:%n%s%nits log:%n%s%nprometheus:%n%s",
                        prometheus.api("/api/v1/alerts"),
                        alertmanager.alertNames(),
                        Files.readString(alertmanagerFile),
                        alertmanager.log(),
                        prometheus.log())
                    .contains("TeamAPage");
                assertThat(alertNames("/team-b"))
                    .as(
                        "alertmanager has %s; its config:%n%s%nits log:%n%s%nprometheus:%n%s",
                        alertmanager.alertNames(),
                        Files.readString(alertmanagerFile),
                        alertmanager.log(),
                        prometheus.log())
                    .contains("TeamBPage");
              });
      System.out.printf(
          "rule firing -> both webhooks notified: %d ms%n",
          Duration.ofNanos(System.nanoTime() - start).toMillis());
      JsonNode alert = received.get("/team-a").get(0).path("alerts").get(0).path("labels");
      assertThat(alert.path("vigil_policy").asText()).isEqualTo("team-a/pager");
      assertThat(alert.path("namespace").asText()).isEqualTo("shared");
      JsonNode other = received.get("/team-b").get(0).path("alerts").get(0).path("labels");
      assertThat(other.path("vigil_policy").asText()).isEqualTo("team-b/pager");
      assertThat(other.path("namespace").asText()).isEqualTo("shared");
      assertThat(alert.path("severity").asText()).isEqualTo("page");
      // A few more group intervals: still nobody gets the other team's alert.
      Thread.sleep(3000);
      assertThat(alertNames("/team-a")).containsOnly("TeamAPage");
      assertThat(alertNames("/team-b")).containsOnly("TeamBPage");
      assertThat(alertmanager.alertNames()).contains("TeamAPage", "TeamBPage");
      // Prometheus notified only the Alertmanager on loopback, and scraped nothing else.
      assertThat(prometheus.assertTrafficStaysLocal()).isNotEmpty();
    } finally {
      alertmanager.close();
    }
  }
}
