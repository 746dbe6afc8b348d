package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One Prometheus shard of a stack. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShardStatus {
  @JsonPropertyDescription("Shard index, from 0.")
  public Integer shard;

  @JsonPropertyDescription("Targets assigned to the shard.")
  public Integer targets;

  @JsonPropertyDescription(
      "Series the shard's targets produced at their last scrape (the sum of"
          + " scrape_samples_post_metric_relabeling), when Vigil reads them: with balancing or"
          + " autoscaling.")
  public Long series;

  @JsonPropertyDescription("Prometheus pods of the shard that are ready.")
  public Integer readyReplicas;
}
