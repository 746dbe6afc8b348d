package dev.vigil.reconcilers.logpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.MockServerOperator;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LogPipelines against the mock server: the agents in the agents' namespace, the backend in the
 * pipeline's, RBAC by tenancy, namespaces by label, status, and cleanup across namespaces.
 */
@EnableKubernetesMockClient(crud = true)
class LogPipelineReconcilerIT {
  static final String AGENTS = "vigil-system";

  KubernetesClient client;
  Operator operator;

  @BeforeEach
  void start() {
    operator =
        MockServerOperator.start(
            client,
            new LogPipelineReconciler(
                Clock.systemUTC(), new Tenancy(List.of("shop", AGENTS), false), AGENTS));
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  static LogPipeline example() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("../manifests/examples/logpipeline.yaml"))) {
      return new KubernetesSerialization().unmarshal(in, LogPipeline.class);
    }
  }

  <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  LogPipeline fresh(LogPipeline pipeline) {
    return get(
        LogPipeline.class, pipeline.getMetadata().getNamespace(), pipeline.getMetadata().getName());
  }

  @Test
  void theExampleRunsAgentsInTheAgentsNamespaceAndVictoriaLogsInItsOwn() throws IOException {
    LogPipeline pipeline = example();
    client.resource(pipeline).create();
    String agent = LogPlan.agentName(pipeline);
    assertThat(agent).startsWith("vigil-logs-shop-shop-logs-").hasSizeLessThanOrEqualTo(52);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get(DaemonSet.class, AGENTS, agent)).isNotNull());
    DaemonSet agents = get(DaemonSet.class, AGENTS, agent);
    assertThat(agents.getMetadata().getOwnerReferences()).isNullOrEmpty();
    var pod = agents.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(agent);
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(Volume::getName, v -> v.getHostPath().getPath())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("pod-logs", "/var/log/pods"),
            org.assertj.core.groups.Tuple.tuple(
                "state",
                "/var/lib/vigil/logs/shop_shop-logs_" + fresh(pipeline).getMetadata().getUid()));
    var container = pod.getContainers().get(0);
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("pod-logs"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

    String config = get(ConfigMap.class, AGENTS, agent).getData().get("collector.yaml");
    assertThat(config)
        .contains(
            "/var/log/pods/shop_*_*/*/*.log",
            "/var/log/pods/shop-jobs_*_*/*/*.log",
            "/var/log/pods/vigil-system_vigil-logs-*_*/*/*.log",
            "http://shop-logs-victorialogs.shop.svc:9428/insert/opentelemetry");
    assertThat(get(ServiceAccount.class, AGENTS, agent)).isNotNull();
    assertThat(
            client
                .rbac()
                .clusterRoles()
                .withLabel("monitoring.vigil.dev/namespace", AGENTS)
                .list()
                .getItems())
        .singleElement()
        .satisfies(
            role ->
                assertThat(role.getRules())
                    .allSatisfy(
                        r -> assertThat(r.getVerbs()).containsOnly("get", "list", "watch")));

    StatefulSet victoria = get(StatefulSet.class, "shop", "shop-logs-victorialogs");
    assertThat(victoria.getMetadata().getOwnerReferences()).singleElement();
    assertThat(victoria.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("-retentionPeriod=14d");
    assertThat(victoria.getSpec().getVolumeClaimTemplates()).singleElement();
    assertThat(get(Service.class, "shop", "shop-logs-victorialogs")).isNotNull();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              LogPipeline status = fresh(pipeline);
              assertThat(status.getStatus()).isNotNull();
              assertThat(status.getStatus().namespaces).containsExactly("shop", "shop-jobs");
              assertThat(status.getStatus().queryUrl)
                  .isEqualTo("http://shop-logs-victorialogs.shop.svc:9428/select/logsql/query");
              assertThat(status.getStatus().backends)
                  .extracting(b -> b.name)
                  .containsExactly("victoriaLogs");
              assertThat(status.getStatus().agents.daemonSet).isEqualTo(AGENTS + "/" + agent);
              // The mock server runs no DaemonSet controller: no agent is ever ready.
              assertThat(status.getStatus().condition("Ready").orElseThrow().getReason())
                  .isEqualTo(LogPipelineReconciler.REASON_PROGRESSING);
            });

    client.resource(pipeline).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(get(DaemonSet.class, AGENTS, agent)).isNull();
              assertThat(get(ConfigMap.class, AGENTS, agent)).isNull();
              assertThat(get(ServiceAccount.class, AGENTS, agent)).isNull();
              assertThat(
                      client
                          .rbac()
                          .clusterRoles()
                          .withLabel("monitoring.vigil.dev/namespace", AGENTS)
                          .list()
                          .getItems())
                  .isEmpty();
            });
  }

  @Test
  void aTenantsPipelineReadsItsOwnNamespaceOnlyWithARoleThere() {
    LogPipeline pipeline =
        new KubernetesSerialization()
            .unmarshal(
                """
                apiVersion: monitoring.vigil.dev/v1alpha1
                kind: LogPipeline
                metadata: {name: team-logs, namespace: team-a}
                spec:
                  select:
                    namespaces: {any: true}
                  backends:
                    otlp:
                      - name: vendor
                        endpoint: https://logs.example.com
                        protocol: http
                        headers:
                          - name: x-api-key
                            valueFrom: {name: vendor, key: key}
                """,
                LogPipeline.class);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("vendor")
                .withNamespace("team-a")
                .endMetadata()
                // The mock server keeps stringData as it is: data, as the API server stores it.
                .withData(
                    Map.of(
                        "key",
                        java.util.Base64.getEncoder()
                            .encodeToString(
                                "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build())
        .create();
    client.resource(pipeline).create();
    String agent = LogPlan.agentName(pipeline);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get(DaemonSet.class, AGENTS, agent)).isNotNull());
    String config = get(ConfigMap.class, AGENTS, agent).getData().get("collector.yaml");
    assertThat(config)
        .contains("/var/log/pods/team-a_*_*/*/*.log")
        .doesNotContain("/var/log/pods/*_*_*/*/");
    assertThat(config).contains("namespace: team-a").doesNotContain("s3cret");
    Secret copy = get(Secret.class, AGENTS, LogPlan.credentialsName(pipeline));
    assertThat(copy.getData()).containsOnlyKeys("vendor_key");
    assertThat(
            get(DaemonSet.class, AGENTS, agent)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo(LogPlan.credentialsName(pipeline));
            });
    assertThat(get(Role.class, "team-a", agent)).isNotNull();
    RoleBinding binding = get(RoleBinding.class, "team-a", agent);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(AGENTS));
    assertThat(
            client
                .rbac()
                .clusterRoles()
                .withLabel("monitoring.vigil.dev/namespace", AGENTS)
                .list()
                .getItems())
        .as("no cluster-wide access for a tenant")
        .isEmpty();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = fresh(pipeline).getStatus();
              assertThat(status.namespaces).containsExactly("team-a");
              var ready = status.condition("Ready").orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getMessage())
                  .contains("is not one of the operator's platform namespaces");
            });
  }

  @Test
  void aNamespaceLabelledLaterIsRead() {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("payments")
                .withLabels(Map.of("team", "shop"))
                .endMetadata()
                .build())
        .create();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName("orders").endMetadata().build())
        .create();
    LogPipeline pipeline =
        new KubernetesSerialization()
            .unmarshal(
                """
                apiVersion: monitoring.vigil.dev/v1alpha1
                kind: LogPipeline
                metadata: {name: by-label, namespace: shop}
                spec:
                  select:
                    namespaces:
                      selector: {matchLabels: {team: shop}}
                  backends:
                    debug: {}
                """,
                LogPipeline.class);
    client.resource(pipeline).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(fresh(pipeline).getStatus()).isNotNull();
              assertThat(fresh(pipeline).getStatus().namespaces).containsExactly("payments");
            });

    client
        .namespaces()
        .withName("orders")
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToLabels("team", "shop")
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(fresh(pipeline).getStatus().namespaces)
                  .containsExactly("orders", "payments");
              assertThat(
                      get(ConfigMap.class, AGENTS, LogPlan.agentName(pipeline))
                          .getData()
                          .get("collector.yaml"))
                  .contains("/var/log/pods/orders_*_*/*/*.log");
            });
  }
}
