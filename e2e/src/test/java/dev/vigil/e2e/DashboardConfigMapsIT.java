package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dashboards from labelled ConfigMaps, and the Jaeger data sources of TracingPipelines, follow
 * their sources within seconds on the real API server: the operator (in process) watches the
 * ConfigMaps labelled {@code monitoring.vigil.dev/dashboard: "true"} (a plain watch: nothing of
 * them is cached) and the pipelines, and each change re-renders the Grafana provisioning of the
 * stacks that take them. Without those watches a change would wait for the 5-minute periodic
 * reconcile, which the bound of 10 s per change rules out. Each kind of change is made {@value
 * #ROUNDS} times, a second apart (the most dashboard events Vigil sends one stack); the test prints
 * the latencies from the write to the Grafana object Vigil writes (polled every 25 ms).
 *
 * <p>What Grafana sees later is the kubelet's and Grafana's business: the mounted dashboards
 * ConfigMap is refreshed at the kubelet's next sync of the pod (up to about a minute by default)
 * and Grafana's file provider re-reads it every 30 s; data sources restart Grafana (a hash in its
 * pod template). docs/monitoringstack.md says so.
 */
class DashboardConfigMapsIT {
  static final String NS = "e2e-dashboards";
  static final String STACK = "boards";
  static final String USER_DASHBOARDS = STACK + "-grafana-dashboards-1";
  static final String PROVISIONING = STACK + "-grafana-provisioning";
  static final int ROUNDS = 3;
  static final Duration BOUND = Duration.ofSeconds(10);

  static KubernetesClient admin;
  static VigilOperator vigil;

  @BeforeAll
  static void start() throws java.io.IOException {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    int httpPort = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, httpPort, NS);
  }

  @AfterAll
  static void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  @Test
  void dashboardConfigMapsAndPipelinesReachGrafanasProvisioningWithinSeconds() {
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          grafana: {enabled: true}
        """
            .formatted(STACK, NS));
    await("the stack's Grafana provisioning")
        .atMost(Duration.ofSeconds(60))
        .until(() -> data(USER_DASHBOARDS) != null && data(PROVISIONING) != null);

    Map<String, List<Long>> millis = new java.util.LinkedHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      String name = "team-" + round;
      String key = NS + "_" + name + "_board.json";
      ConfigMap board = dashboard(name, "Board " + round);
      measure(
          millis, "ConfigMap created", () -> admin.resource(board).create(), key, "Board " + round);
      board.getData().put("board.json", json(name, "Board " + round + ", changed"));
      measure(
          millis,
          "ConfigMap changed",
          () -> admin.resource(board).update(),
          key,
          "Board " + round + ", changed");
      measure(
          millis,
          "label removed",
          () ->
              admin
                  .configMaps()
                  .inNamespace(NS)
                  .withName(name)
                  .edit(
                      c ->
                          new ConfigMapBuilder(c)
                              .editMetadata()
                              .removeFromLabels(LABEL)
                              .endMetadata()
                              .build()),
          key,
          null);
      measure(
          millis,
          "label added back",
          () ->
              admin
                  .configMaps()
                  .inNamespace(NS)
                  .withName(name)
                  .edit(
                      c ->
                          new ConfigMapBuilder(c)
                              .editMetadata()
                              .addToLabels(LABEL, "true")
                              .endMetadata()
                              .build()),
          key,
          "Board " + round + ", changed");
      measure(
          millis,
          "ConfigMap deleted",
          () -> admin.configMaps().inNamespace(NS).withName(name).delete(),
          key,
          null);

      String pipeline = "traces-" + round;
      String datasource = "Jaeger " + NS + "/" + pipeline;
      measure(
          millis,
          "TracingPipeline created",
          () ->
              RealApiServer.apply(
                  admin,
                  """
                  apiVersion: monitoring.vigil.dev/v1alpha1
                  kind: TracingPipeline
                  metadata: {name: %s, namespace: %s}
                  spec:
                    exporters:
                      jaeger: {storage: memory}
                  """
                      .formatted(pipeline, NS)),
          () -> data(PROVISIONING),
          p -> p != null && p.getOrDefault("datasources.yaml", "").contains(datasource));
      measure(
          millis,
          "TracingPipeline deleted",
          () -> admin.resources(TracingPipeline.class).inNamespace(NS).withName(pipeline).delete(),
          () -> data(PROVISIONING),
          p -> p != null && !p.getOrDefault("datasources.yaml", "").contains(datasource));
    }

    System.out.printf(
        "%nDashboardConfigMapsIT: write → Grafana provisioning object, ms over %d rounds%n",
        ROUNDS);
    System.out.printf("| change | min | median | max |%n|---|---:|---:|---:|%n");
    millis.forEach(
        (change, values) -> {
          List<Long> sorted = values.stream().sorted().toList();
          System.out.printf(
              "| %s | %d | %d | %d |%n",
              change, sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        });
    MonitoringStack stack =
        admin.resources(MonitoringStack.class).inNamespace(NS).withName(STACK).get();
    assertThat(data(USER_DASHBOARDS)).isNullOrEmpty();
    assertThat(stack.getStatus().dashboards)
        .isEqualTo(dev.vigil.reconcilers.grafana.ShippedDashboards.all().size());
  }

  static final String LABEL = "monitoring.vigil.dev/dashboard";

  static ConfigMap dashboard(String name, String title) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels(LABEL, "true")
        .endMetadata()
        .addToData("board.json", json(name, title))
        .build();
  }

  static String json(String uid, String title) {
    return "{\"uid\":\"" + uid + "\",\"title\":\"" + title + "\",\"panels\":[]}";
  }

  /** The user dashboards' file {@code key} holds {@code title}, or is gone when it is null. */
  static void measure(
      Map<String, List<Long>> millis, String change, Runnable write, String key, String title) {
    measure(
        millis,
        change,
        write,
        () -> data(USER_DASHBOARDS),
        d -> {
          String file = d == null ? null : d.get(key);
          return title == null ? file == null : file != null && file.contains("\"" + title + "\"");
        });
  }

  static void measure(
      Map<String, List<Long>> millis,
      String change,
      Runnable write,
      Supplier<Map<String, String>> read,
      Predicate<Map<String, String>> done) {
    // Vigil sends a stack at most one dashboard event a second (a burst costs one reconcile per
    // second, not one per write): wait that long so each change is measured on its own.
    await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
    long began = System.nanoTime();
    write.run();
    await(change)
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(25))
        .until(() -> done.test(read.get()));
    millis
        .computeIfAbsent(change, c -> new ArrayList<>())
        .add(Duration.ofNanos(System.nanoTime() - began).toMillis());
  }

  static Map<String, String> data(String configMap) {
    ConfigMap found = admin.configMaps().inNamespace(NS).withName(configMap).get();
    return found == null ? null : found.getData();
  }
}
