package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * A single-node VictoriaLogs (a StatefulSet of one): OTLP logs in, LogsQL out. Past one node's
 * capacity, run VictoriaLogs' cluster mode yourself and send to it with an otlp backend
 * (docs/logpipeline.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.size) == has(oldSelf.size) && (!has(self.size) || self.size == oldSelf.size)"
            + " && has(self.storageClassName) == has(oldSelf.storageClassName)"
            + " && (!has(self.storageClassName) || self.storageClassName =="
            + " oldSelf.storageClassName)",
    message =
        "victoriaLogs: size and storageClassName cannot change once the backend exists (a"
            + " StatefulSet's claim template is fixed); remove the victoriaLogs block and add it"
            + " again to start over, or resize the claim itself")
public class VictoriaLogsSpec {
  @JsonPropertyDescription("VictoriaLogs image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "How long logs are kept: a number with unit h, d, w or y (VictoriaLogs' -retentionPeriod)."
          + " Default: 7d.")
  @Pattern("^[0-9]+(h|d|w|y)$")
  public String retention;

  @JsonPropertyDescription(
      "A PersistentVolumeClaim of this size holds the data. Absent: an emptyDir, lost with the"
          + " pod.")
  @JsonDeserialize(using = StoredQuantities.QuantityReader.class)
  public Quantity size;

  @JsonPropertyDescription("StorageClass of the claim. Default: the cluster's default.")
  @Size(max = 253)
  public String storageClassName;

  @JsonPropertyDescription(
      "CPU and memory of the VictoriaLogs container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;
}
