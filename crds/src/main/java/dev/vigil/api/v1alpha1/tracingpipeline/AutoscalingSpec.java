package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A HorizontalPodAutoscaler for the gateway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not be greater than autoscaling.maxReplicas")
public class AutoscalingSpec {
  @JsonPropertyDescription("Fewest collector pods. Default: 1.")
  @Min(1)
  public Integer minReplicas;

  @Required
  @JsonPropertyDescription("Most collector pods.")
  @Min(1)
  @Max(100)
  public Integer maxReplicas;

  @JsonPropertyDescription("Average CPU utilization (percent of requests) to aim for. Default: 80.")
  @Min(1)
  @Max(100)
  public Integer targetCPUUtilization;
}
