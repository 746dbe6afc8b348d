package dev.vigil.reconcilers.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus rule file, as Prometheus reads it ({@code rule_files}): the model {@link
 * PolicyRules} builds and the stack renders. Thanos-only fields such as {@code
 * partial_response_strategy} have no place here: Prometheus refuses unknown fields.
 */
public record RuleFile(List<Group> groups) {
  /** A rule group; {@code name} is unique among every group a stack loads. */
  public record Group(
      String name,
      String interval,
      String queryOffset,
      Integer limit,
      Map<String, String> labels,
      List<Rule> rules) {}

  /** A recording ({@code record}) or alerting ({@code alert}) rule. */
  public record Rule(
      String record,
      String alert,
      String expr,
      @JsonProperty("for") String forDuration,
      String keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations) {}
}
