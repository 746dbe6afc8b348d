package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Rule groups, as in a PrometheusRule, and optional routing for their alerts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.groups) || self.groups.all(g, self.groups.exists_one(o, o.name == g.name))",
    message = "groups: every group needs a unique name")
@ValidationRule(
    value = "has(self.groups) && size(self.groups) > 0 || has(self.routing)",
    message = "an AlertPolicy needs rule groups, routing, or both")
public class AlertPolicySpec {
  @JsonPropertyDescription(
      "Rule groups, spelled exactly as PrometheusRule.spec.groups, so a group pasted from a"
          + " PrometheusRule works unchanged. Rules keep the labels they are written with;"
          + " alerting rules also get vigil_policy: <namespace>/<name>, which a rule may not"
          + " set itself.")
  @Size(max = 200)
  public List<RuleGroup> groups;

  @JsonPropertyDescription(
      "Where this policy's alerts go. Vigil adds a route to the stack's Alertmanager that"
          + " matches only alerts of this policy (label vigil_policy=\"<namespace>/<name>\").")
  public Routing routing;
}
