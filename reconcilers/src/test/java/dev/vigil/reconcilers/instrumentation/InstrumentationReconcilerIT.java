package dev.vigil.reconcilers.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineStatus;
import dev.vigil.reconcilers.MockServerOperator;
import dev.vigil.reconcilers.injection.InstrumentedPods;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instrumentations against the mock server: the endpoint resolved from a TracingPipeline, Ready
 * following the pipeline, a missing pipeline reported with an Event, and the pod count following
 * what the operator's pod cache says.
 */
@EnableKubernetesMockClient(crud = true)
class InstrumentationReconcilerIT {
  KubernetesClient client;
  Operator operator;
  final FakePods pods = new FakePods();
  final KubernetesSerialization serialization = new KubernetesSerialization();

  /** What the operator's pod cache would say, set by the test. */
  static final class FakePods implements InstrumentedPods {
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    final List<Consumer<HasMetadata>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public int count(Instrumentation instrumentation) {
      return counts.getOrDefault(
          instrumentation.getMetadata().getNamespace()
              + "/"
              + instrumentation.getMetadata().getName(),
          0);
    }

    @Override
    public void onChange(Consumer<HasMetadata> listener) {
      listeners.add(listener);
    }

    void set(Instrumentation instrumentation, int count) {
      counts.put(
          instrumentation.getMetadata().getNamespace()
              + "/"
              + instrumentation.getMetadata().getName(),
          count);
      listeners.forEach(l -> l.accept(instrumentation));
    }
  }

  @BeforeEach
  void start() {
    operator =
        MockServerOperator.start(client, new InstrumentationReconciler(Clock.systemUTC(), pods));
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  Instrumentation instrumentation() {
    return serialization.unmarshal(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: Instrumentation
        metadata: {name: shop, namespace: shop}
        spec:
          tracingPipeline: {name: shop-traces}
          protocol: grpc
        """,
        Instrumentation.class);
  }

  /** The stored Instrumentation, once it has a status. */
  Instrumentation fresh() {
    Instrumentation fresh =
        client.resources(Instrumentation.class).inNamespace("shop").withName("shop").get();
    assertThat(fresh.getStatus()).as("status").isNotNull();
    return fresh;
  }

  @Test
  void readyFollowsTheTracingPipelineAndTheCountFollowsThePods() {
    client.resource(instrumentation()).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var ready = fresh().getStatus().condition("Ready").orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason())
                  .isEqualTo(InstrumentationReconciler.REASON_PIPELINE_NOT_FOUND);
              assertThat(ready.getMessage())
                  .startsWith(
                      "spec.tracingPipeline: TracingPipeline shop/shop-traces does not exist");
            });
    assertThat(fresh().getStatus().endpoint)
        .isEqualTo("http://shop-traces-collector.shop.svc:4317");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.resources(Event.class).inNamespace("shop").list().getItems())
                    .anySatisfy(
                        e ->
                            assertThat(e.getReason())
                                .isEqualTo(InstrumentationReconciler.REASON_PIPELINE_NOT_FOUND)));

    TracingPipeline pipeline =
        serialization.unmarshal(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: shop-traces, namespace: shop}
            spec:
              receivers: {otlpGrpc: {port: 14317}}
              exporters: {debug: {}}
            """,
            TracingPipeline.class);
    pipeline = client.resource(pipeline).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(fresh().getStatus().endpoint)
                  .isEqualTo("http://shop-traces-collector.shop.svc:14317");
              assertThat(fresh().getStatus().condition("Ready").orElseThrow().getReason())
                  .isEqualTo(InstrumentationReconciler.REASON_PIPELINE_NOT_READY);
            });

    pipeline.setStatus(new TracingPipelineStatus());
    pipeline.getStatus().conditions =
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("Running")
                .withMessage("ok")
                .withLastTransitionTime("2026-12-07T00:00:00Z")
                .build());
    client.resource(pipeline).updateStatus();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var ready = fresh().getStatus().condition("Ready").orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("True");
              assertThat(ready.getMessage())
                  .isEqualTo(
                      "Instrumented pods send spans to TracingPipeline shop/shop-traces at"
                          + " http://shop-traces-collector.shop.svc:14317.");
              assertThat(fresh().getStatus().instrumentedPods).isZero();
            });

    pods.set(fresh(), 3);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(fresh().getStatus().instrumentedPods).isEqualTo(3));
  }

  @Test
  void bothDestinationsAreRefusedWithTheFieldNamed() {
    Instrumentation both = instrumentation();
    both.getSpec().endpoint = "http://otel.example:4317";
    client.resource(both).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var ready = fresh().getStatus().condition("Ready").orElseThrow();
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).startsWith("spec: set exactly one of tracingPipeline");
            });
  }
}
