package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.common.Patterns;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The stack's Alertmanager: an HA cluster when replicas > 1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertmanagerSpec {
  @JsonPropertyDescription("Run Alertmanager. Default: false.")
  @Default("false")
  public Boolean enabled = false;

  @JsonPropertyDescription("Alertmanager pods; more than 1 form a gossip cluster. Default: 1.")
  @Min(1)
  @Max(7)
  @Default("1")
  public Integer replicas = 1;

  @JsonPropertyDescription("Alertmanager image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "CPU and memory of each Alertmanager container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;

  @JsonPropertyDescription("Where silences and the notification log are kept. Default: emptyDir.")
  public StorageSpec storage;

  @JsonPropertyDescription("How long alert data is kept. Default: 120h.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String retention;

  @JsonPropertyDescription("Node labels the Alertmanager pods must run on.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Taints the Alertmanager pods tolerate.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription("Global settings of alertmanager.yml.")
  public AlertmanagerGlobal global;

  @JsonPropertyDescription(
      "Catch-all receiver for alerts that no AlertPolicy routes. Default: none, such alerts"
          + " are dropped.")
  public Receiver defaultReceiver;
}
