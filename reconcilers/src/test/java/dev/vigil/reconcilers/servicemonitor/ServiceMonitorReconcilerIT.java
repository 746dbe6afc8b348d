package dev.vigil.reconcilers.servicemonitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.common.SafeAuthorization;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.reconcilers.MockServerOperator;
import dev.vigil.reconcilers.monitoringstack.FixedMonitoringState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A ServiceMonitor against the mock server in CRUD mode: status, Events, and no idle writes. */
@EnableKubernetesMockClient(crud = true)
class ServiceMonitorReconcilerIT {
  KubernetesClient client;
  KubernetesMockServer server;
  Operator operator;
  final FixedMonitoringState state = new FixedMonitoringState();

  @BeforeEach
  void start() {
    operator =
        MockServerOperator.start(
            client,
            new ServiceMonitorReconciler(Clock.systemUTC(), state, FixedMonitoringState.SETTINGS));
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  static ServiceMonitor monitor(String name, String regex) {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    ServiceMonitorSpec spec = new ServiceMonitorSpec();
    spec.selector = new LabelSelector();
    Endpoint endpoint = new Endpoint();
    endpoint.port = "metrics";
    RelabelConfig rule = new RelabelConfig();
    rule.regex = regex;
    rule.action = RelabelConfig.Action.drop;
    rule.sourceLabels = List.of("__name__");
    endpoint.metricRelabelings = List.of(rule);
    spec.endpoints = List.of(endpoint);
    monitor.setSpec(spec);
    return monitor;
  }

  ServiceMonitor fresh(String name) {
    return client.resources(ServiceMonitor.class).inNamespace("shop").withName(name).get();
  }

  static Condition ready(ServiceMonitor monitor) {
    assertThat(monitor.getStatus()).as("status of " + monitor.getMetadata().getName()).isNotNull();
    return monitor.getStatus().condition("Ready").orElseThrow();
  }

  @Test
  void unselectedMonitorSaysSoAndAResyncWritesNothing() {
    client.resource(monitor("good", "debug_.*")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(fresh("good").getStatus()).isNotNull());
    ServiceMonitor good = fresh("good");
    assertThat(ready(good).getStatus()).isEqualTo("False");
    assertThat(ready(good).getReason()).isEqualTo("NotSelected");
    assertThat(good.getStatus().condition("Accepted").orElseThrow().getMessage())
        .isEqualTo("No MonitoringStack exists in the watched namespaces.");
    assertThat(good.getStatus().observedGeneration).isEqualTo(good.getMetadata().getGeneration());

    // Touch a label: the reconciler runs again, sees an equal status and writes nothing.
    String version = good.getMetadata().getResourceVersion();
    int requests = server.getRequestCount();
    // A merge patch without resourceVersion, as kubectl sends: no conflict with status writes.
    client
        .resources(ServiceMonitor.class)
        .inNamespace("shop")
        .withName("good")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    ServiceMonitor after = fresh("good");
    assertThat(after.getStatus().conditions).isEqualTo(good.getStatus().conditions);
    // Only our edit and the reads above reached the server: no status patch.
    assertThat(server.getRequestCount() - requests).isLessThanOrEqualTo(3);
    assertThat(after.getMetadata().getResourceVersion()).isNotEqualTo(version);
  }

  @Test
  void brokenRegexIsReportedInStatusAndAsOneEvent() {
    client.resource(monitor("bad", "(unclosed")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(fresh("bad").getStatus()).isNotNull());
    Condition ready = ready(fresh("bad"));
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage())
        .contains("spec.endpoints[0].metricRelabelings[0].regex \"(unclosed\"");

    List<Event> events = client.resources(Event.class).inNamespace("shop").list().getItems();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("InvalidSpec");
              assertThat(e.getRegarding().getName()).isEqualTo("bad");
            });
  }

  static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new ObjectMetaBuilder().withName("platform").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper.shards = 2;
    return stack;
  }

  @Test
  void selectedMonitorIsAcceptedPerStackWithItsTargets() {
    ServiceMonitor monitor = monitor("checkout", "debug_.*");
    state.stacks.add(stack());
    state.serviceMonitors.add(monitor);
    state.targets.put("checkout", 3);
    client.resource(monitor).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ready(fresh("checkout")).getReason()).isEqualTo("TargetsFound"));
    ServiceMonitor accepted = fresh("checkout");
    assertThat(accepted.getStatus().targets).isEqualTo(3);
    assertThat(accepted.getStatus().condition("Accepted").orElseThrow().getStatus())
        .isEqualTo("True");
    assertThat(accepted.getStatus().bindings)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.namespace + "/" + b.name).isEqualTo("monitoring/platform");
              assertThat(b.conditions)
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Accepted");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });

    // The Service loses its port: Accepted=False, reason UnknownPort, naming the ports there are.
    state.portProblems.put(
        "checkout", List.of("spec.endpoints[0].port: \"metrics\" is not a Service port name"));
    state.changed(accepted);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ready(fresh("checkout")).getReason()).isEqualTo("UnknownPort"));
    assertThat(fresh("checkout").getStatus().condition("Accepted").orElseThrow().getMessage())
        .startsWith("spec.endpoints[0].port: \"metrics\"");
    state.portProblems.clear();

    // Discovery finds no more targets and says so: the status follows.
    state.targets.put("checkout", 0);
    state.changed(accepted);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ready(fresh("checkout")).getReason()).isEqualTo("NoTargets"));
    assertThat(fresh("checkout").getStatus().targets).isZero();
  }

  @Test
  void monitorWithAMissingSecretIsRejectedWithTheReasonAndOneEvent() {
    ServiceMonitor monitor = monitor("needs-token", "debug_.*");
    SafeAuthorization authorization = new SafeAuthorization();
    authorization.credentials = new SecretKeySelector("token", "scrape-token", false);
    monitor.getSpec().endpoints.get(0).authorization = authorization;
    state.stacks.add(stack());
    state.serviceMonitors.add(monitor);
    client.resource(monitor).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ready(fresh("needs-token")).getReason()).isEqualTo("Rejected"));
    Condition accepted = fresh("needs-token").getStatus().condition("Accepted").orElseThrow();
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getMessage())
        .contains("monitoring/platform")
        .contains("Secret shop/scrape-token key token does not exist");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.resources(Event.class).inNamespace("shop").list().getItems())
                    .singleElement()
                    .satisfies(e -> assertThat(e.getReason()).isEqualTo("Rejected")));

    // The Secret appears; the next reconcile (any event) accepts the monitor.
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("scrape-token")
                .withNamespace("shop")
                .endMetadata()
                .addToData("token", "czNjcmV0")
                .build())
        .create();
    state.changed(monitor);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        fresh("needs-token")
                            .getStatus()
                            .condition("Accepted")
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo("True"));
  }
}
