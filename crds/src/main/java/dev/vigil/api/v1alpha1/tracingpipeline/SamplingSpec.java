package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Which traces are kept: a fixed percentage, or tail sampling decided per whole trace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.probabilisticPercentage) != has(self.tail)",
    message = "sampling: set exactly one of probabilisticPercentage or tail")
public class SamplingSpec {
  @JsonPropertyDescription(
      "Keep this percentage of traces, decided by trace ID (0 to 100; 0 drops every trace).")
  @Min(0)
  @Max(100)
  public Double probabilisticPercentage;

  @JsonPropertyDescription(
      "Tail sampling: wait for a whole trace, then keep it when a policy says so. In agent"
          + " mode only spans of one node are seen; prefer a gateway.")
  public TailSamplingSpec tail;
}
