package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Where a monitor looks for its targets, as prometheus-operator's NamespaceSelector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceSelector {
  @JsonPropertyDescription(
      "Select objects in every namespace Vigil watches. When true, matchNames is ignored.")
  public Boolean any;

  @JsonPropertyDescription(
      "Namespaces to select objects in. When neither any nor matchNames is set, only the"
          + " monitor's own namespace is used.")
  @Size(max = 1000)
  public List<@Size(max = 63) String> matchNames;
}
