package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Mutes target alerts while a source alert fires; scoped to the policy's alerts by Vigil. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InhibitRule {
  @Required
  @Size(min = 1, max = 20)
  @JsonPropertyDescription("Matchers the muting (source) alert must meet.")
  public List<Matcher> sourceMatchers;

  @Required
  @Size(min = 1, max = 20)
  @JsonPropertyDescription("Matchers the muted (target) alerts must meet.")
  public List<Matcher> targetMatchers;

  @JsonPropertyDescription("Labels whose values must be equal in source and target.")
  @Size(max = 30)
  public List<String> equal;
}
