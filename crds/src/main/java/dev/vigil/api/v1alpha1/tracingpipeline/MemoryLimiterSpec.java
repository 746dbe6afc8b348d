package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The memory_limiter processor, in percentages of the container's memory limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.limitPercentage) || !has(self.spikeLimitPercentage)"
            + " || self.spikeLimitPercentage < self.limitPercentage",
    message = "memoryLimiter.spikeLimitPercentage must be lower than limitPercentage")
public class MemoryLimiterSpec {
  @JsonPropertyDescription("Turn the memory limiter off (not recommended). Default: true.")
  public Boolean enabled;

  @JsonPropertyDescription("Hard limit, percent of the memory limit. Default: 80.")
  @Min(1)
  @Max(100)
  public Integer limitPercentage;

  @JsonPropertyDescription("Headroom for spikes, percent of the memory limit. Default: 25.")
  @Min(0)
  @Max(99)
  public Integer spikeLimitPercentage;

  @JsonPropertyDescription("How often memory use is checked. Default: 1s.")
  @Pattern(Patterns.GO_DURATION)
  public String checkInterval;
}
