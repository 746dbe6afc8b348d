package dev.vigil.api.v1alpha1.instrumentation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The TracingPipeline whose collectors instrumented pods send spans to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TracingPipelineReference {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the TracingPipeline.")
  public String name;

  @JsonPropertyDescription("Its namespace. Default: this Instrumentation's namespace.")
  @Size(max = 63)
  public String namespace;
}
