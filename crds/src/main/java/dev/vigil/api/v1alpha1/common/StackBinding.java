package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** A MonitoringStack that selects an object, and what that stack made of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StackBinding {
  @JsonPropertyDescription("Namespace of the MonitoringStack.")
  public String namespace;

  @JsonPropertyDescription("Name of the MonitoringStack.")
  public String name;

  @JsonPropertyDescription(
      "Conditions for this stack: Accepted=True when the object is in the stack's"
          + " configuration, False with the reason when it was left out.")
  public List<Condition> conditions = new ArrayList<>();
}
