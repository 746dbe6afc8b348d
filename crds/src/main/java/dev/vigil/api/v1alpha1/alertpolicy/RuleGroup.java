package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** A group of rules evaluated together, as a PrometheusRule group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuleGroup {
  @Required
  @Size(min = 1, max = 200)
  @JsonPropertyDescription("Name of the group, unique in the policy.")
  public String name;

  @JsonPropertyDescription("Labels added to every rule of the group.")
  public Map<String, String> labels;

  @JsonPropertyDescription(
      "How often the group is evaluated. Default: the stack's evaluationInterval.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String interval;

  @JsonProperty("query_offset")
  @JsonPropertyDescription("How far in the past the group's queries are evaluated, e.g. 1m.")
  @Pattern(Patterns.PROMETHEUS_DURATION)
  public String queryOffset;

  @JsonPropertyDescription(
      "Most alerts an alerting rule and series a recording rule may produce. 0: no limit.")
  @Min(0)
  public Integer limit;

  @JsonProperty("partial_response_strategy")
  @JsonPropertyDescription("Thanos Ruler partial response strategy: warn or abort.")
  @Pattern("^$|^(warn|abort)$")
  public String partialResponseStrategy;

  @Required
  @Size(min = 1, max = 1000)
  @JsonPropertyDescription("The rules of the group.")
  public List<Rule> rules;
}
