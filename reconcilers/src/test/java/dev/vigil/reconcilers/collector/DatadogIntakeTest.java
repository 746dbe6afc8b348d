package dev.vigil.reconcilers.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.DatadogExporterSpec;
import dev.vigil.api.v1alpha1.common.DatadogExporterSpec.Site;
import dev.vigil.api.v1alpha1.tracingpipeline.ExportersSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpExporter;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.Result;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Datadog's OTLP intake per site, as its documentation lists them (the site table's {@code
 * otlp_trace_endpoint}, {@code otlp_logs_endpoint} and {@code otlp_metrics_endpoint}), and what is
 * rendered for the signals a kind sends.
 */
class DatadogIntakeTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "datadoghq.com,     https://otlp.datadoghq.com",
    "us3.datadoghq.com, https://otlp.us3.datadoghq.com",
    "us5.datadoghq.com, https://otlp.us5.datadoghq.com",
    "datadoghq.eu,      https://otlp.datadoghq.eu",
    "ap1.datadoghq.com, https://otlp.ap1.datadoghq.com",
    "ap2.datadoghq.com, https://otlp.ap2.datadoghq.com",
  })
  void eachSitesDocumentedEndpoints(String domain, String intake) {
    Site site = site(domain);
    assertThat(DatadogIntake.endpoint(site, DatadogIntake.Signal.TRACES))
        .isEqualTo(intake + "/v1/traces");
    assertThat(DatadogIntake.endpoint(site, DatadogIntake.Signal.LOGS))
        .isEqualTo(intake + "/v1/logs");
    assertThat(DatadogIntake.endpoint(site, DatadogIntake.Signal.METRICS))
        .isEqualTo(intake + "/v1/metrics");
  }

  @Test
  void everySiteIsTested() {
    assertThat(Site.values()).hasSize(6);
    assertThat(List.of(Site.values()).stream().map(Site::domain))
        .as("the US1-FED site has no OTLP intake")
        .doesNotContain("ddog-gov.com");
  }

  @Test
  void onlyTheSignalsSentGetAnEndpoint() {
    DatadogExporterSpec spec = spec(Site.US5, null);
    OtlpExporter traces = exporter(spec, EnumSet.of(DatadogIntake.Signal.TRACES));
    assertThat(traces.endpoint()).isNull();
    assertThat(traces.tracesEndpoint()).isEqualTo("https://otlp.us5.datadoghq.com/v1/traces");
    assertThat(traces.logsEndpoint()).isNull();
    assertThat(traces.metricsEndpoint()).isNull();
    assertThat(traces.compression()).isEqualTo("gzip");
    assertThat(traces.headers())
        .containsExactly(
            java.util.Map.entry("dd-api-key", "${env:VIGIL_DATADOG_API_KEY}"),
            java.util.Map.entry("dd-protocol", "otlp"));

    OtlpExporter logs = exporter(spec, EnumSet.of(DatadogIntake.Signal.LOGS));
    assertThat(logs.tracesEndpoint()).isNull();
    assertThat(logs.logsEndpoint()).isEqualTo("https://otlp.us5.datadoghq.com/v1/logs");
  }

  @Test
  void theEndpointOverrideIsABaseUrlAndWinsOverTheSite() {
    OtlpExporter exporter =
        exporter(
            spec(Site.EU1, "http://127.0.0.1:9000/proxy/"),
            EnumSet.allOf(DatadogIntake.Signal.class));
    assertThat(exporter.tracesEndpoint()).isEqualTo("http://127.0.0.1:9000/proxy/v1/traces");
    assertThat(exporter.logsEndpoint()).isEqualTo("http://127.0.0.1:9000/proxy/v1/logs");
    assertThat(exporter.metricsEndpoint()).isEqualTo("http://127.0.0.1:9000/proxy/v1/metrics");
  }

  @Test
  void theDefaultSiteIsUs1() {
    assertThat(new DatadogExporterSpec().site).isEqualTo(Site.US1);
    DatadogExporterSpec spec = spec(null, null);
    assertThat(exporter(spec, Set.of(DatadogIntake.Signal.TRACES)).tracesEndpoint())
        .isEqualTo("https://otlp.datadoghq.com/v1/traces");
  }

  @Test
  void aMissingSecretKeyLeavesTheExporterOutAndIsReported() {
    TracingPipeline pipeline = pipeline(spec(Site.US1, null));
    Result result =
        CollectorConfigBuilder.build(pipeline, new CollectorConfigInputs(key -> false, null, null));
    assertThat(result.config()).as("no exporter is left").isNull();
    assertThat(result.env()).isEmpty();
    assertThat(result.problems().stream().map(ConfigProblem::describe).toList())
        .containsExactly(
            "spec.exporters.datadog: apiKey: Secret shop/datadog key api-key does not exist;"
                + " the exporter is left out",
            "spec.exporters: no exporter is left: fix the problems above; nothing is deployed");
  }

  @Test
  void aBadEndpointOrNoApiKeyIsReportedNotThrown() {
    DatadogExporterSpec badEndpoint = spec(Site.US1, "datadog-agent:4318");
    DatadogExporterSpec noKey = spec(Site.US1, null);
    noKey.apiKey = null;
    assertThat(problems(badEndpoint))
        .containsExactly(
            "spec.exporters.datadog: endpoint \"datadog-agent:4318\" must be an http(s):// base"
                + " URL without query or fragment; the exporter is left out");
    assertThat(problems(noKey))
        .containsExactly(
            "spec.exporters.datadog: apiKey is required: name the Secret key holding the API"
                + " key; the exporter is left out");
  }

  private static List<String> problems(DatadogExporterSpec spec) {
    return CollectorConfigBuilder.build(pipeline(spec), CollectorConfigInputs.of())
        .problems()
        .stream()
        .map(ConfigProblem::describe)
        .filter(p -> p.startsWith("spec.exporters.datadog"))
        .toList();
  }

  private static OtlpExporter exporter(DatadogExporterSpec spec, Set<DatadogIntake.Signal> sent) {
    return DatadogIntake.exporter(spec, sent, new SecretReferences("shop", key -> true));
  }

  static Site site(String domain) {
    return List.of(Site.values()).stream()
        .filter(s -> s.domain().equals(domain))
        .findFirst()
        .orElseThrow();
  }

  static DatadogExporterSpec spec(Site site, String endpoint) {
    DatadogExporterSpec spec = new DatadogExporterSpec();
    spec.site = site;
    spec.endpoint = endpoint;
    spec.apiKey = new SecretKeySelector("api-key", "datadog", null);
    return spec;
  }

  static TracingPipeline pipeline(DatadogExporterSpec datadog) {
    TracingPipeline pipeline = new TracingPipeline();
    pipeline.setMetadata(new ObjectMetaBuilder().withName("traces").withNamespace("shop").build());
    pipeline.setSpec(new TracingPipelineSpec());
    pipeline.getSpec().exporters = new ExportersSpec();
    pipeline.getSpec().exporters.datadog = datadog;
    return pipeline;
  }
}
