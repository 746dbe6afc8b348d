package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import dev.vigil.api.v1alpha1.alertpolicy.WebhookReceiver;
import dev.vigil.api.v1alpha1.common.SafeAuthorization;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ThanosSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.reconcilers.MockServerOperator;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A MonitoringStack against the mock server in CRUD mode: every object of its shards, the status,
 * and no writes when nothing changed.
 */
@EnableKubernetesMockClient(crud = true)
class MonitoringStackReconcilerIT {
  KubernetesClient client;
  KubernetesMockServer server;
  Operator operator;
  final FixedMonitoringState state = new FixedMonitoringState();

  @BeforeEach
  void start() {
    operator =
        MockServerOperator.start(
            client,
            new MonitoringStackReconciler(
                Clock.systemUTC(),
                state,
                FixedMonitoringState.SETTINGS,
                FixedMonitoringState.NO_CHECK));
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  static MonitoringStack stack(int shards, int replicas) {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new ObjectMetaBuilder().withName("platform").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper.shards = shards;
    stack.getSpec().scraper.replicas = replicas;
    return stack;
  }

  static ServiceMonitor monitor(String name, String tokenSecret) {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    monitor.setSpec(new ServiceMonitorSpec());
    monitor.getSpec().selector = new LabelSelector();
    Endpoint endpoint = new Endpoint();
    endpoint.port = "http-metrics";
    if (tokenSecret != null) {
      endpoint.authorization = new SafeAuthorization();
      endpoint.authorization.credentials = new SecretKeySelector("token", tokenSecret, false);
    }
    monitor.getSpec().endpoints = List.of(endpoint);
    return monitor;
  }

  <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace("monitoring").withName(name).get();
  }

  /** The requests the server received since the last call, as "METHOD path". */
  List<String> requests() throws InterruptedException {
    List<String> requests = new java.util.ArrayList<>();
    for (var r = server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      requests.add(r.getMethod() + " " + r.getPath());
    }
    return requests;
  }

  static String gunzip(String base64) {
    try (var in =
        new java.util.zip.GZIPInputStream(
            new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A merge patch without resourceVersion, as kubectl would send: it never conflicts with the
   * operator's status writes.
   */
  void mergePatch(String patch) {
    client
        .resources(MonitoringStack.class)
        .inNamespace("monitoring")
        .withName("platform")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            patch);
  }

  /** The start of a DER certificate: bytes that are not UTF-8 text. */
  static final byte[] NOT_UTF_8 = {0x30, (byte) 0x82, 0x01, (byte) 0xff, 0x00, (byte) 0xc3};

  MonitoringStack fresh() {
    return get(MonitoringStack.class, "platform");
  }

  @Test
  void deploysEveryShardAndAnUnchangedWorldMakesNoWrite() throws InterruptedException {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("checkout-token")
                .withNamespace("shop")
                .endMetadata()
                .addToData("token", Base64.getEncoder().encodeToString(NOT_UTF_8))
                .build())
        .create();
    state.serviceMonitors.add(monitor("checkout", "checkout-token"));
    state.serviceMonitors.add(monitor("broken", "missing-secret"));
    state.targets.put("checkout", 5);
    MonitoringStack stack = stack(2, 2);
    state.stacks.add(stack);
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(fresh().getStatus()).isNotNull());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(fresh().getStatus().shards).isEqualTo(2));

    for (int shard = 0; shard < 2; shard++) {
      Secret config = get(Secret.class, "platform-prometheus-" + shard + "-config");
      String yaml = gunzip(config.getData().get("prometheus.yml.gz"));
      assertThat(yaml)
          .contains("job_name: serviceMonitor/shop/checkout/0")
          .doesNotContain("broken")
          .contains("prometheus_shard: \"" + shard + "\"")
          .contains("/sd/v1/monitoring/platform/" + shard + "/")
          .contains("credentials_file: /etc/prometheus/secrets/shop/checkout-token/token");
      StatefulSet statefulSet = get(StatefulSet.class, "platform-prometheus-" + shard);
      assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(2);
      // Controlled by the stack, so a foreground deletion of the stack waits for it.
      assertThat(statefulSet.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              owner -> {
                assertThat(owner.getKind()).isEqualTo("MonitoringStack");
                assertThat(owner.getController()).isTrue();
                assertThat(owner.getBlockOwnerDeletion()).isTrue();
              });
      assertThat(statefulSet.getSpec().getServiceName()).isEqualTo("platform-prometheus-" + shard);
      assertThat(statefulSet.getSpec().getSelector().getMatchLabels())
          .containsEntry("monitoring.vigil.dev/shard", Integer.toString(shard));
      var pod = statefulSet.getSpec().getTemplate().getSpec();
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getInitContainers())
          .singleElement()
          .satisfies(c -> assertThat(c.getArgs()).contains("reloader", "--once"));
      assertThat(pod.getContainers())
          .extracting(c -> c.getName())
          .containsExactly("prometheus", "config-reloader");
      assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
          .isTrue();
      assertThat(pod.getContainers().get(1).getArgs())
          .contains("--secret=platform-prometheus-" + shard + "-config");
      assertThat(pod.getVolumes())
          .anySatisfy(
              v -> {
                assertThat(v.getName()).isEqualTo("credentials-secrets");
                assertThat(v.getSecret().getSecretName())
                    .isEqualTo("platform-prometheus-credentials");
                assertThat(v.getSecret().getItems())
                    .singleElement()
                    .satisfies(i -> assertThat(i.getPath()).isEqualTo("shop/checkout-token/token"));
              });
      assertThat(
              get(io.fabric8.kubernetes.api.model.Service.class, "platform-prometheus-" + shard)
                  .getSpec()
                  .getClusterIP())
          .isEqualTo("None");
      assertThat(get(PodDisruptionBudget.class, "platform-prometheus-" + shard)).isNotNull();
    }
    Secret credentials = get(Secret.class, "platform-prometheus-credentials");
    assertThat(credentials.getData()).containsOnlyKeys("secret_shop_checkout-token_token");
    // Copied byte for byte, as a DER certificate or a binary key must be.
    assertThat(
            Base64.getDecoder()
                .decode(credentials.getData().get("secret_shop_checkout-token_token")))
        .isEqualTo(NOT_UTF_8);
    assertThat(get(ServiceAccount.class, "platform-prometheus")).isNotNull();
    assertThat(get(Role.class, "platform-prometheus-reloader").getRules())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getResourceNames())
                    .containsExactly(
                        "platform-prometheus-0-config", "platform-prometheus-1-config"));
    assertThat(get(RoleBinding.class, "platform-prometheus-reloader").getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("platform-prometheus"));
    assertThat(get(io.fabric8.kubernetes.api.model.Service.class, "platform-prometheus"))
        .isNotNull();
    assertThat(get(Deployment.class, "platform-thanos-query")).isNull();

    MonitoringStack reconciled = fresh();
    assertThat(reconciled.getStatus().monitors).isEqualTo(1);
    assertThat(reconciled.getStatus().targets).isEqualTo(5);
    assertThat(reconciled.getStatus().shardStatuses)
        .extracting(s -> s.targets)
        .containsExactly(3, 2);
    assertThat(reconciled.getStatus().queryUrl)
        .isEqualTo("http://platform-prometheus.monitoring.svc:9090");
    Condition ready = reconciled.getStatus().condition("Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Progressing");
    assertThat(ready.getMessage()).contains("shard 0 0/2", "scraping 5 targets of 1 monitors");

    // An unchanged world: a reconcile (a label touch) writes nothing but our own edit.
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    requests();
    mergePatch("{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> true);
    // Besides our own edit, the reconcile only read (the referenced Secrets): no write at all.
    List<String> writes = requests().stream().filter(r -> !r.startsWith("GET ")).toList();
    assertThat(writes)
        .singleElement()
        .satisfies(w -> assertThat(w).contains("/monitoringstacks/platform"));
    assertThat(fresh().getStatus().conditions).isEqualTo(reconciled.getStatus().conditions);
  }

  static AlertPolicy policy(String namespace, String name, String webhookUrl) {
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    policy.setSpec(new AlertPolicySpec());
    RuleGroup group = new RuleGroup();
    group.name = "always";
    Rule rule = new Rule();
    rule.alert = "AlwaysFiring";
    rule.expr = new IntOrString("vector(1)");
    group.rules = List.of(rule);
    policy.getSpec().groups = List.of(group);
    Receiver receiver = new Receiver();
    receiver.name = "team-hook";
    receiver.webhook = new WebhookReceiver();
    receiver.webhook.url = webhookUrl;
    policy.getSpec().routing = new Routing();
    policy.getSpec().routing.receivers = List.of(receiver);
    policy.getSpec().routing.route = new PolicyRoute();
    policy.getSpec().routing.route.receiver = "team-hook";
    return policy;
  }

  @Test
  void alertmanagerGetsTheSelectedPoliciesRoutingAndEveryShardSendsToAllReplicas() {
    MonitoringStack stack = stack(2, 1);
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    stack.getSpec().alertmanager.replicas = 3;
    state.stacks.add(stack);
    state.policies.add(policy("shop", "checkout", "http://hooks.shop.svc/alerts"));
    client.resource(stack).create();

    // The dependents are applied in parallel: wait for every object read below.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(get(StatefulSet.class, "platform-alertmanager")).isNotNull();
              assertThat(get(Secret.class, "platform-alertmanager-config")).isNotNull();
              assertThat(get(PodDisruptionBudget.class, "platform-alertmanager")).isNotNull();
              assertThat(
                      get(io.fabric8.kubernetes.api.model.Service.class, "platform-alertmanager"))
                  .isNotNull();
              assertThat(get(Role.class, "platform-prometheus-reloader")).isNotNull();
              assertThat(get(Secret.class, "platform-prometheus-1-config")).isNotNull();
              assertThat(
                      get(
                          io.fabric8.kubernetes.api.model.ConfigMap.class,
                          "platform-prometheus-rules-0"))
                  .isNotNull();
            });
    String config =
        new String(
            Base64.getDecoder()
                .decode(
                    get(Secret.class, "platform-alertmanager-config")
                        .getData()
                        .get("alertmanager.yml")),
            StandardCharsets.UTF_8);
    // One scope label, <namespace>/<name>; the alert's own namespace label is left to routes.
    assertThat(config)
        .contains("vigil_policy=\"shop/checkout\"", "shop/checkout/team-hook")
        .doesNotContain("namespace=\"shop\"");
    StatefulSet alertmanager = get(StatefulSet.class, "platform-alertmanager");
    assertThat(alertmanager.getSpec().getReplicas()).isEqualTo(3);
    assertThat(alertmanager.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains(
            "--cluster.peer=platform-alertmanager-2.platform-alertmanager.monitoring.svc:9094");
    assertThat(get(PodDisruptionBudget.class, "platform-alertmanager")).isNotNull();
    assertThat(get(io.fabric8.kubernetes.api.model.Service.class, "platform-alertmanager"))
        .isNotNull();
    assertThat(get(Role.class, "platform-prometheus-reloader").getRules().get(0).getResourceNames())
        .contains("platform-alertmanager-config");
    // Every shard sends to every replica, and loads the policy's rules.
    String shard =
        gunzip(
            get(Secret.class, "platform-prometheus-1-config").getData().get("prometheus.yml.gz"));
    assertThat(shard)
        .contains(
            "platform-alertmanager-0.platform-alertmanager.monitoring.svc:9093",
            "platform-alertmanager-2.platform-alertmanager.monitoring.svc:9093",
            "/etc/prometheus/rules/platform-prometheus-rules-0/*.yaml");
    assertThat(get(io.fabric8.kubernetes.api.model.ConfigMap.class, "platform-prometheus-rules-0"))
        .isNotNull();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(fresh().getStatus()).as("status written").isNotNull();
              assertThat(fresh().getStatus().alertmanagerUrl)
                  .isEqualTo("http://platform-alertmanager.monitoring.svc:9093");
              assertThat(fresh().getStatus().policies).isEqualTo(1);
              assertThat(fresh().getStatus().rules).isEqualTo(1);
            });

    // Alertmanager off: its objects go.
    mergePatch("{\"spec\":{\"alertmanager\":{\"enabled\":false}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(get(StatefulSet.class, "platform-alertmanager")).isNull();
              assertThat(get(Secret.class, "platform-alertmanager-config")).isNull();
            });
  }

  @Test
  void anEnforcedNamespaceLabelScopesRulesAndMonitorsAndABadOneDeploysNothing() throws Exception {
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().scraper.enforcedNamespaceLabel = "namespace";
    state.stacks.add(stack);
    state.serviceMonitors.add(monitor("checkout", null));
    AlertPolicy policy = policy("shop", "checkout", "http://hooks.shop.svc/alerts");
    policy.getSpec().groups.get(0).rules.get(0).expr =
        new IntOrString("sum by (namespace) (up{job=\"checkout\"}) < 1");
    state.policies.add(policy);
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        get(
                            io.fabric8.kubernetes.api.model.ConfigMap.class,
                            "platform-prometheus-rules-0"))
                    .isNotNull());
    String file =
        get(io.fabric8.kubernetes.api.model.ConfigMap.class, "platform-prometheus-rules-0")
            .getData()
            .get("shop_checkout.yaml");
    var rule =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(file)
            .at("/groups/0/rules/0");
    assertThat(rule.at("/expr").asText())
        .isEqualTo("sum by (namespace) (up{job=\"checkout\", namespace=\"shop\"}) < 1");
    assertThat(rule.at("/labels/namespace").asText()).isEqualTo("shop");
    assertThat(rule.at("/labels/vigil_policy").asText()).isEqualTo("shop/checkout");
    String shard =
        gunzip(
            get(Secret.class, "platform-prometheus-0-config").getData().get("prometheus.yml.gz"));
    assertThat(shard).contains("- target_label: namespace\n        replacement: shop\n");

    // A label that is not a Prometheus label name (the mock server has no schema): the stack is
    // refused rather than rendered without the enforcement it asks for.
    mergePatch("{\"spec\":{\"scraper\":{\"enforcedNamespaceLabel\":\"k8s-namespace\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition ready = fresh().getStatus().condition("Ready").orElseThrow();
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage())
                  .contains(
                      "spec.scraper.enforcedNamespaceLabel \"k8s-namespace\" is not a Prometheus"
                          + " label name");
            });
    assertThat(
            get(io.fabric8.kubernetes.api.model.ConfigMap.class, "platform-prometheus-rules-0")
                .getData()
                .get("shop_checkout.yaml"))
        .isEqualTo(file);
  }

  @Test
  void nodeAgentAndKubeStateMetricsRunAndTheirClusterRbacGoesWithTheStack() {
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().nodeAgent = new dev.vigil.api.v1alpha1.monitoringstack.NodeAgentSpec();
    stack.getSpec().nodeAgent.enabled = true;
    stack.getSpec().kubeStateMetrics =
        new dev.vigil.api.v1alpha1.monitoringstack.KubeStateMetricsSpec();
    stack.getSpec().kubeStateMetrics.enabled = true;
    // What Vigil before 0.2 made, under a name another pair could share: removed.
    ClusterAccess access =
        new ClusterAccess(
            "monitoring",
            "platform-kube-state-metrics",
            java.util.Map.of(StackLabels.MANAGED_BY, StackLabels.VIGIL),
            java.util.Map.of());
    client.resource(legacy(access.role(List.of()), access.legacyName())).create();
    client.resource(legacy(access.binding(), access.legacyName())).create();
    state.stacks.add(stack);
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      get(
                          io.fabric8.kubernetes.api.model.apps.DaemonSet.class,
                          "platform-node-exporter"))
                  .isNotNull();
              assertThat(get(Deployment.class, "platform-kube-state-metrics")).isNotNull();
            });
    var nodeExporter =
        get(io.fabric8.kubernetes.api.model.apps.DaemonSet.class, "platform-node-exporter")
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(nodeExporter.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
    assertThat(nodeExporter.getContainers().get(0).getVolumeMounts())
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    var role = client.rbac().clusterRoles().withName(KSM_ACCESS).get();
    assertThat(role.getRules())
        .allSatisfy(r -> assertThat(r.getVerbs()).containsOnly("list", "watch"));
    assertThat(role.getRules()).noneSatisfy(r -> assertThat(r.getResources()).contains("secrets"));
    assertThat(role.getMetadata().getLabels())
        .containsEntry("monitoring.vigil.dev/namespace", "monitoring");
    assertThat(client.rbac().clusterRoles().withName(access.legacyName()).get()).isNull();
    assertThat(client.rbac().clusterRoleBindings().withName(access.legacyName()).get()).isNull();
    String shard =
        gunzip(
            get(Secret.class, "platform-prometheus-0-config").getData().get("prometheus.yml.gz"));
    assertThat(shard)
        .contains("job_name: vigil/node-exporter", "job_name: vigil/kube-state-metrics");

    client.resource(fresh()).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(client.rbac().clusterRoles().withName(KSM_ACCESS).get()).isNull();
              assertThat(client.rbac().clusterRoleBindings().withName(KSM_ACCESS).get()).isNull();
            });
  }

  @Test
  void aTenantsStackSaysItSelectsInItsOwnNamespaceOnly() {
    operator.stop();
    operator =
        MockServerOperator.start(
            client,
            new MonitoringStackReconciler(
                Clock.systemUTC(),
                state,
                new DeploymentSettings(
                    FixedMonitoringState.SETTINGS.serviceDiscoveryUrl(),
                    FixedMonitoringState.SETTINGS.operatorImage(),
                    new Tenancy(List.of("monitoring"), false)),
                FixedMonitoringState.NO_CHECK));
    MonitoringStack stack = stack(1, 1);
    stack.getMetadata().setNamespace("shop");
    stack.getSpec().monitorSelector = new dev.vigil.api.v1alpha1.common.ResourceSelector();
    stack.getSpec().monitorSelector.namespaceSelector = new LabelSelector();
    stack.getSpec().kubeStateMetrics =
        new dev.vigil.api.v1alpha1.monitoringstack.KubeStateMetricsSpec();
    stack.getSpec().kubeStateMetrics.enabled = true;
    state.stacks.add(stack);
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              MonitoringStack fresh =
                  client
                      .resources(MonitoringStack.class)
                      .inNamespace("shop")
                      .withName("platform")
                      .get();
              assertThat(fresh.getStatus()).isNotNull();
              Condition scope = fresh.getStatus().condition("NamespaceScope").orElseThrow();
              assertThat(scope.getStatus()).isEqualTo("True");
              assertThat(scope.getReason()).isEqualTo("TenantStack");
              assertThat(scope.getMessage())
                  .contains(
                      "selects monitors and policies in shop only",
                      "spec.monitorSelector.namespaceSelector are ignored",
                      "--platform-namespaces");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.events().v1().events().inNamespace("shop").list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("TenantStack")));
    // kube-state-metrics describes the stack's namespace only, with a Role, never a ClusterRole.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Role role =
                  client
                      .rbac()
                      .roles()
                      .inNamespace("shop")
                      .withName("platform-kube-state-metrics")
                      .get();
              assertThat(role).isNotNull();
              assertThat(role.getRules())
                  .flatExtracting(r -> r.getResources())
                  .contains("pods", "deployments")
                  .doesNotContain("nodes", "namespaces", "persistentvolumes", "secrets");
              assertThat(
                      client
                          .rbac()
                          .roleBindings()
                          .inNamespace("shop")
                          .withName("platform-kube-state-metrics")
                          .get())
                  .isNotNull();
            });
    assertThat(
            client
                .rbac()
                .clusterRoles()
                .withName(ClusterAccess.name("shop", "platform-kube-state-metrics"))
                .get())
        .isNull();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("shop")
                .withName("platform-kube-state-metrics")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .contains("--namespaces=shop")
        .noneSatisfy(arg -> assertThat(arg).startsWith("--resources=").contains("nodes"));
  }

  @Test
  void aLegacyPairGrantingToAnotherServiceAccountIsLeftAlone() {
    ClusterAccess neighbour =
        new ClusterAccess(
            "monitoring-platform",
            "kube-state-metrics",
            java.util.Map.of(StackLabels.MANAGED_BY, StackLabels.VIGIL),
            java.util.Map.of());
    // vigil-monitoring-platform-kube-state-metrics: the legacy name of this stack's pair too.
    client.resource(legacy(neighbour.role(List.of()), neighbour.legacyName())).create();
    client.resource(legacy(neighbour.binding(), neighbour.legacyName())).create();
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().kubeStateMetrics =
        new dev.vigil.api.v1alpha1.monitoringstack.KubeStateMetricsSpec();
    stack.getSpec().kubeStateMetrics.enabled = true;
    state.stacks.add(stack);
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(client.rbac().clusterRoleBindings().withName(KSM_ACCESS).get())
                    .isNotNull());
    assertThat(client.rbac().clusterRoles().withName(neighbour.legacyName()).get()).isNotNull();
    assertThat(client.rbac().clusterRoleBindings().withName(neighbour.legacyName()).get())
        .isNotNull();
  }

  /** The stack's kube-state-metrics pair. */
  static final String KSM_ACCESS = "vigil-monitoring-platform-kube-state-metrics-70f84587c9";

  /** A role or binding under the name Vigil gave it before 0.2. */
  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T legacy(T object, String name) {
    object.getMetadata().setName(name);
    if (object instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding binding) {
      binding.getRoleRef().setName(name);
    }
    return object;
  }

  @Test
  void grafanaIsProvisionedWithTheStacksDatasourcesAndDashboards() {
    client
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("team-dashboards")
                .withNamespace("monitoring")
                .addToLabels("monitoring.vigil.dev/dashboard", "true")
                .endMetadata()
                .addToData("good.json", "{\"uid\":\"team-good\",\"title\":\"Good\",\"panels\":[]}")
                .addToData("broken.json", "{not json")
                .build())
        .create();
    // A LogPipeline with a VictoriaLogs in the stack's namespace gets a data source; one in a
    // namespace the stack does not select does not.
    for (String namespace : List.of("monitoring", "elsewhere")) {
      var logs = new dev.vigil.api.v1alpha1.logpipeline.LogPipeline();
      logs.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName("logs")
              .withNamespace(namespace)
              .build());
      logs.setSpec(new dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec());
      logs.getSpec().backends = new dev.vigil.api.v1alpha1.logpipeline.LogBackendsSpec();
      logs.getSpec().backends.victoriaLogs =
          new dev.vigil.api.v1alpha1.logpipeline.VictoriaLogsSpec();
      client.resource(logs).create();
    }
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().grafana = new dev.vigil.api.v1alpha1.monitoringstack.GrafanaSpec();
    stack.getSpec().grafana.enabled = true;
    state.stacks.add(stack);
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              // The dependents are applied in parallel: wait for all of them, not the first.
              assertThat(get(Deployment.class, "platform-grafana")).isNotNull();
              assertThat(get(Secret.class, "platform-grafana-admin")).isNotNull();
              for (String name :
                  List.of(
                      "platform-grafana-provisioning",
                      "platform-grafana-dashboards-0",
                      "platform-grafana-dashboards-1")) {
                assertThat(get(io.fabric8.kubernetes.api.model.ConfigMap.class, name)).isNotNull();
              }
            });
    Secret admin = get(Secret.class, "platform-grafana-admin");
    assertThat(admin.getData()).containsKeys("admin-user", "admin-password");
    String password = admin.getData().get("admin-password");
    var grafana = get(Deployment.class, "platform-grafana").getSpec().getTemplate().getSpec();
    assertThat(grafana.getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("GF_SECURITY_ADMIN_PASSWORD");
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("platform-grafana-admin");
            });
    java.util.function.Supplier<String> datasources =
        () ->
            get(io.fabric8.kubernetes.api.model.ConfigMap.class, "platform-grafana-provisioning")
                .getData()
                .get("datasources.yaml");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(datasources.get())
                    .contains("http://platform-prometheus.monitoring.svc:9090")
                    .contains("name: VictoriaLogs monitoring/logs")
                    .contains("http://logs-victorialogs.monitoring.svc:9428")
                    .doesNotContain("elsewhere"));
    // A pipeline made later reaches the provisioning at once, not at the periodic reconcile.
    var late = new dev.vigil.api.v1alpha1.logpipeline.LogPipeline();
    late.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("late")
            .withNamespace("monitoring")
            .build());
    late.setSpec(new dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec());
    late.getSpec().backends = new dev.vigil.api.v1alpha1.logpipeline.LogBackendsSpec();
    late.getSpec().backends.victoriaLogs =
        new dev.vigil.api.v1alpha1.logpipeline.VictoriaLogsSpec();
    client.resource(late).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(datasources.get()).contains("name: VictoriaLogs monitoring/late"));
    // A dashboards ConfigMap made, changed or deleted later reaches the dashboards at once too.
    java.util.function.Supplier<Map<String, String>> userDashboards =
        () ->
            get(io.fabric8.kubernetes.api.model.ConfigMap.class, "platform-grafana-dashboards-1")
                .getData();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(userDashboards.get())
                    .containsOnlyKeys("monitoring_team-dashboards_good.json"));
    var later =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName("later")
            .withNamespace("monitoring")
            .addToLabels("monitoring.vigil.dev/dashboard", "true")
            .endMetadata()
            .addToData("later.json", "{\"uid\":\"later\",\"title\":\"Later\"}")
            .build();
    client.resource(later).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(userDashboards.get().get("monitoring_later_later.json"))
                    .contains("\"Later\""));
    later.getData().put("later.json", "{\"uid\":\"later\",\"title\":\"Later, changed\"}");
    client.resource(later).update();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(userDashboards.get().get("monitoring_later_later.json"))
                    .contains("Later, changed"));
    int shipped = dev.vigil.reconcilers.grafana.ShippedDashboards.all().size();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(fresh().getStatus().dashboards).isEqualTo(shipped + 2));
    // (The mock server applies as a merge patch, so the key stays in the ConfigMap; on a real API
    // server it goes, DashboardConfigMapsIT. The count says the deletion was reconciled.)
    client.resource(later).delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(fresh().getStatus().dashboards).isEqualTo(shipped + 1));
    assertThat(grafana.getContainers().get(0).getEnv())
        .contains(
            new io.fabric8.kubernetes.api.model.EnvVar(
                "GF_PLUGINS_PREINSTALL", "victoriametrics-logs-datasource", null))
        .noneMatch(e -> e.getName().equals("GF_PLUGINS_PREINSTALL_DISABLED"));
    assertThat(
            get(io.fabric8.kubernetes.api.model.ConfigMap.class, "platform-grafana-dashboards-0")
                .getData())
        .isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              MonitoringStack fresh = fresh();
              assertThat(fresh.getStatus()).isNotNull();
              assertThat(fresh.getStatus().grafanaUrl)
                  .isEqualTo("http://platform-grafana.monitoring.svc:3000");
              Condition dashboards = fresh.getStatus().condition("Dashboards").orElseThrow();
              assertThat(dashboards.getStatus()).isEqualTo("False");
              assertThat(dashboards.getMessage()).contains("team-dashboards", "broken.json");
              assertThat(fresh.getStatus().dashboards)
                  .isEqualTo(dev.vigil.reconcilers.grafana.ShippedDashboards.all().size() + 1);
            });
    // The admin password is kept across reconciles and never leaves its Secret.
    mergePatch("{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(get(Secret.class, "platform-grafana-admin").getData().get("admin-password"))
        .isEqualTo(password);
    assertThat(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(fresh()))
        .doesNotContain(password)
        .doesNotContain(
            new String(java.util.Base64.getDecoder().decode(password), StandardCharsets.UTF_8));
  }

  @Test
  void thanosAddsQueryAndSidecarsAndOneReplicaHasNoBudget() {
    MonitoringStack stack = stack(2, 1);
    stack.getSpec().thanos = new ThanosSpec();
    stack.getSpec().thanos.enabled = true;
    state.stacks.add(stack);
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(get(Deployment.class, "platform-thanos-query")).isNotNull());
    Deployment query = get(Deployment.class, "platform-thanos-query");
    assertThat(query.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains(
            "--endpoint=dnssrv+_grpc._tcp.platform-prometheus-0.monitoring.svc",
            "--endpoint=dnssrv+_grpc._tcp.platform-prometheus-1.monitoring.svc",
            "--query.replica-label=prometheus_replica");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fresh().getStatus().queryUrl)
                    .isEqualTo("http://platform-thanos-query.monitoring.svc:10902"));
    assertThat(
            get(StatefulSet.class, "platform-prometheus-0")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers())
        .extracting(c -> c.getName())
        .contains("thanos-sidecar");
    assertThat(get(PodDisruptionBudget.class, "platform-prometheus-0")).isNull();

    // The shards' pods ready: the stack still waits for Thanos Query, which its queryUrl names.
    for (String shard : List.of("platform-prometheus-0", "platform-prometheus-1")) {
      StatefulSet set = get(StatefulSet.class, shard);
      set.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatus());
      set.getStatus().setReplicas(1);
      set.getStatus().setReadyReplicas(1);
      client.resource(set).updateStatus();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition ready = fresh().getStatus().condition("Ready").orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getMessage()).contains("thanos query 0/1").doesNotContain("shard 0");
            });
    query.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
    query.getStatus().setReadyReplicas(1);
    client.resource(query).updateStatus();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fresh().getStatus().condition("Ready").orElseThrow().getStatus())
                    .isEqualTo("True"));

    // Thanos off: Query goes away.
    mergePatch("{\"spec\":{\"thanos\":{\"enabled\":false}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get(Deployment.class, "platform-thanos-query")).isNull());
  }

  /**
   * Scaled down with {@code whenScaled: Retain}, the removed shard keeps everything it needs to
   * answer queries (StatefulSet, config Secret, governing Service, its Secret in the reloader's
   * Role, its endpoint in Thanos Query) and is recorded in the status; switched to Delete, it goes.
   * (Its endpoint leaving Thanos Query is checked on the real API server, ShardScalingIT: the mock
   * server's matcher does not see a list grow shorter.)
   */
  @Test
  void aRetainedShardKeepsItsObjectsAndThanosEndpointUntilDeleted() {
    MonitoringStack stack = stack(3, 1);
    stack.getSpec().thanos = new ThanosSpec();
    stack.getSpec().thanos.enabled = true;
    stack.getSpec().scraper.shardRetention =
        new dev.vigil.api.v1alpha1.monitoringstack.ShardRetentionSpec();
    stack.getSpec().scraper.shardRetention.whenScaled =
        dev.vigil.api.v1alpha1.monitoringstack.ShardRetentionSpec.WhenScaled.Retain;
    state.stacks.add(stack);
    client.resource(stack).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(get(StatefulSet.class, "platform-prometheus-2")).isNotNull());

    stack.getSpec().scraper.shards = 2;
    mergePatch("{\"spec\":{\"scraper\":{\"shards\":2}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var status = fresh().getStatus();
              assertThat(status.shards).isEqualTo(2);
              assertThat(status.retainedShards).extracting(r -> r.shard).containsExactly(2);
              // Absent retain: the stack's retention, 15d.
              assertThat(
                      java.time.Duration.between(
                          java.time.Instant.parse(status.retainedShards.get(0).since),
                          java.time.Instant.parse(status.retainedShards.get(0).until)))
                  .isEqualTo(Duration.ofDays(15));
              assertThat(status.shardStatuses).hasSize(2);
              assertThat(status.selector).endsWith("monitoring.vigil.dev/shard in (0,1)");
            });
    assertThat(get(StatefulSet.class, "platform-prometheus-2")).isNotNull();
    assertThat(get(Secret.class, "platform-prometheus-2-config")).isNotNull();
    assertThat(get(io.fabric8.kubernetes.api.model.Service.class, "platform-prometheus-2"))
        .isNotNull();
    assertThat(get(Role.class, ReloaderRole.name(stack)).getRules().get(0).getResourceNames())
        .contains("platform-prometheus-2-config");
    assertThat(
            get(Deployment.class, "platform-thanos-query")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .contains("--endpoint=dnssrv+_grpc._tcp.platform-prometheus-2.monitoring.svc");
    // A retained shard evaluates no rules: it has no new samples.
    assertThat(
            gunzip(
                get(Secret.class, "platform-prometheus-2-config")
                    .getData()
                    .get("prometheus.yml.gz")))
        .contains("/sd/v1/monitoring/platform/2/")
        .doesNotContain("rule_files");

    // A spec gone invalid deploys and deletes nothing, and the status keeps the window.
    String since = fresh().getStatus().retainedShards.get(0).since;
    mergePatch("{\"spec\":{\"scraper\":{\"enforcedNamespaceLabel\":\"k8s-namespace\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fresh().getStatus().condition("Ready").orElseThrow().getReason())
                    .isEqualTo("InvalidSpec"));
    assertThat(fresh().getStatus().retainedShards)
        .extracting(r -> r.shard, r -> r.since)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, since));
    assertThat(get(StatefulSet.class, "platform-prometheus-2")).isNotNull();
    mergePatch("{\"spec\":{\"scraper\":{\"enforcedNamespaceLabel\":null}}}");

    mergePatch("{\"spec\":{\"scraper\":{\"shardRetention\":{\"whenScaled\":\"Delete\"}}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(get(StatefulSet.class, "platform-prometheus-2")).isNull();
              assertThat(get(Secret.class, "platform-prometheus-2-config")).isNull();
              assertThat(fresh().getStatus().retainedShards).isNull();
            });
  }

  /**
   * With {@code scraper.autoscaling}, a complete reading of the shards' series sets the count:
   * recorded in status with its time, told in an Event, and every shard's objects follow; a reading
   * of the old count decides nothing more, and a spec gone invalid keeps the count chosen.
   */
  @Test
  void autoscalingGrowsTheStackFromTheSeriesItsShardsHold() {
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().scraper.autoscaling =
        new dev.vigil.api.v1alpha1.monitoringstack.ShardAutoscalingSpec();
    stack.getSpec().scraper.autoscaling.minShards = 1;
    stack.getSpec().scraper.autoscaling.maxShards = 4;
    stack.getSpec().scraper.autoscaling.targetSeriesPerShard = 1000L;
    state.series = new MonitoringState.ShardSeries(new long[] {2500}, java.time.Instant.now(), 0);
    state.stacks.add(stack);
    client.resource(stack).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(fresh().getStatus().shards).isEqualTo(3);
              assertThat(fresh().getStatus().shardsChangedAt).isNotNull();
              assertThat(get(StatefulSet.class, "platform-prometheus-2")).isNotNull();
            });
    // The next reconcile decides nothing: the reading is of 1 shard, not of the 3 there are now.
    state.changed(fresh());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fresh().getStatus().condition("Ready").orElseThrow().getMessage())
                    .endsWith("; autoscaling waits for a reading of every shard."));
    assertThat(fresh().getStatus().shards).isEqualTo(3);
    assertThat(
            client.events().v1().events().inNamespace("monitoring").list().getItems().stream()
                .filter(e -> "ShardsScaled".equals(e.getReason())))
        .singleElement()
        .extracting(io.fabric8.kubernetes.api.model.events.v1.Event::getNote)
        .isEqualTo("Autoscaling: 2500 series over 1 shard(s) pass 1000 a shard: 1 -> 3 shards.");
    String changedAt = fresh().getStatus().shardsChangedAt;

    mergePatch("{\"spec\":{\"scraper\":{\"enforcedNamespaceLabel\":\"k8s-namespace\"}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fresh().getStatus().condition("Ready").orElseThrow().getReason())
                    .isEqualTo("InvalidSpec"));
    assertThat(fresh().getStatus().shards).isEqualTo(3);
    assertThat(fresh().getStatus().shardsChangedAt).isEqualTo(changedAt);
    assertThat(get(StatefulSet.class, "platform-prometheus-2")).isNotNull();
  }

  /**
   * With the switch on, one NetworkPolicy per running component, each selecting its workload's pods
   * and admitting only ports they expose; off, they go. Containers without resources run with the
   * defaults.
   */
  @Test
  void networkPoliciesFollowTheSwitchAndTheWorkloadsPodsAndPorts() {
    MonitoringStack stack = stack(2, 1);
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    stack.getSpec().alertmanager.replicas = 2;
    stack.getSpec().grafana = new dev.vigil.api.v1alpha1.monitoringstack.GrafanaSpec();
    stack.getSpec().grafana.enabled = true;
    stack.getSpec().kubeStateMetrics =
        new dev.vigil.api.v1alpha1.monitoringstack.KubeStateMetricsSpec();
    stack.getSpec().kubeStateMetrics.enabled = true;
    stack.getSpec().thanos = new ThanosSpec();
    stack.getSpec().thanos.enabled = true;
    stack.getSpec().networkPolicy = new dev.vigil.api.v1alpha1.common.NetworkPolicySpec();
    stack.getSpec().networkPolicy.enabled = true;
    state.stacks.add(stack);
    client.resource(stack).create();

    Map<String, java.util.function.Supplier<io.fabric8.kubernetes.api.model.PodTemplateSpec>>
        workloads = new java.util.LinkedHashMap<>();
    workloads.put(
        "platform-prometheus",
        () -> get(StatefulSet.class, "platform-prometheus-1").getSpec().getTemplate());
    workloads.put(
        "platform-alertmanager",
        () -> get(StatefulSet.class, "platform-alertmanager").getSpec().getTemplate());
    workloads.put(
        "platform-grafana",
        () -> get(Deployment.class, "platform-grafana").getSpec().getTemplate());
    workloads.put(
        "platform-kube-state-metrics",
        () -> get(Deployment.class, "platform-kube-state-metrics").getSpec().getTemplate());
    workloads.put(
        "platform-thanos-query",
        () -> get(Deployment.class, "platform-thanos-query").getSpec().getTemplate());
    // A workload not created yet makes its supplier throw a NullPointerException: wait on.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              for (String name : workloads.keySet()) {
                assertThat(get(NetworkPolicy.class, name)).as(name).isNotNull();
                assertThat(workloads.get(name).get()).as(name).isNotNull();
              }
            });
    for (var workload : workloads.entrySet()) {
      StackNetworkPoliciesTest.assertSelectsAndAdmitsOnlyExposedPorts(
          get(NetworkPolicy.class, workload.getKey()), workload.getValue().get());
    }
    assertThat(get(NetworkPolicy.class, "platform-prometheus").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getController()).isTrue());
    // No resources in the stack: the defaults.
    assertThat(
            workloads.get("platform-grafana").get().getSpec().getContainers().get(0).getResources())
        .isEqualTo(dev.vigil.reconcilers.objects.DefaultResources.GRAFANA.requirements());

    mergePatch("{\"spec\":{\"networkPolicy\":{\"enabled\":false}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(NetworkPolicy.class)
                            .inNamespace("monitoring")
                            .list()
                            .getItems())
                    .isEmpty());
    assertThat(get(Deployment.class, "platform-grafana")).isNotNull();
  }

  @Test
  void makesOneTokenAndKeepsIt() {
    state.stacks.add(stack(1, 1));
    client.resource(stack(1, 1)).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(Secret.class, "platform-sd-token") != null);
    Secret secret = get(Secret.class, "platform-sd-token");
    String token = secret.getData().get(ServiceDiscoveryTokenSecret.KEY);
    assertThat(token).isNotBlank();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "vigil")
        .containsEntry("app.kubernetes.io/instance", "platform")
        .containsEntry("app.kubernetes.io/component", "sd-token");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("MonitoringStack"));

    mergePatch("{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(
            get(Secret.class, "platform-sd-token").getData().get(ServiceDiscoveryTokenSecret.KEY))
        .isEqualTo(token);
  }

  @Test
  void withTheOperatorsTlsShardsReadHttpsAndTrustTheCaCopiedBesideTheirToken() {
    operator.stop();
    String firstCa = "-----BEGIN CERTIFICATE-----\nMIIBfirst\n-----END CERTIFICATE-----\n";
    String rotatedCa = "-----BEGIN CERTIFICATE-----\nMIIBrotated\n-----END CERTIFICATE-----\n";
    AtomicReference<String> ca = new AtomicReference<>(firstCa);
    DeploymentSettings tls =
        new DeploymentSettings(
            "https://vigil.vigil-system.svc:8443",
            "vigil/operator:test",
            () -> Optional.ofNullable(ca.get()),
            Tenancy.SINGLE_TEAM);
    operator =
        MockServerOperator.start(
            client,
            new MonitoringStackReconciler(
                Clock.systemUTC(), state, tls, FixedMonitoringState.NO_CHECK));
    state.stacks.add(stack(1, 1));
    client.resource(stack(1, 1)).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(get(Secret.class, "platform-sd-token"))
                    .extracting(Secret::getData)
                    .satisfies(
                        data ->
                            assertThat(data)
                                .containsEntry(
                                    ServiceDiscoveryTokenSecret.CA_KEY, base64(firstCa))));
    String token = get(Secret.class, "platform-sd-token").getData().get("token");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(Secret.class, "platform-prometheus-0-config") != null);
    assertThat(
            gunzip(
                get(Secret.class, "platform-prometheus-0-config")
                    .getData()
                    .get("prometheus.yml.gz")))
        .contains("- url: https://vigil.vigil-system.svc:8443/sd/v1/monitoring/platform/0/")
        .contains("ca_file: /etc/prometheus/sd-token/ca.crt");

    // A new CA reaches the Secret at the next reconcile (here a spec change; the periodic one
    // every 5 minutes at the latest), and the token stays.
    ca.set(rotatedCa);
    mergePatch("{\"spec\":{\"scraper\":{\"replicas\":2}}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(get(Secret.class, "platform-sd-token").getData())
                    .containsEntry(ServiceDiscoveryTokenSecret.CA_KEY, base64(rotatedCa))
                    .containsEntry("token", token));
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
