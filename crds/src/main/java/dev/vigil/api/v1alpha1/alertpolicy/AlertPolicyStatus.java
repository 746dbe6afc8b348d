package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.StackBinding;
import dev.vigil.api.v1alpha1.common.VigilStatus;
import java.util.ArrayList;
import java.util.List;

/** What became of an AlertPolicy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertPolicyStatus extends VigilStatus {
  @JsonPropertyDescription("Rules in the policy that passed validation.")
  public Integer rules;

  @JsonPropertyDescription("Alerting rules among them.")
  public Integer alertingRules;

  @JsonPropertyDescription("Recording rules among them.")
  public Integer recordingRules;

  @JsonPropertyDescription(
      "One entry per MonitoringStack that selects this policy, with its Accepted condition.")
  public List<StackBinding> bindings = new ArrayList<>();
}
