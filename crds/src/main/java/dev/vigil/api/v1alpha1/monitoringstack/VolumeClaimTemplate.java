package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/** The PersistentVolumeClaim each pod gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeClaimTemplate {
  @Required
  @JsonPropertyDescription("Requested size, e.g. 50Gi.")
  @JsonDeserialize(using = StoredQuantities.QuantityReader.class)
  public Quantity size;

  @JsonPropertyDescription("Storage class. Default: the cluster's default class.")
  public String storageClassName;

  @JsonPropertyDescription("Access modes. Default: [ReadWriteOnce].")
  public List<String> accessModes;

  @JsonPropertyDescription("Labels of the claims.")
  public Map<String, String> labels;

  @JsonPropertyDescription("Annotations of the claims.")
  public Map<String, String> annotations;
}
