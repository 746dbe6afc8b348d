package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The root of a policy's route subtree; Vigil adds the matchers that scope it to the policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyRoute extends RouteSettings {
  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Receiver for the policy's alerts that no child route takes.")
  public String receiver;

  @JsonPropertyDescription("Child routes, tried in order.")
  @Size(max = 50)
  public List<Route> routes;
}
