package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** How a stack's targets are spread over its shards. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShardBalancingSpec {
  @JsonPropertyDescription(
      "What is balanced. targets: each target goes to the shard rendezvous hashing picks, so"
          + " shards get about as many targets each. series: the series each target produced,"
          + " read from the shards, are balanced by moving targets off the heaviest shards;"
          + " new targets go by rendezvous hashing until they are weighed. Default: targets.")
  @Default("targets")
  public By by = By.targets;

  @JsonPropertyDescription(
      "How often the shards' series are read and, with by: series, targets moved."
          + " Default: 5m.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  @Size(max = 32)
  @Default("5m")
  public String interval = "5m";

  @JsonPropertyDescription(
      "Targets move only when the heaviest shard has this many percent more series than the"
          + " mean, and until it has less than half that (hysteresis). Default: 10.")
  @Min(1)
  @Max(100)
  @Default("10")
  public Integer tolerancePercent = 10;

  @JsonPropertyDescription("Most targets moved per interval. Default: 500.")
  @Min(1)
  @Max(100000)
  @Default("500")
  public Integer maxMovesPerInterval = 500;

  /** What is balanced. */
  public enum By {
    targets,
    series
  }
}
