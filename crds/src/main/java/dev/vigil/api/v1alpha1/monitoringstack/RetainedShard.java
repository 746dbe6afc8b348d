package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A shard a scale-down took out of service that still runs, under {@code
 * scraper.shardRetention.whenScaled: Retain}: it scrapes nothing and answers queries until {@code
 * until}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetainedShard {
  @JsonPropertyDescription("Shard index, from 0; at or above the stack's shard count.")
  public Integer shard;

  @JsonPropertyDescription("When the shard left service (RFC 3339).")
  public String since;

  @JsonPropertyDescription(
      "When Vigil deletes it (RFC 3339): since plus the retention period. Absent: never (the"
          + " stack keeps samples by size only).")
  public String until;

  public RetainedShard() {}

  public RetainedShard(Integer shard, String since, String until) {
    this.shard = shard;
    this.since = since;
    this.until = until;
  }
}
