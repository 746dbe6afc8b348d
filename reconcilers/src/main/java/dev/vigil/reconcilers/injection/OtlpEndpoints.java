package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.TracingPipelineReference;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiverPort;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiversSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import dev.vigil.reconcilers.collector.CollectorNames;
import dev.vigil.reconcilers.objects.ServiceHost;
import java.util.Objects;

/**
 * Where an instrumented container sends spans, per OTLP transport: a base URL for each (null where
 * the destination does not take that transport).
 *
 * @param grpc the URL for {@code grpc}, e.g. {@code http://traces-collector.shop.svc:4317}
 * @param http the base URL for {@code http/protobuf}, e.g. {@code
 *     http://traces-collector.shop.svc:4318}; the SDK appends {@code /v1/traces}
 * @param onNode whether the URLs name the pod's node through {@code $(OTEL_NODE_IP)}, which the
 *     container then needs from the downward API ({@code status.hostIP})
 */
public record OtlpEndpoints(String grpc, String http, boolean onNode) {
  /** The variable holding the node's IP, as the OpenTelemetry operator names it. */
  public static final String NODE_IP = "OTEL_NODE_IP";

  /** The URL for a transport, or null. */
  public String url(InstrumentationSpec.Protocol protocol) {
    return protocol == InstrumentationSpec.Protocol.GRPC ? grpc : http;
  }

  /** An explicit endpoint: the same URL whatever the transport. */
  public static OtlpEndpoints explicit(String url) {
    return new OtlpEndpoints(url, url, false);
  }

  /**
   * A TracingPipeline's collectors: the node's agent through its host ports when the pipeline runs
   * agents with {@code hostPorts}, else its Service (which, for agents, keeps traffic on the node:
   * {@code internalTrafficPolicy: Local}). A receiver turned off has no URL.
   */
  public static OtlpEndpoints of(TracingPipeline pipeline) {
    TracingPipelineSpec spec = pipeline.getSpec();
    boolean onNode =
        spec != null
            && spec.mode == TracingPipelineSpec.Mode.agent
            && Boolean.TRUE.equals(spec.hostPorts);
    String host =
        onNode
            ? "$(" + NODE_IP + ")"
            : ServiceHost.of(
                CollectorNames.service(pipeline.getMetadata().getName()),
                pipeline.getMetadata().getNamespace());
    ReceiversSpec receivers =
        spec == null || spec.receivers == null ? new ReceiversSpec() : spec.receivers;
    return new OtlpEndpoints(
        url(host, receivers.otlpGrpc, ReceiversSpec.OTLP_GRPC_PORT),
        url(host, receivers.otlpHttp, ReceiversSpec.OTLP_HTTP_PORT),
        onNode);
  }

  /**
   * A pipeline that does not exist (yet): its Service at the standard ports, as a gateway with the
   * default receivers would have them, so pods admitted before their pipeline still reach it.
   */
  public static OtlpEndpoints assumed(TracingPipelineReference reference, String namespace) {
    String host =
        ServiceHost.of(
            CollectorNames.service(reference.name),
            Objects.requireNonNullElse(reference.namespace, namespace));
    return new OtlpEndpoints(
        "http://" + host + ":" + ReceiversSpec.OTLP_GRPC_PORT,
        "http://" + host + ":" + ReceiversSpec.OTLP_HTTP_PORT,
        false);
  }

  private static String url(String host, ReceiverPort receiver, int standard) {
    if (receiver != null && Boolean.FALSE.equals(receiver.enabled)) {
      return null;
    }
    int port = receiver == null || receiver.port == null ? standard : receiver.port;
    return "http://" + host + ":" + port;
  }
}
