package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Jaeger's Monitor tab (service performance monitoring): the Prometheus the backend reads the
 * pipeline's span metrics back from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.stack) != has(self.prometheusUrl)",
    message = "monitor: set exactly one of stack or prometheusUrl")
public class JaegerMonitorSpec {
  @JsonPropertyDescription(
      "The MonitoringStack whose Prometheus (or Thanos Query, when it runs one) Jaeger queries:"
          + " a stack that selects this pipeline's namespace scrapes its span metrics. A tenant's"
          + " pipeline may name a stack in its own namespace only.")
  public StackReference stack;

  @JsonPropertyDescription(
      "Or any Prometheus-compatible query URL, e.g. http://prometheus.monitoring.svc:9090.")
  @Size(max = 2048)
  public String prometheusUrl;

  /** A MonitoringStack by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StackReference {
    @io.fabric8.generator.annotation.Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the MonitoringStack.")
    public String name;

    @JsonPropertyDescription("Its namespace. Default: this pipeline's namespace.")
    @Size(max = 63)
    public String namespace;
  }
}
