package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What every Vigil status has: the generation it describes and standard conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class VigilStatus {
  @JsonPropertyDescription(
      "The metadata.generation this status describes. When it is lower than metadata.generation,"
          + " Vigil has not yet processed the latest spec.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Standard conditions. Ready: the object works as specified. Reconciled: the last reconcile"
          + " succeeded. Kinds add their own (Accepted for monitors and policies). A False"
          + " condition's message says what to fix.")
  public List<Condition> conditions = new ArrayList<>();

  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
