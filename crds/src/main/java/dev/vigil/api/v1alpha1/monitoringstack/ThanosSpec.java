package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** A Thanos sidecar in every Prometheus pod and a Thanos Query over all shards. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThanosSpec {
  @JsonPropertyDescription("Run the Thanos sidecars and Thanos Query. Default: false.")
  @Default("false")
  public Boolean enabled = false;

  @JsonPropertyDescription("Thanos image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription("Thanos Query pods. Default: 1.")
  @Min(1)
  @Max(10)
  public Integer queryReplicas;

  @JsonPropertyDescription(
      "CPU and memory of the Thanos Query container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;

  @JsonPropertyDescription(
      "CPU and memory of the Thanos sidecar in each Prometheus pod."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements sidecarResources;
}
