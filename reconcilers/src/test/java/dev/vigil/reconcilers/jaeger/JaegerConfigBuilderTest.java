package dev.vigil.reconcilers.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.tracingpipeline.DebugExporterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.ListenPort;
import dev.vigil.reconcilers.collector.CollectorConfigInputs;
import dev.vigil.reconcilers.collector.CollectorScenario;
import org.junit.jupiter.api.Test;

/** What the Jaeger golden files do not show. */
class JaegerConfigBuilderTest {
  @Test
  void noBackendWhenTurnedOffOrNotAskedFor() {
    TracingPipeline pipeline =
        CollectorScenario.load(CollectorScenario.JAEGER, "memory-default").pipeline();
    pipeline.getSpec().exporters.jaeger.enabled = false;
    assertThat(JaegerConfigBuilder.enabled(pipeline)).isFalse();
    assertThat(JaegerConfigBuilder.build(pipeline).config()).isNull();

    pipeline.getSpec().exporters.jaeger = null;
    assertThat(JaegerConfigBuilder.build(pipeline).config()).isNull();
    // ... and the collectors do not export to it either.
    pipeline.getSpec().exporters.debug = new DebugExporterSpec();
    assertThat(
            CollectorConfigBuilder.build(pipeline, CollectorConfigInputs.of()).config().exporters())
        .containsOnlyKeys("debug");
  }

  @Test
  void portsForTheServiceAndProbes() {
    JaegerConfigBuilder.Result result =
        JaegerConfigBuilder.build(
            CollectorScenario.load(CollectorScenario.JAEGER, "badger-retention").pipeline());
    assertThat(result.ports())
        .containsExactly(
            new ListenPort("otlp-grpc", 4317),
            new ListenPort("otlp-http", 4318),
            new ListenPort("query", 16686),
            new ListenPort("query-grpc", 16685),
            new ListenPort("metrics", 8888),
            new ListenPort("health", 13133));
    assertThat(result.persistent()).isTrue();
  }
}
