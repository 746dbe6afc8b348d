package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.e2e.harness.DatadogIntakeStandIn;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.RealTracingProcess;
import dev.vigil.e2e.harness.RealVictoriaLogs;
import dev.vigil.e2e.harness.Workloads;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LogPipeline end to end with real processes: the operator (as its ServiceAccount) renders the
 * agents' configuration into a ConfigMap on the real API server; the real collector runs on that
 * file, reading pod logs laid out exactly as the kubelet lays them out under a temporary directory
 * standing in for the node's {@code /var/log/pods}, its {@code k8s_attributes} served by the real
 * API server with the token of the ServiceAccount and RBAC the operator made; a real VictoriaLogs
 * receives, and LogsQL finds every record once with its Kubernetes metadata, a stack trace as one
 * record, a JSON line's trace id, and nothing from what the pipeline does not select. Then the
 * collector is stopped mid-file and restarted, and the file is rotated: nothing lost, nothing
 * repeated.
 *
 * <p>The test does what the pod's surroundings would: the paths in the file are the container's
 * mounts (the node's directories are mounted there), the backend's Service name resolves to the
 * VictoriaLogs on 127.0.0.1, and the token is the one the kubelet would project. All traffic on
 * 127.0.0.1.
 */
class LogPipelineIT {
  static final String NS = "logs-shop";
  static final String OTHER_NS = "logs-elsewhere";
  static final String TENANT_NS = "logs-tenant";
  static final String NODE = "node-1";
  static final String DATADOG_KEY = "dd-key-0123456789";

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    RealApiServer.ensureNamespace(OTHER_NS);
    operator =
        OperatorAsServiceAccount.start(
            List.of(
                "--leader-election=false",
                "--http-port=0",
                "--platform-namespaces=" + NS,
                "--log-agents-namespace=" + OperatorAsServiceAccount.NAMESPACE),
            new VigilOperator.Runtime(true, false));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  /**
   * Reconciles that change nothing write nothing: after the pipeline settles, two more reconciles
   * (an annotation on it each) leave every object Vigil made for it at its resourceVersion.
   */
  @Test
  void aReconcileThatChangesNothingWritesNothing() throws Exception {
    RealApiServer.apply(
        admin,
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: steady-token, namespace: logs-shop}
        stringData: {token: steady}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: LogPipeline
        metadata: {name: steady, namespace: logs-shop}
        spec:
          backends:
            victoriaLogs: {size: 1Gi}
            otlp:
              - name: central
                protocol: http
                endpoint: https://logs.example.com
                headers:
                  - {name: authorization, valueFrom: {name: steady-token, key: token}}
        """);
    await("the pipeline's objects")
        .atMost(Duration.ofSeconds(60))
        .until(() -> versions("steady").size() >= 8);
    // Let the first reconciles settle.
    Thread.sleep(3000);
    Map<String, String> before = versions("steady");
    // Spec changes that render the same objects (defaults spelled out): a new generation, so
    // a reconcile (JOSDK skips updates that keep the generation), and nothing to write.
    for (String noOp :
        List.of(
            "{\"spec\":{\"limits\":{\"maxQueuedBatches\":1000}}}",
            "{\"spec\":{\"parsing\":{\"json\":true,\"severity\":true}}}")) {
      long generation =
          admin
              .resources(LogPipeline.class)
              .inNamespace(NS)
              .withName("steady")
              .patch(
                  io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                      io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                  noOp)
              .getMetadata()
              .getGeneration();
      await("generation " + generation + " reconciled")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                LogPipeline p =
                    admin.resources(LogPipeline.class).inNamespace(NS).withName("steady").get();
                return p.getStatus() != null && p.getStatus().observedGeneration == generation;
              });
    }
    Thread.sleep(1000);
    assertThat(versions("steady")).isEqualTo(before);
  }

  /** The agents' configuration of a pipeline, once the operator has made it. */
  private static ConfigMap agentsConfig(String namespace, String pipeline) {
    return await("the agents' configuration of " + namespace + "/" + pipeline)
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin
                    .configMaps()
                    .inNamespace(OperatorAsServiceAccount.NAMESPACE)
                    .withLabel("app.kubernetes.io/instance", pipeline)
                    .withLabel(ClusterAccess.NAMESPACE_LABEL, namespace)
                    .list()
                    .getItems()
                    .stream()
                    .findFirst()
                    .orElse(null),
            c -> c != null);
  }

  /** resourceVersion of every object Vigil made for a pipeline, by kind and name. */
  private static Map<String, String> versions(String pipeline) {
    Map<String, String> versions = new java.util.TreeMap<>();
    java.util.function.Consumer<io.fabric8.kubernetes.api.model.HasMetadata> add =
        o ->
            versions.put(
                o.getKind() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion());
    String instance = "app.kubernetes.io/instance";
    for (String ns : List.of(NS, OperatorAsServiceAccount.NAMESPACE)) {
      admin
          .configMaps()
          .inNamespace(ns)
          .withLabel(instance, pipeline)
          .list()
          .getItems()
          .forEach(add);
      admin.secrets().inNamespace(ns).withLabel(instance, pipeline).list().getItems().forEach(add);
      admin
          .serviceAccounts()
          .inNamespace(ns)
          .withLabel(instance, pipeline)
          .list()
          .getItems()
          .forEach(add);
      admin
          .apps()
          .daemonSets()
          .inNamespace(ns)
          .withLabel(instance, pipeline)
          .list()
          .getItems()
          .forEach(add);
      admin
          .apps()
          .statefulSets()
          .inNamespace(ns)
          .withLabel(instance, pipeline)
          .list()
          .getItems()
          .forEach(add);
      admin.services().inNamespace(ns).withLabel(instance, pipeline).list().getItems().forEach(add);
    }
    admin.rbac().clusterRoles().withLabel(instance, pipeline).list().getItems().forEach(add);
    admin.rbac().clusterRoleBindings().withLabel(instance, pipeline).list().getItems().forEach(add);
    return versions;
  }

  /**
   * A tenant (impersonated, with rights in its own namespace only) asks for every namespace's logs
   * and a credential that lives in another namespace: its agents read its own namespace's files
   * only, with a Role there and no cluster-wide access, nothing of the other namespace's Secret is
   * copied, Ready says what was ignored, and the tenant cannot read the agents' objects.
   */
  @Test
  void aTenantsPipelineReachesItsOwnNamespaceOnly() throws Exception {
    RealApiServer.ensureNamespace(TENANT_NS);
    RealApiServer.apply(
        admin,
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: team, namespace: logs-tenant}
        rules:
          - apiGroups: [monitoring.vigil.dev]
            resources: [logpipelines]
            verbs: [get, list, watch, create, update, patch, delete]
          - apiGroups: [""]
            resources: [secrets]
            verbs: [get, list, create, update, patch, delete]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: team, namespace: logs-tenant}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: team}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: bob@logs-tenant}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-token, namespace: logs-shop}
        stringData: {token: logs-canary-shop-41d7}
        """);
    try (KubernetesClient bob = RealApiServer.clientAsUser("bob@logs-tenant")) {
      RealApiServer.apply(
          bob,
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: LogPipeline
          metadata: {name: grab-all, namespace: logs-tenant}
          spec:
            select:
              namespaces: {any: true}
            agent:
              image: registry.example.com/bob/agent:latest
              podLogsPath: /
              stateHostPath: /etc
              priorityClassName: system-node-critical
            backends:
              debug: {}
              otlp:
                - name: exfil
                  protocol: http
                  endpoint: http://collector.logs-tenant.svc:4318
                  headers:
                    - name: authorization
                      valueFrom: {name: shop-token, key: token}
          """);
      ConfigMap rendered = agentsConfig(TENANT_NS, "grab-all");
      String agent = rendered.getMetadata().getName();
      String config = rendered.getData().get("collector.yaml");
      assertThat(config)
          .contains("/var/log/pods/" + TENANT_NS + "_*_*/*/*.log")
          .doesNotContain("/var/log/pods/*_*_*/*/*.log", "/var/log/pods/" + NS + "_")
          .contains("namespace: " + TENANT_NS)
          .doesNotContain("exfil");
      assertThat(
              admin
                  .secrets()
                  .inNamespace(OperatorAsServiceAccount.NAMESPACE)
                  .withLabel("app.kubernetes.io/instance", "grab-all")
                  .list()
                  .getItems())
          .as("no credential copied from another namespace")
          .isEmpty();
      await("Ready says what was ignored")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                LogPipeline fresh =
                    bob.resources(LogPipeline.class)
                        .inNamespace(TENANT_NS)
                        .withName("grab-all")
                        .get();
                assertThat(fresh.getStatus()).isNotNull();
                assertThat(fresh.getStatus().namespaces).containsExactly(TENANT_NS);
                var ready = fresh.getStatus().condition("Ready").orElseThrow();
                assertThat(ready.getStatus()).isEqualTo("False");
                assertThat(ready.getMessage())
                    .contains("not one of the operator's platform namespaces")
                    .contains(
                        "spec.agent: image, podLogsPath, stateHostPath, priorityClassName of a"
                            + " tenant's pipeline are ignored")
                    .contains("shop-token")
                    .doesNotContain("logs-canary-shop-41d7");
              });
      // The agents run the platform's image on the platform's host paths, not the tenant's.
      var agentPod =
          admin
              .apps()
              .daemonSets()
              .inNamespace(OperatorAsServiceAccount.NAMESPACE)
              .withName(agent)
              .get()
              .getSpec()
              .getTemplate()
              .getSpec();
      assertThat(agentPod.getContainers().get(0).getImage())
          .isEqualTo("otel/opentelemetry-collector-contrib:0.160.0");
      assertThat(agentPod.getPriorityClassName()).isNull();
      assertThat(agentPod.getVolumes())
          .filteredOn(v -> v.getHostPath() != null)
          .allSatisfy(
              v ->
                  assertThat(v.getHostPath().getPath())
                      .satisfiesAnyOf(
                          path -> assertThat(path).isEqualTo("/var/log/pods"),
                          path -> assertThat(path).startsWith("/var/lib/vigil/logs/")));
      // The agents read pods in the tenant's namespace only.
      try (KubernetesClient agents =
          RealApiServer.clientAs(OperatorAsServiceAccount.NAMESPACE, agent)) {
        assertThat(agents.pods().inNamespace(TENANT_NS).list().getItems()).isNotNull();
        assertThatThrownBy(() -> agents.pods().inNamespace(NS).list()).hasMessageContaining("403");
        assertThatThrownBy(() -> agents.namespaces().list()).hasMessageContaining("403");
      }
      // The tenant cannot reach its agents (where the node's logs are mounted).
      assertThatThrownBy(
              () ->
                  bob.configMaps()
                      .inNamespace(OperatorAsServiceAccount.NAMESPACE)
                      .withName(agent)
                      .get())
          .hasMessageContaining("403");
    }
  }

  @Test
  void everySelectedLineOnceWithItsMetadataThroughARestartAndARotation(@TempDir Path dir)
      throws Exception {
    try (DatadogIntakeStandIn datadog = DatadogIntakeStandIn.start(DATADOG_KEY)) {
      run(dir, datadog);
    }
  }

  private void run(Path dir, DatadogIntakeStandIn datadog) throws Exception {
    RealApiServer.apply(
        admin,
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: datadog, namespace: logs-shop}
        stringData: {api-key: %s}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: LogPipeline
        metadata: {name: shop-logs, namespace: logs-shop}
        spec:
          select:
            namespaces: {matchNames: [logs-shop]}
            pods:
              matchExpressions:
                - {key: app, operator: In, values: [checkout, worker]}
            excludeContainers: [istio-proxy]
          multiline:
            - containers: [app]
              firstLinePattern: '^(\\d{4}-\\d{2}-\\d{2}|\\{)'
          metadata:
            podLabels: [app]
          backends:
            victoriaLogs: {retention: 1d}
            datadog:
              site: datadoghq.eu
              endpoint: %s
              apiKey: {name: datadog, key: api-key}
        """
            .formatted(DATADOG_KEY, datadog.baseUrl()));
    ConfigMap rendered = agentsConfig(NS, "shop-logs");
    String agentName = rendered.getMetadata().getName();
    DaemonSet daemonSet =
        await("the agents' DaemonSet")
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    admin
                        .apps()
                        .daemonSets()
                        .inNamespace(OperatorAsServiceAccount.NAMESPACE)
                        .withName(agentName)
                        .get(),
                d -> d != null);
    var container = daemonSet.getSpec().getTemplate().getSpec().getContainers().get(0);
    // The flags Vigil gives the collector besides its configuration file.
    List<String> flags =
        container.getArgs().stream().filter(a -> !a.startsWith("--config=")).toList();
    assertThat(flags).contains("--feature-gates=stanza.synchronousLogEmitter");
    // The API key as the pod gets it: from the agents' copy of the pipeline's Secret.
    var keyRef =
        container.getEnv().stream()
            .filter(e -> e.getName().equals("VIGIL_DATADOG_API_KEY"))
            .findFirst()
            .orElseThrow()
            .getValueFrom()
            .getSecretKeyRef();
    String apiKey =
        new String(
            java.util.Base64.getDecoder()
                .decode(
                    admin
                        .secrets()
                        .inNamespace(OperatorAsServiceAccount.NAMESPACE)
                        .withName(keyRef.getName())
                        .get()
                        .getData()
                        .get(keyRef.getKey())),
            StandardCharsets.UTF_8);
    assertThat(apiKey).isEqualTo(DATADOG_KEY);
    assertThat(rendered.getData().get("collector.yaml")).doesNotContain(DATADOG_KEY);

    // The workload the agents name: a Deployment's ReplicaSet owns the pods.
    ReplicaSet replicaSet = Workloads.deploymentReplicaSet(admin, NS, "checkout", "7d9f8");
    Pod checkout = pod(NS, "checkout-7d9f8-abcde", "checkout", replicaSet);
    Pod worker = pod(NS, "worker-0", "worker", null);
    Pod cron = pod(NS, "cron-0", "cron", null);
    Pod elsewhere = pod(OTHER_NS, "checkout-0", "checkout", null);

    Path pods = dir.resolve("var/log/pods");
    Path app = logDir(pods, checkout, "app");
    Path proxy = logDir(pods, checkout, "istio-proxy");
    // A node whose runtime writes Docker's json-file format (dockershim, cri-dockerd).
    Path docker = logDir(pods, checkout, "legacy");
    Path workerLog = logDir(pods, worker, "worker");
    Path cronLog = logDir(pods, cron, "cron");
    Path elsewhereLog = logDir(pods, elsewhere, "checkout");
    String longPart = "x".repeat(300);
    write(
        app.resolve("0.log"),
        cri("stdout", "F", "2026-12-07 08:00:00 INFO order 1 accepted"),
        cri(
            "stdout",
            "F",
            "{\"level\":\"error\",\"msg\":\"payment failed\","
                + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}"),
        cri("stderr", "F", "2026-12-07 08:00:01 ERROR request failed"),
        cri("stderr", "F", "java.lang.IllegalStateException: boom"),
        cri("stderr", "F", "\tat shop.Checkout.pay(Checkout.java:42)"),
        cri("stderr", "F", "\tat shop.Checkout.run(Checkout.java:7)"),
        cri("stdout", "P", "2026-12-07 08:00:02 WARN slow " + longPart.substring(0, 150)),
        cri("stdout", "F", longPart.substring(150) + " end"),
        cri("stdout", "F", "2026-12-07 08:00:03 INFO order 2 accepted"));
    write(proxy.resolve("0.log"), cri("stdout", "F", "proxy access log line"));
    write(
        docker.resolve("0.log"),
        "{\"log\":\"2026-12-07 08:00:04 INFO from docker\\n\",\"stream\":\"stderr\","
            + "\"time\":\"2026-12-07T08:00:04.000000001Z\"}",
        "{\"log\":\"2026-12-07 08:00:05 ERROR docker again\\n\",\"stream\":\"stdout\","
            + "\"time\":\"2026-12-07T08:00:05.000000001Z\"}");
    write(cronLog.resolve("0.log"), cri("stdout", "F", "2026-12-07 08:00:00 INFO cron ran"));
    write(elsewhereLog.resolve("0.log"), cri("stdout", "F", "2026-12-07 08:00:00 INFO other team"));

    try (RealVictoriaLogs victoria = RealVictoriaLogs.start(dir.resolve("victoria"))) {
      Path state = Files.createDirectories(dir.resolve("state"));
      Path kubeconfig =
          RealApiServer.serviceAccountKubeconfig(
              dir.resolve("agent-kubeconfig"), OperatorAsServiceAccount.NAMESPACE, agentName);
      int health = RealPrometheus.freePort();
      int metrics = RealPrometheus.freePort();
      String config =
          rendered
              .getData()
              .get("collector.yaml")
              .replace("/var/log/pods/", pods + "/")
              .replace("/var/lib/otelcol/state", state.toString())
              .replace(
                  "http://shop-logs-victorialogs." + NS + ".svc:9428/insert/opentelemetry",
                  victoria.otlpBase())
              .replace("0.0.0.0:13133", "127.0.0.1:" + health)
              .replace("host: 0.0.0.0", "host: 127.0.0.1")
              .replace("port: 8888", "port: " + metrics)
              .replace("auth_type: serviceAccount", "auth_type: kubeConfig");
      assertThat(config).doesNotContain("0.0.0.0", ".svc");
      Path configFile = Files.writeString(dir.resolve("collector.yaml"), config);
      Map<String, String> env =
          Map.of(
              "K8S_NODE_NAME",
              NODE,
              "KUBECONFIG",
              kubeconfig.toString(),
              "VIGIL_DATADOG_API_KEY",
              apiKey);

      RealTracingProcess collector = startCollector(configFile, flags, health, dir, env);
      try {
        // 1. Every selected record once, whole, with its metadata; nothing else.
        List<JsonNode> shop =
            awaitRecords(
                victoria,
                "k8s.pod.name:\"checkout-7d9f8-abcde\" k8s.container.name:app",
                5,
                collector);
        assertThat(shop)
            .as("records: %s", shop)
            .extracting(r -> r.path("_msg").asText())
            .containsExactlyInAnyOrder(
                "2026-12-07 08:00:00 INFO order 1 accepted",
                "{\"level\":\"error\",\"msg\":\"payment failed\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}",
                "2026-12-07 08:00:01 ERROR request failed\n"
                    + "java.lang.IllegalStateException: boom\n"
                    + "\tat shop.Checkout.pay(Checkout.java:42)\n"
                    + "\tat shop.Checkout.run(Checkout.java:7)",
                "2026-12-07 08:00:02 WARN slow " + longPart + " end",
                "2026-12-07 08:00:03 INFO order 2 accepted");
        assertThat(shop)
            .allSatisfy(
                r -> {
                  assertThat(r.path("k8s.namespace.name").asText()).isEqualTo(NS);
                  assertThat(r.path("k8s.container.name").asText()).isEqualTo("app");
                  assertThat(r.path("k8s.deployment.name").asText()).isEqualTo("checkout");
                  assertThat(r.path("k8s.node.name").asText()).isEqualTo(NODE);
                  assertThat(r.path("k8s.pod.labels.app").asText()).isEqualTo("checkout");
                  assertThat(r.path("k8s.pod.uid").asText())
                      .isEqualTo(checkout.getMetadata().getUid());
                });
        JsonNode json = only(shop, "payment failed");
        assertThat(json.path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.path("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(json.path("severity_text").asText()).isEqualToIgnoringCase("error");
        assertThat(only(shop, "request failed").path("log.iostream").asText()).isEqualTo("stderr");
        assertThat(only(shop, "request failed").path("severity_text").asText())
            .isEqualToIgnoringCase("error");
        assertThat(only(shop, "WARN slow").path("severity_text").asText())
            .isEqualToIgnoringCase("warn");

        // The same records reach Datadog's intake, with the key from the Secret.
        var sent =
            datadog.awaitLog(l -> l.body().contains("payment failed"), Duration.ofSeconds(30));
        assertThat(sent.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(sent.resource())
            .containsEntry("k8s.namespace.name", NS)
            .containsEntry("k8s.deployment.name", "checkout");
        assertThat(datadog.refusals()).isEmpty();
        assertThat(datadog.requests())
            .allSatisfy(
                r -> {
                  assertThat(r.path()).isEqualTo("/v1/logs");
                  assertThat(r.gzip()).isTrue();
                });

        List<JsonNode> fromDocker =
            awaitRecords(
                victoria,
                "k8s.pod.name:\"checkout-7d9f8-abcde\" k8s.container.name:legacy",
                2,
                collector);
        assertThat(fromDocker)
            .as("Docker json-file lines: %s", fromDocker)
            .extracting(r -> r.path("_msg").asText().strip())
            .containsExactlyInAnyOrder(
                "2026-12-07 08:00:04 INFO from docker", "2026-12-07 08:00:05 ERROR docker again");
        assertThat(only(fromDocker, "from docker").path("log.iostream").asText())
            .isEqualTo("stderr");
        assertThat(only(fromDocker, "docker again").path("severity_text").asText())
            .isEqualTo("ERROR");
        assertThat(only(fromDocker, "from docker").path("k8s.deployment.name").asText())
            .isEqualTo("checkout");

        assertThat(victoria.query("proxy access log line")).as("excluded container").isEmpty();
        assertThat(victoria.query("\"cron ran\"")).as("a pod the selector leaves out").isEmpty();
        assertThat(victoria.query("\"other team\"")).as("a namespace not selected").isEmpty();

        // 2. A stop mid-file and a rotation: every numbered line exactly once.
        int total = 6000;
        Path live = workerLog.resolve("0.log");
        try (BufferedWriter out = Files.newBufferedWriter(live, StandardCharsets.UTF_8)) {
          for (int n = 1; n <= total; n++) {
            out.write(cri("stdout", "F", "2026-12-07 08:10:00 INFO seq=" + n));
            out.write('\n');
            if (n % 500 == 0) {
              out.flush();
              Thread.sleep(150);
            }
            if (n == 2000) {
              out.flush();
              collector.close(); // SIGTERM, as the kubelet stops a container
              collector = startCollector(configFile, flags, health, dir, env);
            }
          }
        }
        // The kubelet's rotation: the live file renamed, a new one started.
        Files.move(live, workerLog.resolve("0.log.20261207-081000"));
        int more = 1000;
        try (BufferedWriter out = Files.newBufferedWriter(live, StandardCharsets.UTF_8)) {
          for (int n = total + 1; n <= total + more; n++) {
            out.write(cri("stdout", "F", "2026-12-07 08:11:00 INFO seq=" + n));
            out.write('\n');
          }
        }
        List<JsonNode> numbered =
            awaitRecords(victoria, "k8s.pod.name:\"worker-0\"", total + more, collector);
        Map<String, Long> counts =
            numbered.stream()
                .map(r -> r.path("_msg").asText().replaceAll(".*seq=", ""))
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        List<String> missing = new ArrayList<>();
        for (int n = 1; n <= total + more; n++) {
          if (!counts.containsKey(Integer.toString(n))) {
            missing.add(Integer.toString(n));
          }
        }
        assertThat(missing).as("lines lost").isEmpty();
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
            .as("lines repeated")
            .isEmpty();
        assertThat(numbered).hasSize(total + more);
      } finally {
        collector.close();
      }
    }
  }

  private static JsonNode only(List<JsonNode> records, String text) {
    return records.stream()
        .filter(r -> r.path("_msg").asText().contains(text))
        .reduce(
            (a, b) -> {
              throw new AssertionError("two records contain " + text);
            })
        .orElseThrow(() -> new AssertionError("no record contains " + text + ": " + records));
  }

  /** Waits until the query returns at least {@code count} records and 2 s more bring none. */
  private static List<JsonNode> awaitRecords(
      RealVictoriaLogs victoria, String query, int count, RealTracingProcess collector)
      throws Exception {
    try {
      await(query)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> victoria.query(query).size() >= count);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      List<JsonNode> all = victoria.query("*");
      throw new AssertionError(
          query
              + ": "
              + victoria.query(query).size()
              + " of "
              + count
              + " records; "
              + all.size()
              + " in all, the first: "
              + all.stream().limit(3).toList()
              + "\ncollector log:\n"
              + collector.log(),
          e);
    }
    Thread.sleep(2000);
    return victoria.query(query);
  }

  private static RealTracingProcess startCollector(
      Path config, List<String> flags, int health, Path dir, Map<String, String> env)
      throws Exception {
    return RealTracingProcess.start(
        "otelcol",
        "VIGIL_OTELCOL",
        config,
        flags,
        URI.create("http://127.0.0.1:" + health + "/"),
        dir,
        env);
  }

  private static Pod pod(String namespace, String name, String app, ReplicaSet owner) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("app", app)
            .endMetadata()
            .withNewSpec()
            .withNodeName(NODE)
            .withAutomountServiceAccountToken(false)
            .addNewContainer()
            .withName("app")
            .withImage("shop/" + app + ":1")
            .endContainer()
            .endSpec();
    if (owner != null) {
      // As the Deployment controller labels its pods: k8s_attributes names the Deployment from
      // the ReplicaSet's name and this hash.
      pod.editMetadata().addToLabels("pod-template-hash", "7d9f8").endMetadata();
      pod.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("apps/v1")
                  .withKind("ReplicaSet")
                  .withName(owner.getMetadata().getName())
                  .withUid(owner.getMetadata().getUid())
                  .withController(true)
                  .build())
          .endMetadata();
    }
    return admin.resource(pod.build()).create();
  }

  /** {@code <pods>/<namespace>_<pod>_<uid>/<container>/}, as the kubelet makes it. */
  private static Path logDir(Path pods, Pod pod, String container) throws Exception {
    return Files.createDirectories(
        pods.resolve(
                pod.getMetadata().getNamespace()
                    + "_"
                    + pod.getMetadata().getName()
                    + "_"
                    + pod.getMetadata().getUid())
            .resolve(container));
  }

  private static final Map<String, Integer> NANOS = new HashMap<>();

  /** A CRI log line: timestamp, stream, tag (P partial, F full), message. */
  private static synchronized String cri(String stream, String tag, String message) {
    int n = NANOS.merge("n", 1, Integer::sum);
    return "2026-12-07T08:00:00.%09dZ %s %s %s".formatted(n, stream, tag, message);
  }

  private static void write(Path file, String... lines) throws Exception {
    Files.writeString(
        file,
        String.join("\n", lines) + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
