package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Status of a ServiceMonitor or PodMonitor: how many targets it found and, for every stack that
 * selects it, whether that stack accepted it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitorStatus extends VigilStatus {
  @JsonPropertyDescription("Targets discovered for this monitor, over all its endpoints.")
  public Integer targets;

  @JsonPropertyDescription(
      "One entry per MonitoringStack that selects this monitor, with its Accepted condition.")
  public List<StackBinding> bindings = new ArrayList<>();
}
