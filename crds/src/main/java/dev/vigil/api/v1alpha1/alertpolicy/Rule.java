package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Map;

/** An alerting rule (alert) or a recording rule (record), as in a PrometheusRule. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.alert) != has(self.record)",
    message = "rules: set exactly one of alert (an alerting rule) or record (a recording rule)")
@ValidationRule(
    value = "!has(self.record) || !has(self.__for__)",
    message = "rules: for is only allowed on alerting rules; remove it from the recording rule")
@ValidationRule(
    value = "!has(self.record) || !has(self.keep_firing_for)",
    message =
        "rules: keep_firing_for is only allowed on alerting rules; remove it from the recording"
            + " rule")
@ValidationRule(
    value = "!has(self.record) || !has(self.annotations)",
    message = "rules: annotations are only allowed on alerting rules")
public class Rule {
  @JsonPropertyDescription("Name of the time series a recording rule writes.")
  @Pattern("^[a-zA-Z_:][a-zA-Z0-9_:]*$")
  public String record;

  @JsonPropertyDescription("Name of the alert an alerting rule fires.")
  @Pattern("^.+$")
  public String alert;

  @Required
  @JsonPropertyDescription("The PromQL expression. Vigil parses it before it ships.")
  public IntOrString expr;

  @JsonProperty("for")
  @JsonPropertyDescription("How long the condition must hold before the alert fires, e.g. 10m.")
  @Pattern(Patterns.PROMETHEUS_DURATION)
  public String forDuration;

  @JsonProperty("keep_firing_for")
  @JsonPropertyDescription("How long the alert keeps firing after the condition clears.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String keepFiringFor;

  @JsonPropertyDescription("Labels added to the alert or the recorded series.")
  public Map<String, String> labels;

  @JsonPropertyDescription("Annotations of the alert (summary, description, runbook_url…).")
  public Map<String, String> annotations;
}
