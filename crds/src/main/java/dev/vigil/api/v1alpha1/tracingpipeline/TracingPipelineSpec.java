package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.NetworkPolicySpec;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** How traces are received, processed and exported. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.mode == 'gateway' || (!has(self.replicas) && !has(self.autoscaling))",
    message =
        "replicas and autoscaling apply to mode gateway only; an agent runs one collector per"
            + " node")
@ValidationRule(
    value = "self.mode == 'agent' || !has(self.hostPorts) || !self.hostPorts",
    message = "hostPorts applies to mode agent only")
@ValidationRule(
    value =
        "has(self.exporters.otlp) && size(self.exporters.otlp) > 0 || has(self.exporters.jaeger)"
            + " || has(self.exporters.debug) || has(self.exporters.gateway)"
            + " || has(self.exporters.datadog)",
    message = "exporters: configure at least one of otlp, jaeger, gateway, datadog or debug")
@ValidationRule(
    value =
        "!has(self.spanMetrics) || (has(self.spanMetrics.enabled) && !self.spanMetrics.enabled)"
            + " || (has(self.exporters.jaeger) && (!has(self.exporters.jaeger.enabled)"
            + " || self.exporters.jaeger.enabled))",
    message = "spanMetrics needs exporters.jaeger: the Jaeger backend exposes them for Prometheus")
public class TracingPipelineSpec {
  @JsonPropertyDescription(
      "gateway: a Deployment behind a Service; agent: a DaemonSet, one collector per node."
          + " Default: gateway.")
  @Default("gateway")
  public Mode mode = Mode.gateway;

  @JsonPropertyDescription("Collector pods in gateway mode. Default: 1.")
  @Min(1)
  @Max(100)
  public Integer replicas;

  @JsonPropertyDescription("Scale the gateway with a HorizontalPodAutoscaler.")
  public AutoscalingSpec autoscaling;

  @JsonPropertyDescription("In agent mode, also expose the receivers on host ports of each node.")
  public Boolean hostPorts;

  @JsonPropertyDescription("OpenTelemetry Collector image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "CPU and memory of each collector container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;

  @JsonPropertyDescription("Node labels the collectors must run on.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Taints the collectors tolerate.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription("Protocols the collectors accept spans in. Default: OTLP gRPC and HTTP.")
  public ReceiversSpec receivers;

  @JsonPropertyDescription(
      "What happens to spans between receiving and exporting. Vigil orders them: memory"
          + " limiter, k8s attributes, sampling, batch.")
  public ProcessorsSpec processors;

  @JsonPropertyDescription(
      "Request rate, errors and duration per service and operation, from every span received"
          + " (before sampling), exposed by the Jaeger backend for Prometheus. Needs"
          + " exporters.jaeger.")
  public SpanMetricsSpec spanMetrics;

  @Required
  @JsonPropertyDescription("Where spans go.")
  public ExportersSpec exporters;

  @JsonPropertyDescription(
      "NetworkPolicies admitting only the traffic the collectors and the Jaeger backend need."
          + " Off by default.")
  public NetworkPolicySpec networkPolicy;

  /** How the collectors are deployed. */
  public enum Mode {
    gateway,
    agent
  }
}
