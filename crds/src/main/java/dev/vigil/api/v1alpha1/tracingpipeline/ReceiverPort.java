package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** One receiver protocol: on or off, and the port it listens on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReceiverPort {
  @JsonPropertyDescription("Accept spans with this protocol. Default: true once the block is set.")
  public Boolean enabled;

  @JsonPropertyDescription("Port to listen on. Default: the protocol's standard port.")
  @Min(1)
  @Max(65535)
  public Integer port;
}
