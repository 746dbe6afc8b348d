package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.StackServiceDiscovery;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Many teams, one Vigil (docs/tenancy.md), on the real API server with RBAC on: a tenant user in
 * {@code tenancy-a}, with the RBAC an admin gives a team (Vigil's kinds, Pods and Secrets in its
 * own namespace, nothing else), tries every escape and each fails with a condition that names the
 * field and the rule; the platform stack still selects everything it may; nothing of {@code
 * tenancy-b} shows up in {@code tenancy-a}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenancyIT {
  static final String PLATFORM = "tenancy-platform";
  static final String TEAM_A = "tenancy-a";
  static final String TEAM_B = "tenancy-b";
  static final String ALICE = "alice@team-a";

  /** Team B's database password: found nowhere in team A, plain or base64. */
  static final String CANARY = "tenancy-canary-b-7e1f";

  /** Team A's API token: found nowhere in team B, plain or base64. */
  static final String CANARY_A = "tenancy-canary-a-41c9";

  /** Not UTF-8 text: the start of a DER certificate. */
  static final byte[] BINARY = {0x30, (byte) 0x82, 0x01, (byte) 0xff, 0x00, (byte) 0xc3};

  static KubernetesClient admin;
  static KubernetesClient alice;
  static OperatorAsServiceAccount operator;

  @BeforeAll
  static void twoTeamsAndAPlatform() throws Exception {
    admin = RealApiServer.admin();
    for (String ns : List.of(PLATFORM, TEAM_A, TEAM_B, "tn-a-b", "tn-a")) {
      RealApiServer.ensureNamespace(ns);
    }
    apply(
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: team, namespace: tenancy-a}
        rules:
          - apiGroups: [monitoring.vigil.dev]
            resources: [monitoringstacks, servicemonitors, podmonitors, alertpolicies, tracingpipelines]
            verbs: [get, list, watch, create, update, patch, delete]
          - apiGroups: [""]
            resources: [pods, secrets]
            verbs: [get, list, watch, create, update, patch, delete]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: team, namespace: tenancy-a}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: team}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice@team-a}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: tenancy-b}
        stringData: {password: tenancy-canary-b-7e1f}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: tenancy-b, labels: {app: db}}
        spec:
          ports: [{name: metrics, port: 9187}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: db-x1
          namespace: tenancy-b
          labels: {kubernetes.io/service-name: db}
        addressType: IPv4
        ports: [{name: metrics, port: 9187, protocol: TCP}]
        endpoints:
          - addresses: [10.2.0.7]
            conditions: {ready: true}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: db, namespace: tenancy-b, labels: {team: b}}
        spec:
          selector: {matchLabels: {app: db}}
          endpoints:
            - port: metrics
              authorization: {credentials: {name: db, key: password}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: api, namespace: tenancy-a}
        stringData: {token: tenancy-canary-a-41c9}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: api, namespace: tenancy-a, labels: {team: a}}
        spec:
          selector: {matchLabels: {app: api}}
          endpoints:
            - port: metrics
              authorization: {credentials: {name: api, key: token}}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: platform, namespace: tenancy-platform}
        spec:
          monitorSelector: {namespaceSelector: {}}
          policySelector: {namespaceSelector: {}}
        """);
    operator =
        OperatorAsServiceAccount.start(
            List.of(
                "--leader-election=false",
                "--http-port=0",
                "--watch-namespaces="
                    + String.join(",", PLATFORM, TEAM_A, TEAM_B, "tn-a-b", "tn-a"),
                "--platform-namespaces=" + String.join(",", PLATFORM, "tn-a-b", "tn-a")),
            new VigilOperator.Runtime(true, false));
    alice = RealApiServer.clientAsUser(ALICE);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (alice != null) {
      alice.close();
    }
  }

  @Test
  @Order(1)
  void theTenantsRbacIsWhatAnAdminGivesATeam() {
    assertThatThrownBy(() -> alice.secrets().inNamespace(TEAM_B).withName("db").get())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    assertThat(alice.secrets().inNamespace(TEAM_A).list().getItems()).isNotNull();
  }

  @Test
  @Order(2)
  void aTenantsStackCannotSelectAnotherTeamsMonitorsNorCopyTheirCredentials() {
    asAlice(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: steal, namespace: tenancy-a}
        spec:
          monitorSelector: {namespaceSelector: {}}
          policySelector: {namespaceSelector: {}}
          kubeStateMetrics: {enabled: true}
        """);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              MonitoringStack stack = get(MonitoringStack.class, TEAM_A, "steal");
              assertThat(stack.getStatus()).isNotNull();
              Condition scope = stack.getStatus().condition("NamespaceScope").orElseThrow();
              assertThat(scope.getReason()).isEqualTo("TenantStack");
              assertThat(scope.getMessage())
                  .contains(
                      "selects monitors and policies in tenancy-a only",
                      "spec.monitorSelector.namespaceSelector and"
                          + " spec.policySelector.namespaceSelector are ignored");
              // Team A's own monitor (api), not team B's db.
              assertThat(stack.getStatus().monitors).isEqualTo(1);
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(admin.events().v1().events().inNamespace(TEAM_A).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("TenantStack");
                          assertThat(e.getRegarding().getName()).isEqualTo("steal");
                        }));
    // Its kube-state-metrics reads its own namespace through a Role: no cluster-wide read.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .rbac()
                            .roleBindings()
                            .inNamespace(TEAM_A)
                            .withName("steal-kube-state-metrics")
                            .get())
                    .isNotNull());
    assertThat(
            admin
                .rbac()
                .clusterRoles()
                .withName(ClusterAccess.name(TEAM_A, "steal-kube-state-metrics"))
                .get())
        .isNull();
    assertThat(
            admin.rbac().clusterRoleBindings().list().getItems().stream()
                .flatMap(b -> b.getSubjects() == null ? Stream.empty() : b.getSubjects().stream())
                .filter(subject -> TEAM_A.equals(subject.getNamespace())))
        .as("cluster-wide grants to ServiceAccounts of %s", TEAM_A)
        .isEmpty();
    Secret credentials =
        admin.secrets().inNamespace(TEAM_A).withName("steal-prometheus-credentials").get();
    assertThat(credentials == null ? List.of() : credentials.getData().keySet())
        .noneSatisfy(key -> assertThat(key).contains(TEAM_B));
    // The platform stack, meanwhile, takes team B's monitor in and copies its credential.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .secrets()
                            .inNamespace(PLATFORM)
                            .withName("platform-prometheus-credentials")
                            .get()
                            .getData())
                    .containsKey("secret_tenancy-b_db_password"));
  }

  @Test
  @Order(3)
  void aTenantsMonitorCannotNameAnotherTeamsMountedSecretAsAFile() {
    asAlice(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: sneaky, namespace: tenancy-a}
        spec:
          selector: {matchLabels: {app: web}}
          endpoints:
            - port: metrics
              bearerTokenFile: /etc/prometheus/secrets/tenancy-b/db/password
        """);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ServiceMonitor monitor = get(ServiceMonitor.class, TEAM_A, "sneaky");
              assertThat(monitor.getStatus()).isNotNull();
              assertThat(monitor.getStatus().bindings)
                  .anySatisfy(
                      binding -> {
                        assertThat(binding.namespace).isEqualTo(PLATFORM);
                        assertThat(binding.conditions)
                            .anySatisfy(
                                c -> {
                                  assertThat(c.getType()).isEqualTo("Accepted");
                                  assertThat(c.getStatus()).isEqualTo("False");
                                  assertThat(c.getMessage())
                                      .contains(
                                          "spec.endpoints[0].bearerTokenFile: file paths are"
                                              + " refused outside the platform namespaces");
                                });
                      });
            });
    // Left out of the shard's configuration; team B's own monitor reads its password there.
    assertThat(platformConfig())
        .doesNotContain("job_name: serviceMonitor/tenancy-a/sneaky/0")
        .contains("job_name: serviceMonitor/tenancy-b/db/0");
  }

  @Test
  @Order(4)
  void aTenantsMonitorDiscoversInItsOwnNamespaceOnly() throws Exception {
    asAlice(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: wide, namespace: tenancy-a}
        spec:
          namespaceSelector: {any: true}
          selector: {matchLabels: {app: db}}
          endpoints: [{port: metrics}]
        """);
    // The same monitor in the platform's namespace finds team B's database: the check can see it.
    apply(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: wide, namespace: tenancy-platform}
        spec:
          namespaceSelector: {any: true}
          selector: {matchLabels: {app: db}}
          endpoints: [{port: metrics}]
        """);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(targets("serviceMonitor/tenancy-platform/wide/0"))
                    .containsExactly("10.2.0.7:9187"));
    assertThat(targets("serviceMonitor/tenancy-a/wide/0")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(get(ServiceMonitor.class, TEAM_A, "wide").getStatus().conditions)
                    .anySatisfy(
                        c ->
                            assertThat(c.getMessage())
                                .contains(
                                    "spec.namespaceSelector is ignored: outside the operator's"
                                        + " platform namespaces a monitor discovers targets in its"
                                        + " own namespace (tenancy-a) only.")));
  }

  @Test
  @Order(5)
  void aBinaryCredentialIsCopiedByteForByte() {
    alice
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("binary-token")
                .withNamespace(TEAM_A)
                .endMetadata()
                .addToData("token", Base64.getEncoder().encodeToString(BINARY))
                .build())
        .create();
    asAlice(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: binary, namespace: tenancy-a}
        spec:
          selector: {matchLabels: {app: web}}
          endpoints:
            - port: metrics
              authorization: {credentials: {name: binary-token, key: token}}
        """);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String copied =
                  admin
                      .secrets()
                      .inNamespace(PLATFORM)
                      .withName("platform-prometheus-credentials")
                      .get()
                      .getData()
                      .get("secret_tenancy-a_binary-token_token");
              assertThat(copied).isNotNull();
              assertThat(Base64.getDecoder().decode(copied)).isEqualTo(BINARY);
            });
  }

  @Test
  @Order(6)
  void twoStacksWhoseNamesLineUpGetTwoClusterRoles() {
    // Namespace tn-a-b with stack c, namespace tn-a with stack b-c: once one name.
    for (String[] stack : List.of(new String[] {"tn-a-b", "c"}, new String[] {"tn-a", "b-c"})) {
      apply(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: MonitoringStack
          metadata: {name: %s, namespace: %s}
          spec:
            kubeStateMetrics: {enabled: true}
          """
              .formatted(stack[1], stack[0]));
    }
    String first = ClusterAccess.name("tn-a-b", "c-kube-state-metrics");
    String second = ClusterAccess.name("tn-a", "b-c-kube-state-metrics");
    assertThat(first).isNotEqualTo(second);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(binding(first)).isNotNull();
              assertThat(binding(second)).isNotNull();
            });
    assertThat(binding(first).getSubjects().get(0).getNamespace()).isEqualTo("tn-a-b");
    assertThat(binding(second).getSubjects().get(0).getNamespace()).isEqualTo("tn-a");

    admin.resources(MonitoringStack.class).inNamespace("tn-a-b").withName("c").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(binding(first)).isNull());
    assertThat(binding(second)).isNotNull();
    assertThat(admin.rbac().clusterRoles().withName(second).get()).isNotNull();
  }

  @Test
  @Order(7)
  void aTenantsCollectorsReadTheirOwnNamespaceThroughARole() {
    asAlice(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: TracingPipeline
        metadata: {name: traces, namespace: tenancy-a}
        spec:
          processors:
            k8sAttributes:
              metadata: [k8s.namespace.name, k8s.pod.name, k8s.node.uid]
          exporters:
            otlp: [{name: tempo, endpoint: "tempo.tenancy-a.svc:4317"}]
        """);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      admin
                          .rbac()
                          .roleBindings()
                          .inNamespace(TEAM_A)
                          .withName("traces-collector")
                          .get())
                  .isNotNull();
              assertThat(
                      admin.rbac().roles().inNamespace(TEAM_A).withName("traces-collector").get())
                  .satisfies(
                      role ->
                          assertThat(role.getRules())
                              .flatExtracting(r -> r.getResources())
                              .containsExactly("pods"));
            });
    assertThat(
            admin
                .rbac()
                .clusterRoles()
                .withName(ClusterAccess.name(TEAM_A, "traces-collector"))
                .get())
        .isNull();
  }

  /**
   * Both ways: team B's password in nothing of team A, team A's token in nothing of team B
   * (SecretsNeverLeakIT searches every ConfigMap, Event, workload, status and log line of the suite
   * for both too).
   */
  @Test
  @Order(8)
  void nothingOfOneTeamShowsUpInTheOther() {
    // Team A's token is in use: the platform stack copied it for its shards.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin
                    .secrets()
                    .inNamespace(PLATFORM)
                    .withName("platform-prometheus-credentials")
                    .get()
                    .getData()
                    .containsKey("secret_tenancy-a_api_token"));
    assertThat(holding(TEAM_A, CANARY))
        .as("objects in %s holding team B's secret", TEAM_A)
        .isEmpty();
    assertThat(holding(TEAM_B, CANARY_A))
        .as("objects in %s holding team A's secret", TEAM_B)
        .isEmpty();
  }

  /** The objects of the namespace whose JSON holds the value, plain or base64. */
  static List<String> holding(String namespace, String value) {
    String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    List<String> places = new ArrayList<>();
    Stream.of(
            admin.secrets().inNamespace(namespace).list().getItems().stream(),
            admin.configMaps().inNamespace(namespace).list().getItems().stream(),
            admin.events().v1().events().inNamespace(namespace).list().getItems().stream(),
            admin.v1().events().inNamespace(namespace).list().getItems().stream(),
            admin
                .resources(MonitoringStack.class)
                .inNamespace(namespace)
                .list()
                .getItems()
                .stream(),
            admin.resources(ServiceMonitor.class).inNamespace(namespace).list().getItems().stream(),
            admin.resources(PodMonitor.class).inNamespace(namespace).list().getItems().stream(),
            admin.resources(AlertPolicy.class).inNamespace(namespace).list().getItems().stream(),
            admin
                .resources(TracingPipeline.class)
                .inNamespace(namespace)
                .list()
                .getItems()
                .stream())
        .flatMap(s -> s)
        .filter(o -> !isTheTeamsOwnSecret(o, value))
        .forEach(
            object -> {
              String text = admin.getKubernetesSerialization().asJson(object);
              if (text.contains(value) || text.contains(base64)) {
                places.add(object.getKind() + " " + object.getMetadata().getName());
              }
            });
    return places;
  }

  /** The Secret the value belongs to, in its own namespace: where it is meant to be. */
  static boolean isTheTeamsOwnSecret(HasMetadata object, String value) {
    return object instanceof io.fabric8.kubernetes.api.model.Secret
        && ((value.equals(CANARY) && object.getMetadata().getName().equals("db"))
            || (value.equals(CANARY_A) && object.getMetadata().getName().equals("api")));
  }

  // ---------------------------------------------------------------- helpers

  static void apply(String yaml) {
    RealApiServer.apply(admin, yaml);
  }

  /** Creates the objects as the tenant user: what the team's RBAC allows, nothing more. */
  static void asAlice(String yaml) {
    for (HasMetadata object :
        alice
            .load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .items()) {
      alice.resource(object).fieldManager("alice").forceConflicts().serverSideApply();
    }
  }

  static <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
    return admin.resources(type).inNamespace(namespace).withName(name).get();
  }

  static ClusterRoleBinding binding(String name) {
    return admin.rbac().clusterRoleBindings().withName(name).get();
  }

  static String platformConfig() {
    Secret config =
        admin.secrets().inNamespace(PLATFORM).withName("platform-prometheus-0-config").get();
    assertThat(config).isNotNull();
    try (var in =
        new java.util.zip.GZIPInputStream(
            new java.io.ByteArrayInputStream(
                Base64.getDecoder().decode(config.getData().get("prometheus.yml.gz"))))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The targets the platform stack's shard 0 is served for a job. */
  static List<String> targets(String job) throws Exception {
    return new StackServiceDiscovery(admin, operator.vigil().httpPort(), PLATFORM, "platform", 0)
        .targets(job);
  }
}
