package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A condition on one alert label, as Alertmanager's matchers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.name != 'vigil_policy'",
    message =
        "matchers: the label vigil_policy is set by Vigil to scope the policy; match on other"
            + " labels")
public class Matcher {
  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Label name.")
  public String name;

  @JsonPropertyDescription("Value, or regular expression for =~ and !~.")
  @Size(max = 1024)
  public String value;

  @JsonPropertyDescription("How the value is compared: = (default), !=, =~ or !~.")
  public MatchType matchType;

  /** Alertmanager's matcher operators. */
  public enum MatchType {
    @JsonProperty("=")
    EQUAL,
    @JsonProperty("!=")
    NOT_EQUAL,
    @JsonProperty("=~")
    REGEX,
    @JsonProperty("!~")
    NOT_REGEX
  }
}
