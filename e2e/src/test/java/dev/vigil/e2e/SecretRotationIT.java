package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, hole 9: a rotated scrape token and a rotated receiver key reach the stack's credentials
 * Secrets in seconds, not at the next 5-minute reconcile; a referenced Secret created after the
 * stack, and one deleted, do too. The operator runs as its ServiceAccount on the real API server,
 * so the watch by name runs under the RBAC Vigil ships.
 */
class SecretRotationIT {
  static final String STACK_NS = "rotation-mon";
  static final String APP_NS = "rotation-app";

  /** Five minutes is the periodic reconcile; a rotation must arrive well within this. */
  static final Duration WITHIN = Duration.ofSeconds(15);

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;
  static final Map<String, String> figures = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(STACK_NS);
    RealApiServer.ensureNamespace(APP_NS);
    apply(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: api-token, namespace: rotation-app}
        stringData: {token: first-token}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: oncall, namespace: rotation-app}
        stringData: {url: "https://hooks.invalid/first"}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: api, namespace: rotation-app}
        spec:
          selector: {matchLabels: {app: api}}
          endpoints:
            - port: metrics
              authorization: {credentials: {name: api-token, key: token}}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: admin, namespace: rotation-app}
        spec:
          selector: {matchLabels: {app: api}}
          endpoints:
            - port: admin
              authorization: {credentials: {name: later, key: token}}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: AlertPolicy
        metadata: {name: api, namespace: rotation-app}
        spec:
          groups:
            - name: api
              rules:
                - alert: ApiDown
                  expr: up{job="api"} == 0
          routing:
            receivers:
              - name: oncall
                webhook:
                  urlSecret: {name: oncall, key: url}
            route:
              receiver: oncall
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: stack, namespace: rotation-mon}
        spec:
          monitorSelector: {namespaceSelector: {}}
          policySelector: {namespaceSelector: {}}
          alertmanager: {enabled: true, replicas: 1}
        """);
    operator =
        OperatorAsServiceAccount.start(
            List.of(
                "--leader-election=false",
                "--http-port=0",
                "--watch-namespaces=" + STACK_NS + "," + APP_NS,
                "--platform-namespaces=" + STACK_NS),
            new VigilOperator.Runtime(true, false));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    StringBuilder report = new StringBuilder("SecretRotationIT figures:\n");
    figures.forEach((k, v) -> report.append("  ").append(k).append(": ").append(v).append('\n'));
    System.out.print(report);
  }

  @Test
  void rotatedCreatedAndDeletedSecretsReachTheStackInSeconds() {
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "first-token".equals(copied("stack-prometheus-credentials", "api-token")));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "stack: "
              + admin
                  .resources(dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack.class)
                  .inNamespace(STACK_NS)
                  .withName("stack")
                  .get()
                  .getStatus()
                  .conditions
              + "\nmonitor: "
              + admin
                  .resources(ServiceMonitor.class)
                  .inNamespace(APP_NS)
                  .withName("api")
                  .get()
                  .getStatus(),
          e);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "https://hooks.invalid/first"
                    .equals(copied("stack-alertmanager-credentials", "oncall")));

    figures.put(
        "scrape token rotated → stack-prometheus-credentials",
        rotate("api-token", "token", "second-token", "stack-prometheus-credentials"));
    figures.put(
        "receiver key rotated → stack-alertmanager-credentials",
        rotate("oncall", "url", "https://hooks.invalid/second", "stack-alertmanager-credentials"));
    await().atMost(Duration.ofSeconds(60)).until(() -> "False".equals(accepted("admin")));
    long created = System.nanoTime();
    figures.put(
        "missing Secret created → stack-prometheus-credentials",
        rotate("later", "token", "created-later", "stack-prometheus-credentials"));
    await().atMost(WITHIN).until(() -> "True".equals(accepted("admin")));
    figures.put("missing Secret created → the monitor Accepted=True", millis(created));

    long start = System.nanoTime();
    admin.secrets().inNamespace(APP_NS).withName("later").delete();
    await()
        .atMost(WITHIN)
        .until(() -> !"created-later".equals(copied("stack-prometheus-credentials", "later")));
    figures.put("referenced Secret deleted", millis(start));
  }

  /** Writes a new value and returns how long until the stack's Secret holds it. */
  static String rotate(String secret, String key, String value, String credentials) {
    long start = System.nanoTime();
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .withNamespace(APP_NS)
                .endMetadata()
                .withStringData(Map.of(key, value))
                .build())
        .fieldManager("vigil-e2e")
        .forceConflicts()
        .serverSideApply();
    await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> value.equals(copied(credentials, secret)));
    String took = millis(start);
    assertThat(copied(credentials, secret)).isEqualTo(value);
    return took;
  }

  /** The value the stack's credentials Secret holds for a key of {@code secret}, or null. */
  static String copied(String credentials, String secret) {
    Secret copy = admin.secrets().inNamespace(STACK_NS).withName(credentials).get();
    if (copy == null || copy.getData() == null) {
      return null;
    }
    for (Map.Entry<String, String> entry : copy.getData().entrySet()) {
      if (entry.getKey().startsWith("secret_" + APP_NS + "_" + secret + "_")) {
        return new String(Base64.getDecoder().decode(entry.getValue()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** The status of the monitor's Accepted condition for the stack, or null. */
  static String accepted(String monitor) {
    var status =
        admin
            .resources(ServiceMonitor.class)
            .inNamespace(APP_NS)
            .withName(monitor)
            .get()
            .getStatus();
    if (status == null || status.bindings == null || status.bindings.isEmpty()) {
      return null;
    }
    return status.bindings.get(0).conditions.stream()
        .filter(c -> "Accepted".equals(c.getType()))
        .map(c -> c.getStatus())
        .findFirst()
        .orElse(null);
  }

  static String millis(long start) {
    return (System.nanoTime() - start) / 1_000_000 + " ms";
  }

  static void apply(String yaml) {
    RealApiServer.apply(admin, yaml);
  }
}
