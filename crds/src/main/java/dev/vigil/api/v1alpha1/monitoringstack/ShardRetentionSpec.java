package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * What happens to the shards a scale-down removes from service, as prometheus-operator's {@code
 * Prometheus.spec.shardRetentionPolicy}: deleted at once, or kept running (answering queries, no
 * longer scraping) for a window, then deleted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShardRetentionSpec {
  @JsonPropertyDescription(
      "Delete: a shard above the shard count is deleted at once, with the samples only it holds."
          + " Retain: it stops receiving targets but keeps running, and is still queried through"
          + " the stack's query Service (and Thanos Query), for retain.retentionPeriod (absent:"
          + " scraper.retention); then Vigil deletes it. Scaling back up within the window reuses"
          + " it. Default: Delete, as prometheus-operator.")
  @Default("Delete")
  public WhenScaled whenScaled = WhenScaled.Delete;

  @JsonPropertyDescription("How long a retained shard is kept. Ignored with whenScaled: Delete.")
  public ShardRetainSpec retain;

  /** What a scale-down does to the shards it removes. */
  public enum WhenScaled {
    Retain,
    Delete
  }
}
