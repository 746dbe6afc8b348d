package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Caps per agent. What they drop is counted in the agent's own metrics (docs/logpipeline.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogLimits {
  @JsonPropertyDescription(
      "Largest record in bytes; a longer line (or joined multiline record) is cut to this size."
          + " Default: 262144 (256 KiB).")
  @Min(1024)
  @Max(16777216)
  public Integer maxRecordBytes;

  @JsonPropertyDescription(
      "Batches each agent holds on disk per backend while the backend is slow or down; once"
          + " full, new records are dropped and counted (otelcol_exporter_enqueue_failed_log_records)."
          + " Default: 1000.")
  @Min(1)
  @Max(100000)
  public Integer maxQueuedBatches;
}
