package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.common.VigilStatus;
import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator runs in-process as the ServiceAccount of manifests/rbac, impersonated on a real API
 * server with RBAC on: a rule missing from the ClusterRole fails here with a 403, as in a cluster.
 */
class OperatorRbacIT {
  static final String INSTANCE = "app.kubernetes.io/instance";
  static final Path RBAC = RealApiServer.REPO.resolve("manifests/rbac");
  static final String NAMESPACE = OperatorAsServiceAccount.NAMESPACE;

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  @BeforeAll
  static void startOperatorAsItsServiceAccount() throws IOException {
    admin = RealApiServer.admin();
    for (String ns : List.of("monitoring", "shop")) {
      RealApiServer.ensureNamespace(ns);
    }
    operator =
        OperatorAsServiceAccount.start(
            List.of(
                "--lease-name=vigil-e2e-lock",
                "--lease-namespace=" + NAMESPACE,
                "--http-port=0",
                "--platform-namespaces=monitoring"),
            new VigilOperator.Runtime(true, false));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void clusterRoleHasNoWildcards() throws IOException {
    ClusterRole role = admin.rbac().clusterRoles().withName("vigil-operator").get();
    assertThat(role.getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getVerbs()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*");
              assertThat(rule.getApiGroups()).doesNotContain("*");
            });
  }

  @Test
  void reconcilesEveryExampleWithOnlyItsOwnRbac() throws IOException {
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    List<HasMetadata> examples = RealApiServer.applyExamples();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
    for (HasMetadata example : examples) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                VigilStatus status = statusOf(example);
                assertThat(status).as(example.getKind()).isNotNull();
                assertThat(status.observedGeneration)
                    .isEqualTo(example.getMetadata().getGeneration());
                assertThat(status.condition("Reconciled"))
                    .map(Condition::getStatus)
                    .hasValue("True");
              });
    }
    // The stack's service-discovery token Secret, applied as the operator's ServiceAccount.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .secrets()
                            .inNamespace("monitoring")
                            .withName("platform-sd-token")
                            .get())
                    .isNotNull()
                    .satisfies(
                        secret ->
                            assertThat(secret.getMetadata().getOwnerReferences())
                                .singleElement()
                                .satisfies(
                                    ref -> assertThat(ref.getName()).isEqualTo("platform"))));
    // The Prometheus objects of both shards, applied with server-side apply by the operator.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (int shard = 0; shard < 2; shard++) {
                String name = "platform-prometheus-" + shard;
                assertThat(
                        admin.apps().statefulSets().inNamespace("monitoring").withName(name).get())
                    .as(name)
                    .isNotNull();
                assertThat(
                        admin.secrets().inNamespace("monitoring").withName(name + "-config").get())
                    .isNotNull();
                assertThat(admin.services().inNamespace("monitoring").withName(name).get())
                    .isNotNull();
                assertThat(
                        admin
                            .policy()
                            .v1()
                            .podDisruptionBudget()
                            .inNamespace("monitoring")
                            .withName(name)
                            .get())
                    .isNotNull();
              }
              assertThat(
                      admin
                          .rbac()
                          .roles()
                          .inNamespace("monitoring")
                          .withName("platform-prometheus-reloader")
                          .get())
                  .isNotNull();
              assertThat(
                      admin
                          .apps()
                          .deployments()
                          .inNamespace("monitoring")
                          .withName("platform-thanos-query")
                          .get())
                  .isNotNull();
              // The example TracingPipeline's collectors, Jaeger and read-only cluster RBAC, which
              // the operator may only grant because it holds the same rights.
              assertThat(
                      admin
                          .apps()
                          .deployments()
                          .inNamespace("shop")
                          .withName("shop-traces-collector")
                          .get())
                  .isNotNull();
              assertThat(
                      admin
                          .apps()
                          .deployments()
                          .inNamespace("shop")
                          .withName("shop-traces-jaeger")
                          .get())
                  .isNotNull();
              // shop is a tenant's namespace: the collectors' read access is a Role there.
              assertThat(
                      admin
                          .rbac()
                          .roles()
                          .inNamespace("shop")
                          .withName("shop-traces-collector")
                          .get())
                  .isNotNull();
              assertThat(
                      admin
                          .rbac()
                          .roleBindings()
                          .inNamespace("shop")
                          .withName("shop-traces-collector")
                          .get())
                  .isNotNull();
              // node-exporter, and kube-state-metrics with the list-and-watch ClusterRole the
              // operator may grant only because it holds the same rights.
              assertThat(
                      admin
                          .apps()
                          .daemonSets()
                          .inNamespace("monitoring")
                          .withName("platform-node-exporter")
                          .get())
                  .isNotNull();
              assertThat(
                      admin
                          .rbac()
                          .clusterRoles()
                          .withName("vigil-monitoring-platform-kube-state-metrics-70f84587c9")
                          .get())
                  .isNotNull();
              // Grafana, provisioned, with the admin Secret the example names.
              assertThat(
                      admin
                          .apps()
                          .deployments()
                          .inNamespace("monitoring")
                          .withName("platform-grafana")
                          .get())
                  .isNotNull();
              // The example AlertPolicy's rules, in the stack's rule ConfigMap.
              assertThat(
                      admin
                          .configMaps()
                          .inNamespace("monitoring")
                          .withName("platform-prometheus-rules-0")
                          .get())
                  .isNotNull()
                  .satisfies(c -> assertThat(c.getData()).containsKey("shop_checkout-slo.yaml"));
            });
    // The Lease proves leader election worked with the Role in vigil-system.
    assertThat(admin.leases().inNamespace(NAMESPACE).withName("vigil-e2e-lock").get()).isNotNull();
  }

  /**
   * Turning a part off deletes what it made, with the operator's own RBAC: a missing delete verb
   * (as for ServiceAccounts once) makes every later reconcile of the stack fail.
   */
  @Test
  void turningEveryOptionalPartOffDeletesItsObjects() {
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    String stack =
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: optional, namespace: monitoring}
        spec:
          alertmanager: {enabled: %1$s, replicas: 2}
          grafana: {enabled: %1$s}
          nodeAgent: {enabled: %1$s}
          kubeStateMetrics: {enabled: %1$s}
          thanos: {enabled: %1$s}
        """;
    applyYaml(stack.formatted("true"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(optionalParts())
                    .contains(
                        "ServiceAccount optional-kube-state-metrics",
                        "ClusterRole vigil-monitoring-optional-kube-state-metrics-e4c7bf03de",
                        "DaemonSet optional-node-exporter",
                        "Deployment optional-thanos-query",
                        "StatefulSet optional-alertmanager",
                        "Deployment optional-grafana"));
    applyYaml(stack.formatted("false"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(optionalParts()).isEmpty();
              VigilStatus status =
                  admin
                      .resources(MonitoringStack.class)
                      .inNamespace("monitoring")
                      .withName("optional")
                      .get()
                      .getStatus();
              assertThat(status.observedGeneration).isEqualTo(2L);
              assertThat(status.condition("Reconciled")).map(Condition::getStatus).hasValue("True");
            });
    admin.resources(MonitoringStack.class).inNamespace("monitoring").withName("optional").delete();
  }

  /**
   * spec.networkPolicy on the real API server, which validates every NetworkPolicy: one per running
   * component, applied with the operator's own RBAC, each selecting its workload's pods and
   * admitting only ports they expose; switched off, they are deleted. Containers the user gave no
   * resources run with Vigil's defaults, the others with the user's.
   */
  @Test
  void networkPoliciesAreAcceptedAndFollowTheSwitch() {
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    String objects =
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: fenced, namespace: monitoring}
        spec:
          scraper:
            resources: {requests: {cpu: 250m, memory: 1Gi}, limits: {memory: 3Gi}}
          alertmanager: {enabled: true, replicas: 2}
          grafana: {enabled: true}
          kubeStateMetrics: {enabled: true}
          thanos: {enabled: true}
          networkPolicy:
            enabled: %1$s
            additionalIngressFrom:
              - ipBlock: {cidr: 10.20.0.0/16, except: [10.20.1.0/24]}
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: TracingPipeline
        metadata: {name: fenced-traces, namespace: shop}
        spec:
          exporters:
            jaeger: {storage: memory}
          networkPolicy: {enabled: %1$s}
        """;
    applyYaml(objects.formatted("true"));
    Map<String, String> stackPolicies =
        Map.of(
            "fenced-prometheus", "StatefulSet fenced-prometheus-0",
            "fenced-alertmanager", "StatefulSet fenced-alertmanager",
            "fenced-grafana", "Deployment fenced-grafana",
            "fenced-kube-state-metrics", "Deployment fenced-kube-state-metrics",
            "fenced-thanos-query", "Deployment fenced-thanos-query");
    Map<String, String> pipelinePolicies =
        Map.of(
            "fenced-traces-collector", "Deployment fenced-traces-collector",
            "fenced-traces-jaeger", "Deployment fenced-traces-jaeger");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              checkPolicies("monitoring", stackPolicies);
              checkPolicies("shop", pipelinePolicies);
            });
    NetworkPolicy prometheus =
        admin
            .network()
            .v1()
            .networkPolicies()
            .inNamespace("monitoring")
            .withName("fenced-prometheus")
            .get();
    assertThat(prometheus.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(
            prometheus
                .getSpec()
                .getIngress()
                .get(prometheus.getSpec().getIngress().size() - 1)
                .getFrom())
        .extracting(p -> p.getIpBlock() == null ? null : p.getIpBlock().getCidr())
        .containsExactly("10.20.0.0/16", null);
    // The user's resources on Prometheus; Vigil's defaults where the stack sets none.
    var shard =
        admin.apps().statefulSets().inNamespace("monitoring").withName("fenced-prometheus-0").get();
    var prometheusContainer = shard.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(prometheusContainer.getResources().getLimits().get("memory")).hasToString("3Gi");
    assertThat(prometheusContainer.getResources().getRequests().get("cpu")).hasToString("250m");
    var grafana =
        admin.apps().deployments().inNamespace("monitoring").withName("fenced-grafana").get();
    var grafanaResources =
        grafana.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(grafanaResources.getRequests().get("memory")).hasToString("128Mi");
    assertThat(grafanaResources.getLimits()).containsOnlyKeys("memory");
    assertThat(grafanaResources.getLimits().get("memory")).hasToString("512Mi");
    for (var container : shard.getSpec().getTemplate().getSpec().getContainers()) {
      assertThat(container.getResources().getLimits())
          .as(container.getName() + " has a memory limit")
          .containsKey("memory");
    }

    applyYaml(objects.formatted("false"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      admin
                          .network()
                          .v1()
                          .networkPolicies()
                          .inNamespace("monitoring")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      admin.network().v1().networkPolicies().inNamespace("shop").list().getItems())
                  .isEmpty();
              VigilStatus status =
                  admin
                      .resources(MonitoringStack.class)
                      .inNamespace("monitoring")
                      .withName("fenced")
                      .get()
                      .getStatus();
              assertThat(status.observedGeneration).isEqualTo(2L);
              assertThat(status.condition("Reconciled")).map(Condition::getStatus).hasValue("True");
            });
    assertThat(
            admin.apps().deployments().inNamespace("monitoring").withName("fenced-grafana").get())
        .isNotNull();
    admin.resources(MonitoringStack.class).inNamespace("monitoring").withName("fenced").delete();
    admin.resources(TracingPipeline.class).inNamespace("shop").withName("fenced-traces").delete();
  }

  /**
   * Each policy exists, owned by its stack or pipeline, and selects the pods of the workload it is
   * named after, admitting only ports their containers expose ({@code policy -> "Kind name"}).
   */
  private static void checkPolicies(String namespace, Map<String, String> policies) {
    for (Map.Entry<String, String> entry : policies.entrySet()) {
      NetworkPolicy policy =
          admin
              .network()
              .v1()
              .networkPolicies()
              .inNamespace(namespace)
              .withName(entry.getKey())
              .get();
      assertThat(policy).as(entry.getKey()).isNotNull();
      assertThat(policy.getMetadata().getOwnerReferences()).singleElement();
      String[] workload = entry.getValue().split(" ");
      io.fabric8.kubernetes.api.model.PodTemplateSpec template =
          workload[0].equals("StatefulSet")
              ? admin
                  .apps()
                  .statefulSets()
                  .inNamespace(namespace)
                  .withName(workload[1])
                  .get()
                  .getSpec()
                  .getTemplate()
              : admin
                  .apps()
                  .deployments()
                  .inNamespace(namespace)
                  .withName(workload[1])
                  .get()
                  .getSpec()
                  .getTemplate();
      assertThat(template.getMetadata().getLabels())
          .as(entry.getKey() + " selects " + entry.getValue())
          .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
      List<String> exposed =
          template.getSpec().getContainers().stream()
              .flatMap(c -> c.getPorts().stream())
              .map(p -> p.getContainerPort() + "/" + p.getProtocol())
              .toList();
      assertThat(exposed)
          .as(entry.getKey() + " admits only exposed ports")
          .containsAll(
              policy.getSpec().getIngress().stream()
                  .flatMap(r -> r.getPorts().stream())
                  .map(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                  .toList());
    }
  }

  private static void applyYaml(String yaml) {
    RealApiServer.apply(admin, yaml);
  }

  /** "Kind name" of every live object the optional parts of the stack "optional" made. */
  private static List<String> optionalParts() {
    List<HasMetadata> made = new java.util.ArrayList<>();
    for (Class<? extends HasMetadata> type :
        List.of(
            io.fabric8.kubernetes.api.model.ServiceAccount.class,
            io.fabric8.kubernetes.api.model.Service.class,
            io.fabric8.kubernetes.api.model.Secret.class,
            io.fabric8.kubernetes.api.model.ConfigMap.class,
            io.fabric8.kubernetes.api.model.apps.Deployment.class,
            io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
            io.fabric8.kubernetes.api.model.apps.DaemonSet.class,
            io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class)) {
      made.addAll(
          admin
              .resources(type)
              .inNamespace("monitoring")
              .withLabel(INSTANCE, "optional")
              .list()
              .getItems());
    }
    made.addAll(admin.rbac().clusterRoles().withLabel(INSTANCE, "optional").list().getItems());
    made.addAll(
        admin.rbac().clusterRoleBindings().withLabel(INSTANCE, "optional").list().getItems());
    return made.stream()
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .filter(
            o ->
                List.of("alertmanager", "grafana", "thanos", "kube-state-metrics", "node-exporter")
                    .stream()
                    .anyMatch(
                        part ->
                            o.getMetadata()
                                .getLabels()
                                .getOrDefault("app.kubernetes.io/component", "")
                                .startsWith(part)))
        .map(o -> o.getKind() + " " + o.getMetadata().getName())
        .sorted()
        .toList();
  }

  @Test
  void reportsABrokenMonitorInStatusAndAnEvent() throws IOException {
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    ServiceMonitor monitor =
        admin
            .getKubernetesSerialization()
            .unmarshal(
                Files.readString(
                    RealApiServer.REPO.resolve("manifests/examples/servicemonitor.yaml")),
                ServiceMonitor.class);
    monitor.getMetadata().setName("broken-regex");
    RelabelConfig broken = new RelabelConfig();
    broken.sourceLabels = List.of("__name__");
    broken.regex = "(unclosed";
    broken.action = RelabelConfig.Action.drop;
    monitor.getSpec().endpoints.get(0).metricRelabelings = List.of(broken);
    admin.resource(monitor).fieldManager("vigil-e2e").forceConflicts().serverSideApply();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ServiceMonitor fresh =
                  admin
                      .resources(ServiceMonitor.class)
                      .inNamespace("shop")
                      .withName("broken-regex")
                      .get();
              assertThat(fresh.getStatus()).isNotNull();
              Condition ready = fresh.getStatus().condition("Ready").orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).contains("metricRelabelings[0].regex \"(unclosed\"");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(admin.resources(Event.class).inNamespace("shop").list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getRegarding().getName()).isEqualTo("broken-regex");
                          assertThat(e.getReason()).isEqualTo("InvalidSpec");
                          assertThat(e.getType()).isEqualTo("Warning");
                        }));
  }

  @Test
  void theServiceAccountCannotCreateStacksOrDeleteNamespaces() {
    assertThatThrownBy(() -> operator.client().namespaces().withName("shop").delete())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("not-allowed")
            .withNamespace("monitoring")
            .build());
    stack.setSpec(new dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec());
    assertThatThrownBy(() -> operator.client().resource(stack).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  static final Map<String, Class<? extends CustomResource<?, ? extends VigilStatus>>> TYPES =
      Map.of(
          "MonitoringStack", MonitoringStack.class,
          "ServiceMonitor", ServiceMonitor.class,
          "PodMonitor", PodMonitor.class,
          "AlertPolicy", AlertPolicy.class,
          "TracingPipeline", TracingPipeline.class,
          "Instrumentation", Instrumentation.class,
          "LogPipeline", dev.vigil.api.v1alpha1.logpipeline.LogPipeline.class);

  static VigilStatus statusOf(HasMetadata example) {
    CustomResource<?, ? extends VigilStatus> fresh =
        admin
            .resources(TYPES.get(example.getKind()))
            .inNamespace(example.getMetadata().getNamespace())
            .withName(example.getMetadata().getName())
            .get();
    return fresh.getStatus();
  }
}
