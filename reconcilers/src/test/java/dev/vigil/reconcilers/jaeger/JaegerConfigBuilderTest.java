package dev.vigil.reconcilers.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.tracingpipeline.DebugExporterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.ListenPort;
import dev.vigil.reconcilers.collector.CollectorConfigInputs;
import dev.vigil.reconcilers.collector.CollectorConfigRenderer;
import dev.vigil.reconcilers.collector.CollectorScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the Jaeger golden files do not show. */
class JaegerConfigBuilderTest {
  @Test
  void noBackendWhenTurnedOffOrNotAskedFor() {
    TracingPipeline pipeline = JaegerScenario.load("memory-default").pipeline();
    pipeline.getSpec().exporters.jaeger.enabled = false;
    assertThat(JaegerConfigBuilder.enabled(pipeline)).isFalse();
    assertThat(JaegerConfigBuilder.build(pipeline).config()).isNull();

    pipeline.getSpec().exporters.jaeger = null;
    assertThat(JaegerConfigBuilder.build(pipeline).config()).isNull();
    // ... and the collectors do not export to it either.
    pipeline.getSpec().exporters.debug = new DebugExporterSpec();
    assertThat(JaegerNames.collectorEndpoint(pipeline)).isNull();
    assertThat(
            CollectorConfigBuilder.build(
                    pipeline,
                    new CollectorConfigInputs(null, null, JaegerNames.collectorEndpoint(pipeline)))
                .config()
                .exporters())
        .containsOnlyKeys("debug");
  }

  @Test
  void portsForTheServiceAndProbes() {
    JaegerConfigBuilder.Result result =
        JaegerConfigBuilder.build(JaegerScenario.load("badger-retention").pipeline());
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

  @Test
  void theCollectorsExportToTheBackendsService() throws IOException {
    // The endpoint the reconciler gives the collector builder is the one the golden files show.
    for (String name : List.of("jaeger-backend", "probabilistic-zero", "example-shop-traces")) {
      CollectorScenario scenario = CollectorScenario.load(name);
      TracingPipeline pipeline = scenario.pipeline();
      assertThat(JaegerNames.collectorEndpoint(pipeline))
          .isEqualTo(scenario.inputs().jaegerBackend())
          .isNotNull();
      String rendered =
          CollectorConfigRenderer.renderString(
              CollectorConfigBuilder.build(
                      pipeline,
                      new CollectorConfigInputs(
                          scenario.inputs().keyExists(),
                          scenario.inputs().pipelines(),
                          JaegerNames.collectorEndpoint(pipeline)))
                  .config());
      assertThat(rendered)
          .isEqualTo(
              Files.readString(
                  Path.of("src/test/resources/golden/collector-config", name + ".yaml")));
    }
  }
}
