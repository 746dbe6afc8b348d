package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Where a policy's alerts go: its receivers, a route tree below the policy's own subtree, and
 * inhibit rules. Everything here applies only to alerts of this policy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.receivers.all(r, self.receivers.exists_one(o, o.name == r.name))",
    message = "routing.receivers: every receiver needs a unique name")
@ValidationRule(
    value = "self.receivers.exists(r, r.name == self.route.receiver)",
    message = "routing.route.receiver must name one of routing.receivers")
@ValidationRule(
    value =
        "!has(self.route.routes) || self.route.routes.all(c, !has(c.receiver)"
            + " || self.receivers.exists(r, r.name == c.receiver))",
    message = "routing.route.routes[].receiver must name one of routing.receivers")
@ValidationRule(
    value =
        "!has(self.route.routes) || self.route.routes.all(c, !has(c.routes) || c.routes.all(g,"
            + " !has(g.receiver) || self.receivers.exists(r, r.name == g.receiver)))",
    message = "routing.route.routes[].routes[].receiver must name one of routing.receivers")
public class Routing {
  @Required
  @Size(min = 1, max = 20)
  @JsonPropertyDescription("The receivers this policy's alerts can be sent to.")
  public List<Receiver> receivers;

  @Required
  @JsonPropertyDescription(
      "The root of this policy's route subtree. Vigil matches it on the policy's namespace and"
          + " name, so it only ever sees this policy's alerts.")
  public PolicyRoute route;

  @JsonPropertyDescription(
      "Inhibit rules, scoped to this policy's alerts: a firing source alert mutes target"
          + " alerts that have the same values for the equal labels.")
  @Size(max = 20)
  public List<InhibitRule> inhibitRules;
}
