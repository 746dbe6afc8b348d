package dev.vigil.api.v1alpha1.servicemonitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.ScrapeEndpoint;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.IntOrString;

/** One scrape endpoint of a ServiceMonitor, as prometheus-operator's Endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Endpoint extends ScrapeEndpoint {
  @JsonPropertyDescription("Name of the Service port to scrape. Takes precedence over targetPort.")
  @Size(max = 63)
  public String port;

  @JsonPropertyDescription(
      "Container port to scrape, by number or name, when port is not set. Also matches"
          + " container ports the Service does not expose.")
  public IntOrString targetPort;

  @JsonPropertyDescription(
      "Path, inside the Prometheus container, of a file holding a bearer token. Deprecated in"
          + " prometheus-operator; prefer authorization.")
  public String bearerTokenFile;
}
