package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** node-exporter on every node, scraped by the stack with a node label. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeAgentSpec {
  @JsonPropertyDescription("Run node-exporter. Default: false.")
  @Default("false")
  public Boolean enabled = false;

  @JsonPropertyDescription("node-exporter image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription("Taints tolerated. Default: every taint (runs on every node).")
  public List<Toleration> tolerations;

  @JsonPropertyDescription(
      "CPU and memory of the node-exporter container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;
}
