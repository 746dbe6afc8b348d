package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.WebhookOperator;
import dev.vigil.operator.admission.WebhookCertificates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admission webhooks on the real API server, which calls them at {@code
 * https://127.0.0.1:<port>} and trusts the CA Vigil made (docs/webhooks.md): {@code kubectl apply}
 * of an AlertPolicy with a PromQL error fails with the message its status would give; a pod asking
 * for instrumentation comes back instrumented, its user's env kept, while one in the operator's
 * namespace is left alone; a certificate renewed by another replica during a stream of pod
 * creations loses none of them (the API server's own counters say every call succeeded); with the
 * operator stopped, objects and pods are still admitted, at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksIT {
  static final String NS = "webhooks-it";
  static final String SECRET = "webhooks-it-tls";
  static final Map<String, String> figures = new LinkedHashMap<>();

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    admin
        .resource(
            admin
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: monitoring.vigil.dev/v1alpha1
                    kind: Instrumentation
                    metadata: {name: apps, namespace: webhooks-it}
                    spec:
                      endpoint: http://collector.webhooks-it.svc:4318
                      protocol: http/protobuf
                      propagators: [tracecontext, baggage]
                    """,
                    io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
        .serverSideApply();
    operator = WebhookOperator.start(NS, SECRET);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    WebhookOperator.removeConfigurations(admin);
    StringBuilder report = new StringBuilder("WebhooksIT figures:\n");
    figures.forEach((k, v) -> report.append("  ").append(k).append(": ").append(v).append('\n'));
    System.out.print(report);
  }

  @Test
  @Order(1)
  void kubectlApplyOfABadAlertPolicyFailsWithThePromqlMessage() throws Exception {
    Result bad = kubectlApply(policy("bad", "up{job=\"checkout\" == 0"));
    assertThat(bad.exit()).as(bad.output()).isNotZero();
    assertThat(bad.output())
        .contains(
            "admission webhook \"validation.monitoring.vigil.dev\" denied the request:"
                + " AlertPolicy webhooks-it/bad is refused:")
        .contains("parse error: unexpected \"=\" in label matching");

    Result good = kubectlApply(policy("good", "up{job=\"checkout\"} == 0"));
    assertThat(good.exit()).as(good.output()).isZero();

    // GitOps applies in any order: a Secret that comes later is a warning, not a refusal.
    Result monitor =
        kubectlApply(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: ServiceMonitor
            metadata: {name: checkout, namespace: webhooks-it}
            spec:
              selector: {matchLabels: {app: checkout}}
              endpoints:
                - port: metrics
                  authorization: {credentials: {name: not-yet, key: token}}
            """);
    assertThat(monitor.exit()).as(monitor.output()).isZero();
    assertThat(monitor.output())
        .contains(
            "Warning: spec.endpoints[0].authorization.credentials: Secret webhooks-it/not-yet has"
                + " no key token (yet)");
  }

  @Test
  @Order(2)
  void aPodAskingForInstrumentationComesBackInstrumentedAndTheUsersEnvKept() {
    Pod created =
        admin
            .resource(
                new PodBuilder(pod("checkout-7d9f8-abcde"))
                    .editMetadata()
                    .addToAnnotations("instrumentation.vigil.dev/inject-python", "true")
                    .addToLabels("pod-template-hash", "7d9f8")
                    .endMetadata()
                    .editSpec()
                    .editFirstContainer()
                    .addNewEnv()
                    .withName("OTEL_SERVICE_NAME")
                    .withValue("checkout-by-hand")
                    .endEnv()
                    .endContainer()
                    .endSpec()
                    .build())
            .create();

    assertThat(created.getSpec().getInitContainers())
        .extracting(c -> c.getName())
        .containsExactly("vigil-instrumentation-python");
    var env = created.getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .filteredOn(e -> e.getName().equals("OTEL_SERVICE_NAME"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("checkout-by-hand"));
    assertThat(env)
        .filteredOn(e -> e.getName().equals("OTEL_EXPORTER_OTLP_ENDPOINT"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getValue()).isEqualTo("http://collector.webhooks-it.svc:4318"));
    assertThat(env).anySatisfy(e -> assertThat(e.getName()).isEqualTo("PYTHONPATH"));
    assertThat(created.getMetadata().getLabels())
        .containsEntry("instrumentation.vigil.dev/instrumentation", "apps");

    // Every language Vigil offers, through the API server.
    for (String language : List.of("java", "nodejs", "dotnet")) {
      Pod other =
          admin
              .resource(
                  new PodBuilder(pod("lang-" + language))
                      .editMetadata()
                      .addToAnnotations("instrumentation.vigil.dev/inject-" + language, "apps")
                      .endMetadata()
                      .build())
              .create();
      assertThat(other.getSpec().getInitContainers())
          .as(language)
          .extracting(c -> c.getName())
          .containsExactly("vigil-instrumentation-" + language);
    }

    // The operator's own namespace is excluded by the configuration's namespace selector.
    Pod own =
        admin
            .resource(
                new PodBuilder(pod("in-the-operators-namespace"))
                    .editMetadata()
                    .withNamespace(OperatorAsServiceAccount.NAMESPACE)
                    .addToAnnotations("instrumentation.vigil.dev/inject-python", "true")
                    .endMetadata()
                    .build())
            .create();
    assertThat(own.getSpec().getInitContainers()).isEmpty();
    admin.resource(own).delete();

    // A pod that names an Instrumentation that does not exist starts uninstrumented, and its
    // ReplicaSet carries a Warning Event saying why (the admission warning goes to the controller).
    Pod orphan =
        admin
            .resource(
                new PodBuilder(pod("orders-5c4d-xyz12"))
                    .editMetadata()
                    .addToAnnotations("instrumentation.vigil.dev/inject-java", "missing")
                    .addNewOwnerReference()
                    .withApiVersion("apps/v1")
                    .withKind("ReplicaSet")
                    .withName("orders-5c4d")
                    .withUid("0b5e1c9e-0000-4000-8000-000000000001")
                    .withController(true)
                    .endOwnerReference()
                    .endMetadata()
                    .build())
            .create();
    assertThat(orphan.getSpec().getInitContainers()).isEmpty();
    await("a Warning Event on the ReplicaSet")
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                admin.events().v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "NotInstrumented".equals(e.getReason())
                                && "orders-5c4d".equals(e.getRegarding().getName())
                                && e.getNote().contains("missing")));
  }

  @Test
  @Order(3)
  void aRenewalDuringAStreamOfPodCreationsLosesNone() throws Exception {
    Secret before =
        admin.secrets().inNamespace(OperatorAsServiceAccount.NAMESPACE).withName(SECRET).get();
    double failedOpen = webhookMetric("apiserver_admission_webhook_fail_open_count");
    double calls = webhookMetric("apiserver_admission_webhook_request_total");
    int pods = 60;
    List<String> uninstrumented = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService stream = Executors.newSingleThreadExecutor();
    Future<?> creations =
        stream.submit(
            () -> {
              for (int i = 0; i < pods; i++) {
                Pod made =
                    admin
                        .resource(
                            new PodBuilder(pod("stream-" + i))
                                .editMetadata()
                                .addToAnnotations("instrumentation.vigil.dev/inject-java", "apps")
                                .endMetadata()
                                .build())
                        .create();
                if (made.getSpec().getInitContainers().isEmpty()) {
                  uninstrumented.add(made.getMetadata().getName());
                }
                sleep(100);
              }
              return null;
            });
    Thread.sleep(2000);
    // Another replica, whose clock says the certificate is due, renews it.
    new WebhookCertificates(
            admin,
            OperatorAsServiceAccount.NAMESPACE,
            SECRET,
            List.of("127.0.0.1"),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(61)))
        .ensure();
    creations.get(60, TimeUnit.SECONDS);
    stream.shutdown();
    Secret after =
        admin.secrets().inNamespace(OperatorAsServiceAccount.NAMESPACE).withName(SECRET).get();
    assertThat(after.getData().get("tls.crt"))
        .as("renewed")
        .isNotEqualTo(before.getData().get("tls.crt"));
    assertThat(after.getData().get("ca.crt"))
        .as("same CA")
        .isEqualTo(before.getData().get("ca.crt"));
    assertThat(webhookMetric("apiserver_admission_webhook_fail_open_count") - failedOpen)
        .as("calls that failed and were let through")
        .isZero();
    assertThat(webhookMetric("apiserver_admission_webhook_request_total") - calls)
        .as("calls to the pod webhook")
        .isGreaterThanOrEqualTo(pods);
    assertThat(uninstrumented).as("pods admitted without their instrumentation").isEmpty();
    figures.put(
        "pods created during a renewal, all admitted through the webhook and instrumented",
        Integer.toString(pods));
  }

  @Test
  @Order(4)
  void withTheOperatorStoppedObjectsAndPodsAreStillAdmitted() throws Exception {
    operator.close();
    operator = null;
    long start = System.nanoTime();
    admin.resource(pod("while-down")).create();
    long podMillis = (System.nanoTime() - start) / 1_000_000;
    Result bad = kubectlApply(policy("bad-while-down", "up{job=\"checkout\" == 0"));
    assertThat(bad.exit()).as("fail open: %s", bad.output()).isZero();
    figures.put("pod created with the operator down, ms", Long.toString(podMillis));
    assertThat(podMillis).isLessThan(3000);
  }

  record Result(int exit, String output) {}

  static Result kubectlApply(String yaml) throws Exception {
    Path file = Files.createTempFile("webhooks-it", ".yaml");
    Files.writeString(file, yaml);
    Path log = Files.createTempFile("webhooks-it", ".log");
    Process process =
        new ProcessBuilder(
                RealApiServer.tool("VIGIL_KUBECTL"),
                "--kubeconfig=" + RealApiServer.kubeConfigFile(),
                "apply",
                "-f",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    Files.delete(file);
    Files.delete(log);
    return new Result(process.exitValue(), output);
  }

  static String policy(String name, String expr) {
    return """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: AlertPolicy
        metadata: {name: %s, namespace: webhooks-it}
        spec:
          groups:
            - name: checkout
              rules:
                - alert: CheckoutDown
                  expr: '%s'
        """
        .formatted(name, expr);
  }

  static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.invalid/app:1.0")
        .endContainer()
        .endSpec()
        .build();
  }

  /** The API server's counter of calls to the pod webhook, summed over its labels. */
  static double webhookMetric(String name) {
    String metrics = admin.raw("/metrics");
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{") && line.contains("name=\"pods.instrumentation.vigil.dev\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
