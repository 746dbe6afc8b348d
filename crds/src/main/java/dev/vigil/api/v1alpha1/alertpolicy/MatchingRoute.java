package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A route below the policy's root: which alerts it takes and where they go. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MatchingRoute extends RouteSettings {
  @JsonPropertyDescription("Receiver for the alerts this route takes. Default: the parent's.")
  @Size(max = 256)
  public String receiver;

  @JsonPropertyDescription("Conditions an alert's labels must all meet for this route.")
  @Size(max = 20)
  public List<Matcher> matchers;

  @JsonProperty("continue")
  @JsonPropertyDescription("Keep trying the following sibling routes after this one matched.")
  public Boolean continueMatching;
}
