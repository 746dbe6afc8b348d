package dev.vigil.api.v1alpha1.instrumentation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Where instrumented pods send spans, how the SDK samples and propagates, and per language. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.tracingPipeline) != has(self.endpoint)",
    message =
        "set exactly one of tracingPipeline (a TracingPipeline's collectors) or endpoint (an OTLP"
            + " URL)")
@ValidationRule(
    value =
        "!has(self.propagators) || !self.propagators.exists(p, p == 'none')"
            + " || size(self.propagators) == 1",
    message = "propagators: none turns propagation off and cannot be listed with others")
public class InstrumentationSpec {
  @JsonPropertyDescription(
      "Send spans to this TracingPipeline's collectors: the node's agent when it runs agents"
          + " with hostPorts, else its Service.")
  public TracingPipelineReference tracingPipeline;

  @JsonPropertyDescription(
      "Send spans to this OTLP endpoint instead, a URL such as http://otel.example:4318"
          + " (grpc: the gRPC port, usually 4317).")
  @Size(max = 2048)
  @Pattern("^https?://[^\\s,]+$")
  public String endpoint;

  @JsonPropertyDescription(
      "OTLP transport: http/protobuf (default) or grpc. Python always sends http/protobuf: its"
          + " image carries no gRPC exporter.")
  @Default("http/protobuf")
  public Protocol protocol = Protocol.HTTP_PROTOBUF;

  @JsonPropertyDescription(
      "OTEL_PROPAGATORS, in order: tracecontext, baggage, b3, b3multi, jaeger, xray, ottrace or"
          + " none. Default: the SDK's (tracecontext, baggage).")
  @Size(max = 8)
  public List<Propagator> propagators;

  @JsonPropertyDescription(
      "OTEL_TRACES_SAMPLER and its argument. Default: the SDK's" + " (parentbased_always_on).")
  public SamplerSpec sampler;

  @JsonPropertyDescription(
      "More resource attributes for every span, e.g. deployment.environment.name: prod. The"
          + " Kubernetes attributes Vigil adds win over these; attributes the container's own"
          + " OTEL_RESOURCE_ATTRIBUTES sets win over both.")
  public Map<String, String> resourceAttributes;

  @JsonPropertyDescription("Java: the OpenTelemetry Java agent, through JAVA_TOOL_OPTIONS.")
  public LanguageSpec java;

  @JsonPropertyDescription(
      "Python: opentelemetry-distro and the instrumentations, through PYTHONPATH.")
  public LanguageSpec python;

  @JsonPropertyDescription(
      "Node.js: @opentelemetry/auto-instrumentations-node, through NODE_OPTIONS.")
  public LanguageSpec nodejs;

  @JsonPropertyDescription(
      ".NET: the OpenTelemetry .NET automatic instrumentation, through the CLR profiler and"
          + " startup hook variables (glibc images).")
  public LanguageSpec dotnet;

  /** OTLP transports, as OTEL_EXPORTER_OTLP_PROTOCOL names them. */
  public enum Protocol {
    @JsonProperty("grpc")
    GRPC("grpc"),
    @JsonProperty("http/protobuf")
    HTTP_PROTOBUF("http/protobuf");

    private final String value;

    Protocol(String value) {
      this.value = value;
    }

    /** The name OTEL_EXPORTER_OTLP_PROTOCOL takes. */
    public String value() {
      return value;
    }
  }

  /** Propagators, as OTEL_PROPAGATORS names them. */
  public enum Propagator {
    tracecontext,
    baggage,
    b3,
    b3multi,
    jaeger,
    xray,
    ottrace,
    none
  }
}
