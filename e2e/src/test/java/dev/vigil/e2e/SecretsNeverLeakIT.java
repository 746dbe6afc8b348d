package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.SuiteOutput;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No Secret value Vigil handles ever shows up where it should not: every Secret the examples
 * reference gets a recognisable value, the operator reconciles every example (scrape credentials,
 * remote write, receiver keys, SMTP password, tracing headers, Grafana admin), and then no
 * ConfigMap, no status of a Vigil object, no Event and no line the operator logged contains any of
 * those values, plain or base64. Secrets Vigil writes itself (copies for mounting, config Secrets)
 * are where the values belong and are not searched.
 *
 * <p>The second test widens the search to the whole e2e suite, which this class ends: every value
 * of every Secret left in the shared API server, against every ConfigMap, Event, workload and
 * status of a Vigil object there, and every line the test JVM printed ({@link SuiteOutput}), which
 * includes the logs of every operator the suite ran in-process.
 */
@Order(Integer.MAX_VALUE) // after every other class: the suite-wide search sees all they left
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsNeverLeakIT {
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Secret namespace/name → key → a value found nowhere else. */
  static final Map<String, Map<String, String>> SECRETS =
      Map.of(
          "shop/checkout-tls", Map.of("ca.crt", "leak-canary-ca-3f1d"),
          "shop/checkout-scrape-token", Map.of("token", "leak-canary-token-9a7c"),
          "shop/checkout-pagerduty", Map.of("routing-key", "leak-canary-pagerduty-51e2"),
          "shop/checkout-slack",
              Map.of("webhook-url", "https://hooks.example/leak-canary-slack-77b0"),
          "shop/vendor-otlp", Map.of("api-key", "leak-canary-otlp-header-0c4d"),
          "monitoring/mimir-credentials",
              Map.of("username", "leak-canary-user-1b2c", "password", "leak-canary-password-8e9f"),
          "monitoring/smtp-credentials", Map.of("password", "leak-canary-smtp-6d5a"),
          "monitoring/grafana-admin",
              Map.of(
                  "admin-user",
                  "leak-canary-admin-2c3b",
                  "admin-password",
                  "leak-canary-grafana-4f4f"));

  @Test
  @Order(1)
  void noSecretValueReachesConfigMapsStatusEventsOrLogs() throws Exception {
    KubernetesClient admin = RealApiServer.admin();
    for (String ns : List.of("monitoring", "shop", "shop-canary")) {
      RealApiServer.ensureNamespace(ns);
    }
    SECRETS.forEach(
        (ref, data) -> {
          String[] parts = ref.split("/");
          admin
              .resource(
                  new SecretBuilder()
                      .withNewMetadata()
                      .withName(parts[1])
                      .withNamespace(parts[0])
                      .endMetadata()
                      .withStringData(data)
                      .build())
              .fieldManager("vigil-e2e")
              .forceConflicts()
              .serverSideApply();
        });

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(
        new PrintStream(new SuiteOutput.Tee(original, log), true, StandardCharsets.UTF_8));
    int port = RealPrometheus.freePort();
    try (VigilOperator vigil =
        new VigilOperator(
            OperatorConfig.from(
                List.of(
                    "--leader-election=false",
                    "--http-port=" + port,
                    "--log-level=debug",
                    "--watch-namespaces=monitoring,shop,shop-canary",
                    "--platform-namespaces=monitoring"),
                Map.of()),
            admin,
            new VigilOperator.Runtime(true, false))) {
      vigil.start();
      RealApiServer.applyExamples();
      // Everything reconciled: the stack's Alertmanager and Grafana exist, the pipeline's
      // collectors.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(
                        admin
                            .secrets()
                            .inNamespace("monitoring")
                            .withName("platform-alertmanager-credentials")
                            .get())
                    .isNotNull();
                assertThat(
                        admin
                            .apps()
                            .deployments()
                            .inNamespace("monitoring")
                            .withName("platform-grafana")
                            .get())
                    .isNotNull();
                assertThat(
                        admin
                            .apps()
                            .deployments()
                            .inNamespace("shop")
                            .withName("shop-traces-collector")
                            .get())
                    .isNotNull();
              });
      Thread.sleep(3000);
    } finally {
      System.setErr(original);
    }

    StringBuilder observed = new StringBuilder();
    for (String ns : List.of("monitoring", "shop", "shop-canary")) {
      admin
          .configMaps()
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(c -> observed.append(JSON.asJson(c)));
      admin
          .resources(io.fabric8.kubernetes.api.model.events.v1.Event.class)
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(e -> observed.append(JSON.asJson(e)));
      for (var kind :
          List.of(
              MonitoringStack.class,
              ServiceMonitor.class,
              PodMonitor.class,
              AlertPolicy.class,
              TracingPipeline.class)) {
        admin
            .resources(kind)
            .inNamespace(ns)
            .list()
            .getItems()
            .forEach(o -> observed.append(JSON.asJson(o.getStatus())));
      }
      // Pod templates name Secrets, never their values.
      admin
          .apps()
          .deployments()
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(d -> observed.append(JSON.asJson(d)));
      admin
          .apps()
          .statefulSets()
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(d -> observed.append(JSON.asJson(d)));
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).as("the operator logged").contains("monitoringstack");
    int values = 0;
    for (Map<String, String> data : SECRETS.values()) {
      for (String value : data.values()) {
        String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        assertThat(observed.toString())
            .as("ConfigMaps, statuses, Events and workloads")
            .doesNotContain(value)
            .doesNotContain(base64);
        assertThat(logged).as("the operator's log").doesNotContain(value).doesNotContain(base64);
        values++;
      }
    }
    assertThat(values).isEqualTo(10);
    // The control: the values did travel, into the Secrets Vigil mounts them from.
    assertThat(
            JSON.asJson(
                admin
                    .secrets()
                    .inNamespace("monitoring")
                    .withName("platform-alertmanager-credentials")
                    .get()))
        .contains(
            Base64.getEncoder()
                .encodeToString("leak-canary-smtp-6d5a".getBytes(StandardCharsets.UTF_8)));
  }

  /** Shorter values ("true", "demo", a port) would match by chance, not by leaking. */
  static final int SHORTEST_SEARCHED_VALUE = 12;

  @Test
  @Order(2)
  void noSecretValueOfTheWholeSuiteReachesConfigMapsStatusEventsWorkloadsOrLogs() throws Exception {
    KubernetesClient admin = RealApiServer.admin();
    Map<String, String> secretOfValue = new TreeMap<>();
    for (Secret secret : admin.secrets().inAnyNamespace().list().getItems()) {
      String ref = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
      if (secret.getData() == null) {
        continue;
      }
      secret
          .getData()
          .forEach(
              (key, base64) -> {
                String value =
                    new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
                if (value.strip().length() >= SHORTEST_SEARCHED_VALUE) {
                  secretOfValue.putIfAbsent(value.strip(), ref + " key " + key);
                }
              });
    }

    StringBuilder observed = new StringBuilder();
    admin
        .configMaps()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(c -> observed.append(JSON.asJson(c)));
    admin
        .v1()
        .events()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(e -> observed.append(JSON.asJson(e)));
    admin
        .resources(io.fabric8.kubernetes.api.model.events.v1.Event.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(e -> observed.append(JSON.asJson(e)));
    admin
        .apps()
        .deployments()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(d -> observed.append(JSON.asJson(d)));
    admin
        .apps()
        .statefulSets()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(d -> observed.append(JSON.asJson(d)));
    admin
        .apps()
        .daemonSets()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(d -> observed.append(JSON.asJson(d)));
    for (var kind :
        List.of(
            MonitoringStack.class,
            ServiceMonitor.class,
            PodMonitor.class,
            AlertPolicy.class,
            TracingPipeline.class)) {
      admin
          .resources(kind)
          .inAnyNamespace()
          .list()
          .getItems()
          .forEach(o -> observed.append(JSON.asJson(o.getStatus())));
    }
    String logged = Files.readString(SuiteOutput.FILE, StandardCharsets.UTF_8);

    // The controls: the search has something to find, in places that are full of output.
    assertThat(secretOfValue.keySet()).as("Secret values searched").hasSizeGreaterThan(10);
    assertThat(logged)
        .as("the suite's output")
        .contains("Registered reconciler: 'monitoringstack'");
    assertThat(observed).as("objects searched").contains("platform-prometheus");
    secretOfValue.forEach(
        (value, ref) -> {
          String base64 =
              Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
          assertThat(observed.toString())
              .as("ConfigMaps, Events, workloads and statuses hold the value of Secret %s", ref)
              .doesNotContain(value)
              .doesNotContain(base64);
          assertThat(logged)
              .as("the suite's output holds the value of Secret %s", ref)
              .doesNotContain(value)
              .doesNotContain(base64);
        });
  }
}
