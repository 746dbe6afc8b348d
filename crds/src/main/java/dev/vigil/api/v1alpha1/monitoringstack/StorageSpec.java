package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;

/** Storage of a StatefulSet's data: an emptyDir or a PersistentVolumeClaim per pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.emptyDir) && has(self.volumeClaimTemplate))",
    message = "storage: set emptyDir or volumeClaimTemplate, not both")
public class StorageSpec {
  @JsonPropertyDescription("An emptyDir volume: data is lost when the pod moves.")
  public EmptyDirVolumeSource emptyDir;

  @JsonPropertyDescription("A PersistentVolumeClaim per pod, kept across restarts.")
  public VolumeClaimTemplate volumeClaimTemplate;
}
