package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The k8sattributes processor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class K8sAttributesSpec {
  @JsonPropertyDescription("Add Kubernetes metadata to spans. Default: true.")
  public Boolean enabled;

  @JsonPropertyDescription(
      "Metadata to extract, as the processor names it (k8s.namespace.name, k8s.pod.name,"
          + " k8s.deployment.name, k8s.node.name…). Default: namespace, pod name and UID,"
          + " deployment, node, start time.")
  @Size(max = 30)
  public List<String> metadata;

  @JsonPropertyDescription("Pod labels copied to span attributes (k8s.pod.labels.<key>).")
  @Size(max = 30)
  public List<String> podLabels;
}
