package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

/**
 * NetworkPolicies for what a MonitoringStack or TracingPipeline runs: one per component, admitting
 * only the traffic the component needs (docs/monitoringstack.md, docs/tracingpipeline.md). Ingress
 * only: Prometheus must reach whatever it scrapes, and collectors whatever they export to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.additionalIngressFrom) || self.additionalIngressFrom.all(p,"
            + " has(p.podSelector) || has(p.namespaceSelector) || has(p.ipBlock))",
    message =
        "networkPolicy.additionalIngressFrom: each peer needs a podSelector, a namespaceSelector"
            + " or an ipBlock")
@ValidationRule(
    value =
        "!has(self.additionalIngressFrom) || self.additionalIngressFrom.all(p,"
            + " !has(p.ipBlock) || !has(p.podSelector) && !has(p.namespaceSelector)"
            + " && has(p.ipBlock.cidr))",
    message =
        "networkPolicy.additionalIngressFrom: an ipBlock peer has a cidr and no selectors, as in a"
            + " NetworkPolicy")
public class NetworkPolicySpec {
  @JsonPropertyDescription(
      "Create a NetworkPolicy for each component, admitting only the traffic it needs. Turning it"
          + " off deletes them. Default: false.")
  @Default("false")
  public Boolean enabled = false;

  @JsonPropertyDescription(
      "Further sources (NetworkPolicy peers: podSelector, namespaceSelector, ipBlock) admitted to"
          + " every port the policies open to clients, e.g. an ingress controller or a Grafana of"
          + " your own.")
  @Size(max = 32)
  public List<NetworkPolicyPeer> additionalIngressFrom;
}
