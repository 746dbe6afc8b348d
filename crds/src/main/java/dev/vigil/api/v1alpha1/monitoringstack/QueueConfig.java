package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Remote write queue tuning, as Prometheus's queue_config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueConfig {
  @JsonPropertyDescription("Samples buffered per shard.")
  @Min(1)
  public Integer capacity;

  @JsonPropertyDescription("Fewest parallel senders.")
  @Min(1)
  public Integer minShards;

  @JsonPropertyDescription("Most parallel senders.")
  @Min(1)
  public Integer maxShards;

  @JsonPropertyDescription("Most samples per request.")
  @Min(1)
  public Integer maxSamplesPerSend;

  @JsonPropertyDescription("Longest a sample waits in the buffer, e.g. 5s.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String batchSendDeadline;
}
