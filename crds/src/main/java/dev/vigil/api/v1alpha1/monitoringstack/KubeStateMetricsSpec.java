package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** kube-state-metrics, scraped by the stack with honor_labels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeStateMetricsSpec {
  @JsonPropertyDescription("Run kube-state-metrics. Default: false.")
  @Default("false")
  public Boolean enabled = false;

  @JsonPropertyDescription("kube-state-metrics image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "CPU and memory of the kube-state-metrics container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;
}
