package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.GrafanaSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Huge objects on the mock server: dashboards near a ConfigMap's 1 MiB, a PodMonitor selecting
 * 5,000 pods. What the operator writes stays under the API server's 1 MiB per object, and what does
 * not fit is reported, not written.
 */
@EnableKubernetesMockClient(crud = true)
class HugeObjectsIT {
  static final int MIB = 1024 * 1024;
  static final int PODS = 5000;
  static final ObjectMapper JSON = new ObjectMapper();
  static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  KubernetesClient client;
  VigilOperator vigil;

  @BeforeEach
  void start() throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    vigil =
        new VigilOperator(
            OperatorConfig.from(
                List.of("--leader-election=false", "--lease-namespace=default", "--http-port=0"),
                Map.of()),
            client,
            new VigilOperator.Runtime(false, false));
    vigil.start();
  }

  @AfterEach
  void stop() {
    vigil.close();
  }

  void namespace(String name) {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/metadata.name", name)
                .endMetadata()
                .build())
        .create();
  }

  static MonitoringStack stack(String namespace, String name) {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().monitorSelector = new ResourceSelector();
    return stack;
  }

  static String dashboard(String uid, int bytes) {
    String head = "{\"uid\":\"" + uid + "\",\"title\":\"" + uid + "\",\"pad\":\"";
    return head + "x".repeat(bytes - head.length() - 2) + "\"}";
  }

  /** Keys and values, as the API server counts a ConfigMap's size against its 1 MiB. */
  static long size(ConfigMap configMap) {
    return configMap.getData().entrySet().stream()
        .mapToLong(
            e ->
                e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length)
        .sum();
  }

  @Test
  void dashboardsNearOneMebibyteLoadWhatFitsAndReportTheRest() {
    namespace("big");
    // Three dashboards of 340,000 bytes: the ConfigMap is just under 1 MiB, all three together
    // are more than the 1,000,000 bytes Grafana's aggregated ConfigMap takes.
    ConfigMap dashboards =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("team-dashboards")
            .withNamespace("big")
            .addToLabels("monitoring.vigil.dev/dashboard", "true")
            .endMetadata()
            .withData(
                Map.of(
                    "a.json", dashboard("a", 340_000),
                    "b.json", dashboard("b", 340_000),
                    "c.json", dashboard("c", 340_000)))
            .build();
    assertThat(size(dashboards)).isBetween(1_000_000L, (long) MIB);
    client.resource(dashboards).create();
    MonitoringStack stack = stack("big", "big");
    stack.getSpec().grafana = new GrafanaSpec();
    stack.getSpec().grafana.enabled = true;
    long started = System.currentTimeMillis();
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              MonitoringStack fresh =
                  client.resources(MonitoringStack.class).inNamespace("big").withName("big").get();
              assertThat(fresh.getStatus()).isNotNull();
              assertThat(fresh.getStatus().condition("Dashboards"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("DashboardsSkipped");
                        assertThat(c.getMessage())
                            .contains("big/team-dashboards key c.json")
                            .contains("is left out");
                      });
            });
    List<ConfigMap> written =
        client.configMaps().inNamespace("big").list().getItems().stream()
            .filter(c -> c.getMetadata().getName().startsWith("big-grafana-dashboards-"))
            .toList();
    assertThat(written).isNotEmpty();
    assertThat(written).allSatisfy(c -> assertThat(size(c)).isLessThan(MIB));
    assertThat(written.stream().mapToLong(c -> c.getData().size()).sum())
        .as("Vigil's 4 dashboards and the 2 that fit")
        .isEqualTo(6);
    assertThat(client.resources(Event.class).inNamespace("big").list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("DashboardsSkipped"));
    System.out.printf(
        "huge dashboards: %s bytes written over %d ConfigMap(s), reported in %d ms%n",
        written.stream().map(HugeObjectsIT::size).toList(),
        written.size(),
        System.currentTimeMillis() - started);
  }

  @Test
  void aPodMonitorSelectingFiveThousandPodsIsServedOverHttpSd() throws Exception {
    namespace("many");
    long started = System.currentTimeMillis();
    for (int i = 0; i < PODS; i++) {
      client
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("worker-" + i)
                  .withNamespace("many")
                  .addToLabels("app", "worker")
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName("node-" + (i % 50))
                  .addNewContainer()
                  .withName("app")
                  .withImage("app")
                  .addNewPort()
                  .withName("metrics")
                  .withContainerPort(9102)
                  .endPort()
                  .endContainer()
                  .endSpec()
                  .withNewStatus()
                  .withPhase("Running")
                  .withPodIP("10.1." + (i / 250) + "." + (i % 250 + 1))
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .endCondition()
                  .endStatus()
                  .build())
          .create();
    }
    long podsAt = System.currentTimeMillis();
    client.resource(stack("many", "scale")).create();
    PodMonitor monitor = new PodMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName("workers").withNamespace("many").build());
    monitor.setSpec(new PodMonitorSpec());
    monitor.getSpec().selector =
        new LabelSelectorBuilder().addToMatchLabels("app", "worker").build();
    PodMetricsEndpoint endpoint = new PodMetricsEndpoint();
    endpoint.port = "metrics";
    monitor.getSpec().podMetricsEndpoints = List.of(endpoint);
    client.resource(monitor).create();
    long monitorAt = System.currentTimeMillis();

    String job = "podMonitor/many/workers/0";
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> targets(job) == PODS);
    long servedAt = System.currentTimeMillis();
    Secret config =
        client.secrets().inNamespace("many").withName("scale-prometheus-0-config").get();
    assertThat(config).as("the shard's config Secret").isNotNull();
    int configBytes =
        config.getData().values().stream()
            .mapToInt(v -> Base64.getDecoder().decode(v).length)
            .sum();
    assertThat(configBytes).isLessThan(MIB);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(PodMonitor.class)
                            .inNamespace("many")
                            .withName("workers")
                            .get()
                            .getStatus()
                            .targets)
                    .isEqualTo(PODS));
    System.out.printf(
        "5,000 pods: created in %d ms; HTTP SD served all %d targets %d ms after the PodMonitor;"
            + " config Secret %d bytes (gzip); status counted them %d ms after%n",
        podsAt - started,
        PODS,
        servedAt - monitorAt,
        configBytes,
        System.currentTimeMillis() - monitorAt);
  }

  /** Targets HTTP SD serves for {@code job} of the stack "scale", 0 until it serves them. */
  int targets(String job) throws Exception {
    Secret token = client.secrets().inNamespace("many").withName("scale-sd-token").get();
    if (token == null) {
      return 0;
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + vigil.httpPort()
                                + "/sd/v1/many/scale/0/"
                                + URLEncoder.encode(job, StandardCharsets.UTF_8)))
                    .header(
                        "Authorization",
                        "Bearer "
                            + new String(
                                Base64.getDecoder().decode(token.getData().get("token")),
                                StandardCharsets.UTF_8))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return 0;
    }
    int targets = 0;
    for (JsonNode group : JSON.readTree(response.body())) {
      targets += group.get("targets").size();
    }
    return targets;
  }
}
