package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.DatadogExporterSpec;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where spans go; several exporters may be combined. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.otlp) || self.otlp.all(e, self.otlp.exists_one(o, o.name == e.name))",
    message = "exporters.otlp: every exporter needs a unique name")
public class ExportersSpec {
  @JsonPropertyDescription("OTLP endpoints (Tempo, Honeycomb, another collector…).")
  @Size(max = 10)
  public List<OtlpExporterSpec> otlp;

  @JsonPropertyDescription("A Jaeger v2 backend Vigil deploys next to the collectors.")
  public JaegerBackendSpec jaeger;

  @JsonPropertyDescription(
      "Datadog's OTLP intake for the organization's site, with an API key from a Secret.")
  public DatadogExporterSpec datadog;

  @JsonPropertyDescription("Another TracingPipeline in gateway mode, e.g. from node agents.")
  public GatewayReference gateway;

  @JsonPropertyDescription("Log spans to the collector's output, for debugging.")
  public DebugExporterSpec debug;
}
