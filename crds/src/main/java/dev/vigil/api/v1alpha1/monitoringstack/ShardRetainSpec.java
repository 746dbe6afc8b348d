package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The window of a retained shard, as prometheus-operator's {@code retain}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShardRetainSpec {
  @Required
  @JsonPropertyDescription(
      "How long a shard removed from service keeps running and answering queries, counted from"
          + " the scale-down, e.g. 2h or 7d. Absent retain: the stack's scraper.retention, the"
          + " age of the oldest samples the shard can hold.")
  @Size(max = 32)
  @ValidationRule(
      value = "self.matches('" + Patterns.PROMETHEUS_DURATION + "') && self != ''",
      message =
          "shardRetention.retain.retentionPeriod must be a Prometheus duration such as 20s, 2h or"
              + " 7d (units ms, s, m, h, d, w, y, largest first), never negative")
  public String retentionPeriod;
}
