package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator against the fabric8 mock server in CRUD mode: endpoints and a reconcile. */
@EnableKubernetesMockClient(crud = true)
class VigilOperatorIT {
  /** One line of the Prometheus text format: name, optional labels, a value, optional time. */
  static final Pattern SAMPLE =
      Pattern.compile(
          "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})?"
              + " (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?$");

  KubernetesClient client;
  VigilOperator vigil;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    OperatorConfig config =
        OperatorConfig.from(
            List.of("--leader-election=false", "--lease-namespace=default", "--http-port=0"),
            Map.of());
    vigil = new VigilOperator(config, client, new VigilOperator.Runtime(false, false));
    vigil.start();
  }

  @AfterEach
  void stop() {
    vigil.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vigil.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthReadinessAndMetricsAndReconciles() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/readyz").statusCode() == 200);

    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("default").build());
    stack.setSpec(new MonitoringStackSpec());
    client.resource(stack).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              MonitoringStack fresh =
                  client
                      .resources(MonitoringStack.class)
                      .inNamespace("default")
                      .withName("demo")
                      .get();
              assertThat(fresh.getStatus()).isNotNull();
              assertThat(fresh.getStatus().conditions)
                  .extracting(Condition::getType)
                  .containsExactly("NamespaceScope", "Ready", "Reconciled");
              // The operator's own namespace (the Lease's here) is always a platform namespace.
              assertThat(fresh.getStatus().conditions.get(0).getReason())
                  .isEqualTo("PlatformStack");
            });

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    List<String> samples =
        metrics.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(samples).isNotEmpty().allSatisfy(line -> assertThat(line).matches(SAMPLE));
    assertThat(metrics.body())
        .contains("operator_sdk_reconciliations_started_total")
        .contains("operator_sdk_reconciliations_success_total")
        .contains("jvm_memory_used_bytes")
        .contains("vigil_discovery_jobs")
        .contains("vigil_discovery_targets")
        .contains("vigil_discovery_plan_changes_total")
        .contains("vigil_discovery_plans_total");

    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + vigil.httpPort() + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(405);
  }
}
