package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A TracingPipeline in gateway mode that this pipeline forwards spans to over OTLP. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayReference {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the gateway TracingPipeline.")
  public String name;

  @JsonPropertyDescription("Its namespace. Default: this pipeline's namespace.")
  @Size(max = 63)
  public String namespace;
}
