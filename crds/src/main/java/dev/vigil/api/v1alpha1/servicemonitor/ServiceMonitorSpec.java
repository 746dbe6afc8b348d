package dev.vigil.api.v1alpha1.servicemonitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.MonitorSpec;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What a ServiceMonitor scrapes: the endpoints of matching Services, one job per endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceMonitorSpec extends MonitorSpec {
  @Required
  @Size(min = 1, max = 50)
  @JsonPropertyDescription(
      "How to scrape the matching Services' endpoints. Each entry becomes the scrape job"
          + " serviceMonitor/<namespace>/<name>/<index>.")
  public List<Endpoint> endpoints;

  @JsonPropertyDescription("Service labels copied onto every target.")
  @Size(max = 100)
  public List<@Size(max = 317) String> targetLabels;

  @JsonPropertyDescription(
      "Which label family targets carry: Endpoints (default, __meta_kubernetes_endpoint_*) or"
          + " EndpointSlice (__meta_kubernetes_endpointslice_*). Vigil reads EndpointSlices in"
          + " both cases.")
  public ServiceDiscoveryRole serviceDiscoveryRole;

  /** The Prometheus discovery role whose labels the targets carry. */
  public enum ServiceDiscoveryRole {
    Endpoints,
    EndpointSlice
  }
}
