package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Grouping and timing settings every route level has, as Alertmanager's route. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class RouteSettings {
  @JsonPropertyDescription(
      "Labels alerts are grouped by into one notification. '...' groups by all labels.")
  @Size(max = 30)
  public List<@Size(max = 256) String> groupBy;

  @JsonPropertyDescription("How long to wait before the first notification of a new group.")
  @Pattern(Patterns.PROMETHEUS_DURATION)
  public String groupWait;

  @JsonPropertyDescription("How long to wait before notifying about new alerts in a group.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String groupInterval;

  @JsonPropertyDescription("How long to wait before repeating a notification.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String repeatInterval;
}
