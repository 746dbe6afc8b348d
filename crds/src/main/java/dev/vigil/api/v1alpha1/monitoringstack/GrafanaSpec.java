package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** A Grafana wired to the stack's Prometheus, Alertmanager and Jaeger backends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GrafanaSpec {
  @JsonPropertyDescription("Run Grafana. Default: false.")
  @Default("false")
  public Boolean enabled = false;

  @JsonPropertyDescription("Grafana image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "Secret (in the stack's namespace) with the admin credentials under the keys"
          + " admin-user and admin-password. Default: Vigil generates one named"
          + " <stack>-grafana-admin.")
  @Size(max = 253)
  public String adminCredentialsSecret;

  @JsonPropertyDescription(
      "ConfigMaps whose dashboards are loaded. Default: ConfigMaps labelled"
          + " monitoring.vigil.dev/dashboard: \"true\" in the stack's namespace.")
  public ResourceSelector dashboardSelector;

  @JsonPropertyDescription("Where Grafana keeps its database. Default: emptyDir.")
  public StorageSpec storage;

  @JsonPropertyDescription(
      "CPU and memory of the Grafana container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;
}
