package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * Which pods' logs a pipeline collects. A pipeline in a tenant's namespace collects only its own
 * namespace's, whatever this says (docs/tenancy.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogSelection {
  /** A namespace or container name. */
  static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @JsonPropertyDescription(
      "Namespaces whose pods are collected. Default: the pipeline's own namespace.")
  public LogNamespaces namespaces;

  @JsonPropertyDescription("Namespaces never collected, even when selected.")
  @Size(max = 1000)
  public List<@Size(max = 63) @Pattern(DNS_LABEL) String> excludeNamespaces;

  @JsonPropertyDescription(
      "Only pods with these labels. Matched against the pod's labels as the agent sees them.")
  public LabelSelector pods;

  @JsonPropertyDescription("Only these containers, by name. Default: every container.")
  @Size(max = 100)
  public List<@Size(max = 63) @Pattern(DNS_LABEL) String> containers;

  @JsonPropertyDescription("Containers never collected, by name (e.g. istio-proxy).")
  @Size(max = 100)
  public List<@Size(max = 63) @Pattern(DNS_LABEL) String> excludeContainers;

  /** Namespaces, by name, by label or all. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LogNamespaces {
    @JsonPropertyDescription("Every namespace. When true, matchNames and selector are ignored.")
    public Boolean any;

    @JsonPropertyDescription("Namespaces by name.")
    @Size(max = 1000)
    public List<@Size(max = 63) @Pattern(DNS_LABEL) String> matchNames;

    @JsonPropertyDescription("Namespaces by label; added to matchNames.")
    public LabelSelector selector;
  }
}
