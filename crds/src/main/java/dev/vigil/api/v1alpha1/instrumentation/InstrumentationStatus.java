package dev.vigil.api.v1alpha1.instrumentation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.VigilStatus;

/** Where instrumented pods send spans, and how many pods carry this Instrumentation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstrumentationStatus extends VigilStatus {
  @JsonPropertyDescription(
      "The OTLP endpoint injected pods send to, for spec.protocol: the TracingPipeline's"
          + " Service, its node-local agent (http://$(OTEL_NODE_IP):port), or spec.endpoint.")
  public String endpoint;

  @JsonPropertyDescription(
      "Running pods this Instrumentation was injected into, in the namespaces Vigil watches.")
  public Integer instrumentedPods;
}
