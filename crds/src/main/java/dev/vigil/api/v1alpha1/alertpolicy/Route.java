package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A child route of a policy's route; it may have children of its own (one more level). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Route extends MatchingRoute {
  @JsonPropertyDescription("Child routes, tried in order.")
  @Size(max = 50)
  public List<MatchingRoute> routes;
}
