package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Vigil's own shard autoscaling, from the series it reads from the shards. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.minShards <= self.maxShards",
    message = "scraper.autoscaling: minShards must not be more than maxShards")
public class ShardAutoscalingSpec {
  @JsonPropertyDescription("Fewest shards.")
  @Required
  @Min(1)
  @Max(100)
  public Integer minShards;

  @JsonPropertyDescription("Most shards.")
  @Required
  @Min(1)
  @Max(100)
  public Integer maxShards;

  @JsonPropertyDescription(
      "Series each shard should hold: the stack grows when the mean passes it and shrinks when"
          + " one shard fewer would stay under 90 % of it.")
  @Required
  @Min(1)
  public Long targetSeriesPerShard;

  @JsonPropertyDescription("Least time between two changes of the shard count. Default: 10m.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  @Size(max = 32)
  @Default("10m")
  public String cooldown = "10m";
}
