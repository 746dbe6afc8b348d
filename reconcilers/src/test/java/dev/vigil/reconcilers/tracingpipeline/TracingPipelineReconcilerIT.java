package dev.vigil.reconcilers.tracingpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackStatus;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiverPort;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiversSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.MockServerOperator;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example TracingPipeline against the mock server: what it deploys, its status, cleanup. */
@EnableKubernetesMockClient(crud = true)
class TracingPipelineReconcilerIT {
  KubernetesClient client;
  Operator operator;

  @BeforeEach
  void start() {
    operator =
        MockServerOperator.start(
            client, new TracingPipelineReconciler(Clock.systemUTC(), Tenancy.SINGLE_TEAM));
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  static TracingPipeline example() throws IOException {
    try (InputStream in =
        Files.newInputStream(Path.of("../manifests/examples/tracingpipeline.yaml"))) {
      return new KubernetesSerialization().unmarshal(in, TracingPipeline.class);
    }
  }

  <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace("shop").withName(name).get();
  }

  @Test
  void theExampleGatewayDeploysCollectorsJaegerAndTheirRbac() throws IOException {
    TracingPipeline pipeline = example();
    client.resource(pipeline).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(get(Deployment.class, "shop-traces-collector")).isNotNull());
    Deployment collectors = get(Deployment.class, "shop-traces-collector");
    assertThat(collectors.getSpec().getReplicas()).isEqualTo(2);
    var pod = collectors.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("shop-traces-collector");
    assertThat(pod.getContainers().get(0).getArgs())
        .containsExactly("--config=/etc/otelcol/collector.yaml");
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
    assertThat(collectors.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(CollectorPods.CONFIG_HASH);
    String config = get(ConfigMap.class, "shop-traces-collector").getData().get("collector.yaml");
    assertThat(config).contains("memory_limiter", "tail_sampling", "k8s_attributes", "batch");
    assertThat(get(Service.class, "shop-traces-collector").getSpec().getPorts())
        .extracting(p -> p.getName())
        .contains("otlp-grpc", "otlp-http", "zipkin", "metrics");
    assertThat(get(PodDisruptionBudget.class, "shop-traces-collector")).isNotNull();
    assertThat(get(DaemonSet.class, "shop-traces-collector")).isNull();
    ClusterRole role =
        client.rbac().clusterRoles().withName("vigil-shop-shop-traces-collector-52d38c39d1").get();
    assertThat(role.getRules())
        .anySatisfy(r -> assertThat(r.getResources()).contains("pods", "namespaces"));
    assertThat(role.getRules())
        .allSatisfy(r -> assertThat(r.getVerbs()).containsOnly("get", "list", "watch"));
    assertThat(
            client
                .rbac()
                .clusterRoleBindings()
                .withName("vigil-shop-shop-traces-collector-52d38c39d1")
                .get())
        .isNotNull();
    assertThat(get(Deployment.class, "shop-traces-jaeger")).isNotNull();
    assertThat(get(Service.class, "shop-traces-jaeger")).isNotNull();
    assertThat(get(ConfigMap.class, "shop-traces-jaeger").getData().get("jaeger.yaml"))
        .contains("jaeger_storage");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              TracingPipeline fresh = get(TracingPipeline.class, "shop-traces");
              assertThat(fresh.getStatus()).isNotNull();
              assertThat(fresh.getStatus().endpoints.otlpGrpc)
                  .isEqualTo("shop-traces-collector.shop.svc:4317");
              assertThat(fresh.getStatus().endpoints.otlpHttp)
                  .isEqualTo("http://shop-traces-collector.shop.svc:4318");
              assertThat(fresh.getStatus().endpoints.zipkin)
                  .isEqualTo("http://shop-traces-collector.shop.svc:9411/api/v2/spans");
              assertThat(fresh.getStatus().endpoints.jaegerUi)
                  .isEqualTo("http://shop-traces-jaeger.shop.svc:16686");
              // The vendor exporter's Secret does not exist here: left out, and said so.
              var ready = fresh.getStatus().condition("Ready").orElseThrow();
              assertThat(ready.getReason()).isEqualTo("ConfigPartsLeftOut");
              assertThat(ready.getMessage()).contains("vendor-otlp");
            });

    // Deleting the pipeline deletes the cluster-scoped RBAC no owner reference could.
    client.resource(get(TracingPipeline.class, "shop-traces")).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .rbac()
                          .clusterRoles()
                          .withName("vigil-shop-shop-traces-collector-52d38c39d1")
                          .get())
                  .isNull();
              assertThat(
                      client
                          .rbac()
                          .clusterRoleBindings()
                          .withName("vigil-shop-shop-traces-collector-52d38c39d1")
                          .get())
                  .isNull();
            });
  }

  @Test
  void spanMetricsAreServedByJaegerWhoseMonitorFollowsTheStackItNames() {
    TracingPipeline pipeline =
        new KubernetesSerialization()
            .unmarshal(
                """
                apiVersion: monitoring.vigil.dev/v1alpha1
                kind: TracingPipeline
                metadata: {name: red, namespace: shop}
                spec:
                  spanMetrics: {dimensions: [http.request.method]}
                  exporters:
                    jaeger:
                      monitor: {stack: {name: main}}
                """,
                TracingPipeline.class);
    client.resource(pipeline).create();

    // Before the stack exists: span metrics are served, the Monitor waits and says why.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              TracingPipeline fresh = get(TracingPipeline.class, "red");
              assertThat(fresh.getStatus()).isNotNull();
              assertThat(fresh.getStatus().condition("Ready").orElseThrow().getMessage())
                  .contains("MonitoringStack shop/main does not exist or reports no query URL");
            });
    assertThat(
            get(Deployment.class, "red-collector")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .containsExactly(
            "--config=/etc/otelcol/collector.yaml",
            "--feature-gates=connector.spanmetrics.excludeResourceMetrics");
    assertThat(get(ConfigMap.class, "red-collector").getData().get("collector.yaml"))
        .contains("span_metrics:", "metrics/span_metrics:");
    assertThat(get(ConfigMap.class, "red-jaeger").getData().get("jaeger.yaml"))
        .contains("prometheus:\n    endpoint: 0.0.0.0:8889")
        .doesNotContain("metric_backends");
    assertThat(
            get(Deployment.class, "red-jaeger")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getPorts())
        .anySatisfy(
            port -> {
              assertThat(port.getName()).isEqualTo("span-metrics");
              assertThat(port.getContainerPort()).isEqualTo(8889);
            });

    // The stack appears and reports its query URL: the Monitor follows within seconds.
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("main").withNamespace("shop").build());
    stack.setSpec(new MonitoringStackSpec());
    stack.setStatus(new MonitoringStackStatus());
    stack.getStatus().queryUrl = "http://main-prometheus.shop.svc:9090";
    client.resource(stack).create();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(get(ConfigMap.class, "red-jaeger").getData().get("jaeger.yaml"))
                    .contains(
                        "metric_backends:",
                        "endpoint: http://main-prometheus.shop.svc:9090",
                        "metrics: span_metrics"));
  }

  @Test
  void anAgentRunsAsADaemonSetWithANodeLocalService() throws IOException {
    TracingPipeline pipeline = example();
    pipeline.getMetadata().setName("node-traces");
    pipeline.getSpec().mode = dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec.Mode.agent;
    pipeline.getSpec().replicas = null;
    pipeline.getSpec().exporters.jaeger = null;
    // The old Jaeger clients send Thrift compact over UDP to the node's host port.
    pipeline.getSpec().hostPorts = true;
    if (pipeline.getSpec().receivers == null) {
      pipeline.getSpec().receivers = new ReceiversSpec();
    }
    pipeline.getSpec().receivers.jaegerThriftCompact = new ReceiverPort();
    // The vendor exporter's header comes from this Secret: as an environment variable.
    client
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("vendor-otlp")
                .withNamespace("shop")
                .endMetadata()
                .addToData("api-key", "c2VjcmV0")
                .build())
        .create();
    client.resource(pipeline).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get(DaemonSet.class, "node-traces-collector")).isNotNull());
    assertThat(get(Deployment.class, "node-traces-collector")).isNull();
    assertThat(get(Service.class, "node-traces-collector").getSpec().getInternalTrafficPolicy())
        .isEqualTo("Local");
    assertThat(
            get(DaemonSet.class, "node-traces-collector")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo("K8S_NODE_NAME"))
        .anySatisfy(
            e -> {
              assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("vendor-otlp");
              assertThat(e.getValue()).isNull();
            });
    assertThat(get(ConfigMap.class, "node-traces-collector").getData().get("collector.yaml"))
        .doesNotContain("c2VjcmV0")
        .doesNotContain("secret");
    assertThat(
            get(DaemonSet.class, "node-traces-collector")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("jaeger-compact");
              assertThat(p.getContainerPort()).isEqualTo(6831);
              assertThat(p.getHostPort()).isEqualTo(6831);
              assertThat(p.getProtocol()).isEqualTo("UDP");
            })
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("otlp-grpc");
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
    assertThat(get(Service.class, "node-traces-collector").getSpec().getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("jaeger-compact");
              assertThat(p.getPort()).isEqualTo(6831);
              assertThat(p.getProtocol()).isEqualTo("UDP");
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(get(TracingPipeline.class, "node-traces").getStatus().endpoints)
                    .satisfies(
                        e -> {
                          assertThat(e.jaegerThriftCompact)
                              .isEqualTo("node-traces-collector.shop.svc:6831");
                          assertThat(e.jaegerThriftBinary).isNull();
                        }));
  }

  /**
   * With the switch on, the collectors' and Jaeger's NetworkPolicies select their workloads' pods
   * and admit only ports those expose; Jaeger gets the default resources (the example sets none for
   * it), the collectors the example's own; off, the policies go.
   */
  @Test
  void networkPoliciesFollowTheSwitchAndTheWorkloadsPodsAndPorts() throws IOException {
    TracingPipeline pipeline = example();
    pipeline.getSpec().networkPolicy = new dev.vigil.api.v1alpha1.common.NetworkPolicySpec();
    pipeline.getSpec().networkPolicy.enabled = true;
    client.resource(pipeline).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (String name : java.util.List.of("shop-traces-collector", "shop-traces-jaeger")) {
                assertThat(get(NetworkPolicy.class, name)).as(name).isNotNull();
                assertThat(get(Deployment.class, name)).as(name).isNotNull();
              }
            });
    for (String name : java.util.List.of("shop-traces-collector", "shop-traces-jaeger")) {
      dev.vigil.reconcilers.monitoringstack.StackNetworkPoliciesTest
          .assertSelectsAndAdmitsOnlyExposedPorts(
              get(NetworkPolicy.class, name), get(Deployment.class, name).getSpec().getTemplate());
    }
    assertThat(
            get(Deployment.class, "shop-traces-jaeger")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources())
        .isEqualTo(dev.vigil.reconcilers.objects.DefaultResources.JAEGER.requirements());
    assertThat(
            get(Deployment.class, "shop-traces-collector")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits()
                .get("memory"))
        .hasToString("1Gi");

    TracingPipeline fresh = get(TracingPipeline.class, "shop-traces");
    fresh.getSpec().networkPolicy.enabled = false;
    client.resource(fresh).update();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client.resources(NetworkPolicy.class).inNamespace("shop").list().getItems())
                    .isEmpty());
  }
}
