package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The protocols the collectors accept spans in. OTLP gRPC and HTTP are on unless turned off; the
 * others are on once their block is present (with {@code enabled} left out or true).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(!has(self.otlpGrpc) || !has(self.otlpGrpc.enabled) || self.otlpGrpc.enabled)"
            + " || (!has(self.otlpHttp) || !has(self.otlpHttp.enabled) || self.otlpHttp.enabled)"
            + " || (has(self.jaegerGrpc) && (!has(self.jaegerGrpc.enabled) || self.jaegerGrpc.enabled))"
            + " || (has(self.jaegerThriftHttp) && (!has(self.jaegerThriftHttp.enabled)"
            + " || self.jaegerThriftHttp.enabled))"
            + " || (has(self.jaegerThriftCompact) && (!has(self.jaegerThriftCompact.enabled)"
            + " || self.jaegerThriftCompact.enabled))"
            + " || (has(self.jaegerThriftBinary) && (!has(self.jaegerThriftBinary.enabled)"
            + " || self.jaegerThriftBinary.enabled))"
            + " || (has(self.zipkin) && (!has(self.zipkin.enabled) || self.zipkin.enabled))",
    message = "receivers: enable at least one receiver")
public class ReceiversSpec {
  public static final int OTLP_GRPC_PORT = 4317;
  public static final int OTLP_HTTP_PORT = 4318;
  public static final int JAEGER_GRPC_PORT = 14250;
  public static final int JAEGER_THRIFT_HTTP_PORT = 14268;
  public static final int JAEGER_THRIFT_COMPACT_PORT = 6831;
  public static final int JAEGER_THRIFT_BINARY_PORT = 6832;
  public static final int ZIPKIN_PORT = 9411;

  @JsonPropertyDescription("OTLP over gRPC, port 4317. Default: on.")
  public ReceiverPort otlpGrpc;

  @JsonPropertyDescription("OTLP over HTTP, port 4318. Default: on.")
  public ReceiverPort otlpHttp;

  @JsonPropertyDescription("Jaeger gRPC, port 14250. Default: off.")
  public ReceiverPort jaegerGrpc;

  @JsonPropertyDescription("Jaeger Thrift over HTTP, port 14268. Default: off.")
  public ReceiverPort jaegerThriftHttp;

  @JsonPropertyDescription(
      "Jaeger Thrift compact over UDP, port 6831: what the old Jaeger clients' agent reporter"
          + " sends. Default: off.")
  public ReceiverPort jaegerThriftCompact;

  @JsonPropertyDescription(
      "Jaeger Thrift binary over UDP, port 6832: the old Jaeger clients' agent reporter in"
          + " binary Thrift. Default: off.")
  public ReceiverPort jaegerThriftBinary;

  @JsonPropertyDescription("Zipkin, port 9411. Default: off.")
  public ReceiverPort zipkin;
}
