package dev.vigil.api.v1alpha1.podmonitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.MonitorSpec;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What a PodMonitor scrapes: container ports of matching pods, one job per endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodMonitorSpec extends MonitorSpec {
  @Required
  @Size(min = 1, max = 50)
  @JsonPropertyDescription(
      "How to scrape the matching pods. Each entry becomes the scrape job"
          + " podMonitor/<namespace>/<name>/<index>.")
  public List<PodMetricsEndpoint> podMetricsEndpoints;
}
