package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.VigilStatus;

/** What a TracingPipeline runs and where applications send to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TracingPipelineStatus extends VigilStatus {
  @JsonPropertyDescription("Where applications send spans, per protocol, and the Jaeger UI.")
  public Endpoints endpoints;

  @JsonPropertyDescription("Collector pods wanted.")
  public Integer replicas;

  @JsonPropertyDescription("Collector pods ready.")
  public Integer readyReplicas;

  /** In-cluster addresses of the pipeline. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Endpoints {
    @JsonPropertyDescription("OTLP gRPC, host:port.")
    public String otlpGrpc;

    @JsonPropertyDescription("OTLP HTTP base URL.")
    public String otlpHttp;

    @JsonPropertyDescription("Jaeger gRPC, host:port.")
    public String jaegerGrpc;

    @JsonPropertyDescription("Jaeger Thrift HTTP URL.")
    public String jaegerThriftHttp;

    @JsonPropertyDescription("Jaeger Thrift compact over UDP, host:port.")
    public String jaegerThriftCompact;

    @JsonPropertyDescription("Jaeger Thrift binary over UDP, host:port.")
    public String jaegerThriftBinary;

    @JsonPropertyDescription("Zipkin URL.")
    public String zipkin;

    @JsonPropertyDescription("Jaeger query UI URL.")
    public String jaegerUi;
  }
}
