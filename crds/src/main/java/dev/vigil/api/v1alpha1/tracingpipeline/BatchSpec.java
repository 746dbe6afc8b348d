package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The batch processor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.sendBatchMaxSize) || !has(self.sendBatchSize)"
            + " || self.sendBatchMaxSize >= self.sendBatchSize",
    message = "batch.sendBatchMaxSize must not be lower than batch.sendBatchSize")
public class BatchSpec {
  @JsonPropertyDescription("Longest a span waits before its batch is sent. Default: 200ms.")
  @Pattern(Patterns.GO_DURATION)
  public String timeout;

  @JsonPropertyDescription("Spans that trigger sending a batch. Default: 8192.")
  @Min(1)
  public Integer sendBatchSize;

  @JsonPropertyDescription("Largest batch sent. Default: no limit.")
  @Min(0)
  public Integer sendBatchMaxSize;
}
