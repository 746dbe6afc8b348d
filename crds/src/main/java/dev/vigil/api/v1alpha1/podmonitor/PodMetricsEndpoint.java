package dev.vigil.api.v1alpha1.podmonitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.ScrapeEndpoint;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** One scrape endpoint of a PodMonitor, as prometheus-operator's PodMetricsEndpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.port) || has(self.portNumber) || has(self.targetPort)",
    message =
        "podMetricsEndpoints: name the container port to scrape with port (its name) or"
            + " portNumber")
public class PodMetricsEndpoint extends ScrapeEndpoint {
  @JsonPropertyDescription("Name of the container port to scrape. Takes precedence.")
  @Size(min = 1, max = 15)
  public String port;

  @JsonPropertyDescription("Number of the container port to scrape, when port is not set.")
  @Min(1)
  @Max(65535)
  public Integer portNumber;

  @JsonPropertyDescription(
      "Deprecated in prometheus-operator: the container port by name or number. Use port or"
          + " portNumber.")
  public IntOrString targetPort;
}
