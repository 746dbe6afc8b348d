package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A monitor or rule object the stack's {@code enforcedNamespaceLabel} does not apply to, as
 * prometheus-operator's {@code excludedFromEnforcement} entries: a resource in a namespace, and
 * optionally its name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.group) || self.group == 'monitoring.vigil.dev' && self.resource !="
            + " 'prometheusrules' || self.group == 'monitoring.coreos.com' && self.resource !="
            + " 'alertpolicies'",
    message =
        "excludedFromEnforcement: alertpolicies are in group monitoring.vigil.dev,"
            + " prometheusrules in monitoring.coreos.com")
public class EnforcementExclusion {
  @JsonPropertyDescription(
      "API group of the objects: monitoring.vigil.dev (Vigil's kinds) or monitoring.coreos.com"
          + " (prometheus-operator's kinds Vigil reads). Default: either.")
  public Group group;

  @Required
  @JsonPropertyDescription(
      "Resource of the objects: servicemonitors, podmonitors, alertpolicies or prometheusrules.")
  public Resource resource;

  @Required
  @Size(min = 1, max = 63)
  @JsonPropertyDescription("Namespace of the objects.")
  public String namespace;

  @Size(max = 253)
  @JsonPropertyDescription("Name of the object. Default: every object of the resource there.")
  public String name;

  /** The API groups whose objects a stack takes in. */
  public enum Group {
    @JsonProperty("monitoring.vigil.dev")
    VIGIL,
    @JsonProperty("monitoring.coreos.com")
    PROMETHEUS_OPERATOR
  }

  /** The resources enforcement applies to. */
  public enum Resource {
    @JsonProperty("servicemonitors")
    SERVICE_MONITORS,
    @JsonProperty("podmonitors")
    POD_MONITORS,
    @JsonProperty("alertpolicies")
    ALERT_POLICIES,
    @JsonProperty("prometheusrules")
    PROMETHEUS_RULES
  }
}
