package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.DatadogExporterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.DebugExporterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.OtlpExporterSpec;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where a LogPipeline's records go; every backend gets every record. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.victoriaLogs) || (has(self.otlp) && size(self.otlp) > 0) || has(self.datadog)"
            + " || has(self.debug)",
    message = "backends: configure at least one of victoriaLogs, otlp, datadog or debug")
public class LogBackendsSpec {
  @JsonPropertyDescription("A VictoriaLogs that Vigil runs for this pipeline, in its namespace.")
  public VictoriaLogsSpec victoriaLogs;

  @JsonPropertyDescription("OTLP endpoints (headers from Secrets), e.g. another collector.")
  @Size(max = 10)
  public List<OtlpExporterSpec> otlp;

  @JsonPropertyDescription(
      "Datadog's OTLP logs intake for a site, the API key from a Secret (docs/logpipeline.md says"
          + " what this gives without the Datadog Agent).")
  public DatadogExporterSpec datadog;

  @JsonPropertyDescription("Print records in the agents' own log (for trying things out).")
  public DebugExporterSpec debug;
}
