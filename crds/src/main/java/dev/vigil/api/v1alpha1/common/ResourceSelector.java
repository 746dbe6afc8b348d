package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Which objects of a kind a MonitoringStack selects: a label selector on the objects and a label
 * selector on their namespaces.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceSelector {
  @JsonPropertyDescription(
      "Labels the selected objects must carry. Absent or empty ({}) selects every object in the"
          + " selected namespaces.")
  public LabelSelector labelSelector;

  @JsonPropertyDescription(
      "Labels the namespaces of the selected objects must carry. Absent selects only the stack's"
          + " own namespace; empty ({}) selects every namespace Vigil watches.")
  public LabelSelector namespaceSelector;
}
