package dev.vigil.operator.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.operator.servicediscovery.JobTargets;
import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine on the mock server: objects in, sharded target groups out, updates incremental. */
@EnableKubernetesMockClient(crud = true)
class TargetEngineIT {
  static final String JOB = "serviceMonitor/shop/checkout/0";
  KubernetesClient client;

  static final String WORLD =
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: checkout, namespace: shop, labels: {app: checkout}}
      spec: {ports: [{name: http-metrics, port: 8080}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: checkout-0, namespace: shop, uid: u-0, labels: {app: checkout}}
      spec:
        nodeName: node-a
        containers: [{name: app, image: checkout:1, ports: [{name: http-metrics, containerPort: 8080}]}]
      status: {phase: Running, podIP: 10.1.0.5, hostIP: 192.168.0.2, conditions: [{type: Ready, status: "True"}]}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: checkout-abc, namespace: shop, labels: {kubernetes.io/service-name: checkout}}
      addressType: IPv4
      ports: [{name: http-metrics, port: 8080, protocol: TCP}]
      endpoints:
        - addresses: [10.1.0.5]
          conditions: {ready: true}
          targetRef: {kind: Pod, name: checkout-0, namespace: shop}
      ---
      apiVersion: monitoring.vigil.dev/v1alpha1
      kind: ServiceMonitor
      metadata: {name: checkout, namespace: shop}
      spec:
        selector: {matchLabels: {app: checkout}}
        endpoints: [{port: http-metrics}]
      ---
      apiVersion: monitoring.vigil.dev/v1alpha1
      kind: MonitoringStack
      metadata: {name: platform, namespace: shop}
      spec: {scraper: {shards: 2}}
      """;

  @Test
  void servesTheTargetsOfSelectedMonitorsShardedAndFollowsChanges() {
    for (String document : WORLD.split("---\n")) {
      HasMetadata object = client.getKubernetesSerialization().unmarshal(document);
      client.resource(typed(object)).create();
    }
    try (TargetEngine engine = new TargetEngine(client, Set.of())) {
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(engine::hasSynced);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(addresses(engine)).containsExactly("10.1.0.5:8080"));

      TargetGroup group =
          List.of(0, 1).stream()
              .flatMap(
                  s -> engine.targets("shop", "platform", s, JOB).orElseThrow().groups().stream())
              .findFirst()
              .orElseThrow();
      assertThat(group.labels())
          .containsEntry("__meta_kubernetes_namespace", "shop")
          .containsEntry("__meta_kubernetes_service_name", "checkout")
          .containsEntry("__meta_kubernetes_pod_name", "checkout-0")
          .containsEntry("__meta_kubernetes_endpoint_port_name", "http-metrics")
          .containsEntry("__meta_kubernetes_endpoint_ready", "true");
      MonitoringStack stack = engine.stacks().get(0);
      assertThat(engine.targets(stack, Set.of(JOB)).perShard()).hasSize(2);
      assertThat(engine.targets(stack, Set.of(JOB)).total()).isEqualTo(1);
      assertThat(engine.targets(stack, Set.of()).total()).isZero();
      assertThat(engine.serviceMonitors(stack)).hasSize(1);
      assertThat(engine.targets(engine.serviceMonitors(stack).get(0)))
          .isEqualTo(new MonitoringState.MonitorTargets(1, 1, List.of()));
      // A shard out of service (retained after a scale-down) is answered no targets, not
      // nothing: Prometheus keeps the targets it had when its HTTP SD fails.
      assertThat(engine.targets("shop", "platform", 2, JOB)).contains(TargetEngine.OUT_OF_SERVICE);
      assertThat(TargetEngine.OUT_OF_SERVICE.groups()).isEmpty();
      assertThat(engine.targets("shop", "platform", 100, JOB)).isEmpty();
      assertThat(engine.targets("shop", "platform", 2, "no-such-job")).isEmpty();
      assertThat(engine.targets("shop", "other", 0, JOB)).isEmpty();

      // A second address appears in the slice: only this job's version moves.
      long before = versionSum(engine);
      client
          .resources(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class)
          .inNamespace("shop")
          .withName("checkout-abc")
          .edit(
              s -> {
                var endpoint =
                    new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
                        .withAddresses("10.1.0.6")
                        .withNewConditions()
                        .withReady(false)
                        .endConditions()
                        .build();
                s.getEndpoints().add(endpoint);
                return s;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(addresses(engine)).containsExactly("10.1.0.5:8080", "10.1.0.6:8080"));
      assertThat(versionSum(engine)).isNotEqualTo(before);

      // The monitor goes: the job is no longer served.
      client.resources(ServiceMonitor.class).inNamespace("shop").withName("checkout").delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(engine.targets("shop", "platform", 0, JOB)).isEmpty());
      assertThat(client.resources(MonitoringStack.class).inNamespace("shop").list().getItems())
          .hasSize(1);
    }
  }

  @Test
  void withPrometheusOperatorObjectsOnButTheirCrdsAbsentItCarriesOn() {
    for (String document : WORLD.split("---\n")) {
      HasMetadata object = client.getKubernetesSerialization().unmarshal(document);
      client.resource(typed(object)).create();
    }
    try (TargetEngine engine = new TargetEngine(client, Set.of(), true, Tenancy.SINGLE_TEAM)) {
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(engine::hasSynced);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(addresses(engine)).containsExactly("10.1.0.5:8080"));
      assertThat(engine.serviceMonitors(engine.stacks().get(0)))
          .singleElement()
          .satisfies(m -> assertThat(PrometheusOperatorObjects.isFrom(m)).isFalse());
    }
  }

  /**
   * Regression found by the bad-input property test: a monitor the schema never checked (here, no
   * spec) made counting throw, which stopped the count changes of every other monitor and stack, so
   * their status stopped following discovery.
   */
  @Test
  void aMonitorWithoutSpecDoesNotStopTheOthersCounts() {
    for (String document : WORLD.split("---\n")) {
      HasMetadata object = client.getKubernetesSerialization().unmarshal(document);
      client.resource(typed(object)).create();
    }
    ServiceMonitor noSpec = new ServiceMonitor();
    noSpec.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("no-spec")
            .withNamespace("shop")
            .build());
    client.resource(noSpec).create();
    List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TargetEngine engine = new TargetEngine(client, Set.of())) {
      engine.onChange(changed -> told.add(changed.getMetadata().getName()));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(engine::hasSynced);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(addresses(engine)).containsExactly("10.1.0.5:8080"));
      // The reconciles read what they report (the bad monitor's too), then a second pod joins the
      // Service's slice.
      MonitoringStack stack = engine.stacks().get(0);
      assertThat(engine.targets(stack, Set.of(JOB)).total()).isEqualTo(1);
      for (ServiceMonitor monitor :
          client.resources(ServiceMonitor.class).inNamespace("shop").list().getItems()) {
        engine.targets(monitor);
        engine.portProblems(monitor);
      }
      told.clear();
      client
          .resources(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class)
          .inNamespace("shop")
          .withName("checkout-abc")
          .edit(
              slice -> {
                slice
                    .getEndpoints()
                    .add(
                        new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
                            .withAddresses("10.1.0.6")
                            .build());
                return slice;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(told).contains("checkout", "platform"));
    }
  }

  /**
   * A monitor whose relabeling drops its only target: nothing is served to the shards, nothing is
   * counted, the discovered target still is; the server is told when the answers change, and not
   * when nothing does.
   */
  @Test
  void targetsRelabelingDropsAreNeitherServedNorCounted() {
    for (String document : WORLD.split("---\n")) {
      HasMetadata object = client.getKubernetesSerialization().unmarshal(document);
      client.resource(typed(object)).create();
    }
    List<String> answersTold = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TargetEngine engine = new TargetEngine(client, Set.of())) {
      engine.onChange(
          (JobTargets.ChangeListener)
              (namespace, stack, job, shards) -> answersTold.add(stack + " " + job + " " + shards));
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(engine::hasSynced);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(addresses(engine)).containsExactly("10.1.0.5:8080"));

      client
          .resources(ServiceMonitor.class)
          .inNamespace("shop")
          .withName("checkout")
          .edit(
              monitor -> {
                var drop = new dev.vigil.api.v1alpha1.common.RelabelConfig();
                drop.sourceLabels = List.of("__meta_kubernetes_pod_name");
                drop.regex = "checkout-.*";
                drop.action = dev.vigil.api.v1alpha1.common.RelabelConfig.Action.drop;
                monitor.getSpec().endpoints.get(0).relabelings = List.of(drop);
                return monitor;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(addresses(engine)).isEmpty());
      assertThat(answersTold).contains("platform " + JOB + " 2");
      MonitoringStack stack = engine.stacks().get(0);
      assertThat(engine.targets(stack, Set.of(JOB)).total()).isZero();
      ServiceMonitor monitor = engine.serviceMonitors(stack).get(0);
      assertThat(engine.targets(monitor))
          .isEqualTo(new MonitoringState.MonitorTargets(0, 1, List.of()));

      answersTold.clear();
      long versions = versionSum(engine);
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(answersTold).as("nothing changed, nothing told").isEmpty();
      assertThat(versionSum(engine)).isEqualTo(versions);
    }
  }

  /** Vigil's kinds as their Java types, so the mock server knows where to keep them. */
  HasMetadata typed(HasMetadata object) {
    return switch (object.getKind()) {
      case "ServiceMonitor" ->
          client.getKubernetesSerialization().convertValue(object, ServiceMonitor.class);
      case "MonitoringStack" ->
          client.getKubernetesSerialization().convertValue(object, MonitoringStack.class);
      default -> object;
    };
  }

  static List<String> addresses(TargetEngine engine) {
    return List.of(0, 1).stream()
        .map(s -> engine.targets("shop", "platform", s, JOB))
        .flatMap(o -> o.stream())
        .flatMap(v -> v.groups().stream())
        .flatMap(g -> g.targets().stream())
        .sorted()
        .toList();
  }

  static long versionSum(TargetEngine engine) {
    return List.of(0, 1).stream()
        .map(s -> engine.targets("shop", "platform", s, JOB))
        .flatMap(o -> o.stream())
        .mapToLong(JobTargets.Versioned::version)
        .sum();
  }
}
