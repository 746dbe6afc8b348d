package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Extra metadata attached to discovered targets, as prometheus-operator's AttachMetadata. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttachMetadata {
  @JsonPropertyDescription(
      "Attach the labels of the target's Node as __meta_kubernetes_node_label_* (needs Vigil to"
          + " read Nodes).")
  public Boolean node;
}
