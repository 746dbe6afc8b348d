package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/tenancy.md, "Namespaces that opt in": with {@code --namespace-opt-in=true} a platform stack
 * selecting every namespace takes in only the namespaces whose annotation names it, copies
 * credentials only from those, says so in its NamespaceScope condition, and takes in a namespace
 * within seconds of it opting in.
 */
class NamespaceOptInIT {
  static final String PLATFORM = "optin-mon";
  static final String SHOP = "optin-shop";
  static final String LEDGER = "optin-ledger";
  static final String ANNOTATION = "monitoring.vigil.dev/selectable-by";

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    apply(
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: optin-mon}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: optin-shop
          annotations: {monitoring.vigil.dev/selectable-by: "optin-mon/other, optin-mon/platform"}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: optin-ledger}
        """);
    for (String ns : List.of(SHOP, LEDGER)) {
      apply(
          """
          apiVersion: v1
          kind: Secret
          metadata: {name: token, namespace: %1$s}
          stringData: {token: %1$s-token}
          ---
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: ServiceMonitor
          metadata: {name: app, namespace: %1$s}
          spec:
            selector: {matchLabels: {app: app}}
            endpoints:
              - port: metrics
                authorization: {credentials: {name: token, key: token}}
          """
              .formatted(ns));
    }
    apply(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: platform, namespace: optin-mon}
        spec:
          monitorSelector: {namespaceSelector: {}}
        """);
    operator =
        OperatorAsServiceAccount.start(
            List.of(
                "--leader-election=false",
                "--http-port=0",
                "--watch-namespaces=" + String.join(",", PLATFORM, SHOP, LEDGER),
                "--platform-namespaces=" + PLATFORM,
                "--namespace-opt-in=true"),
            new VigilOperator.Runtime(true, false));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aPlatformStackTakesInOnlyTheNamespacesThatOptIn() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> credentialKeys().stream().anyMatch(k -> k.startsWith("secret_optin-shop_")));
    assertThat(credentialKeys()).noneMatch(k -> k.startsWith("secret_optin-ledger_"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack().getStatus() != null && stack().getStatus().monitors != null);
    MonitoringStack stack = stack();
    assertThat(stack.getStatus().monitors).as("monitors taken in").isEqualTo(1);
    assertThat(stack.getStatus().condition("NamespaceScope"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .contains("monitoring.vigil.dev/selectable-by: optin-mon/platform"));

    admin
        .namespaces()
        .withName(LEDGER)
        .edit(
            n -> {
              n.getMetadata().setAnnotations(Map.of(ANNOTATION, "*"));
              return n;
            });
    long start = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> credentialKeys().stream().anyMatch(k -> k.startsWith("secret_optin-ledger_")));
    System.out.printf(
        "NamespaceOptInIT: a namespace opting in reached the stack's credentials in %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
  }

  static MonitoringStack stack() {
    return admin.resources(MonitoringStack.class).inNamespace(PLATFORM).withName("platform").get();
  }

  static java.util.Set<String> credentialKeys() {
    Secret credentials =
        admin.secrets().inNamespace(PLATFORM).withName("platform-prometheus-credentials").get();
    return credentials == null || credentials.getData() == null
        ? java.util.Set.of()
        : credentials.getData().keySet();
  }

  static void apply(String yaml) {
    RealApiServer.apply(admin, yaml);
  }
}
