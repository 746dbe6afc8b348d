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

  @JsonPropertyDescription("Prometheus pods of the shard that are ready.")
  public Integer readyReplicas;
}
