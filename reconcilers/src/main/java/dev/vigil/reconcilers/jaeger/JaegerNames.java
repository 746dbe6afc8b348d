package dev.vigil.reconcilers.jaeger;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.objects.ServiceHost;

/**
 * The name of the Service in front of a pipeline's Jaeger backend and the addresses it is reached
 * at, in one place: the collectors' configuration and Grafana's datasource point at it, and the
 * dependents that make the backend's objects are named with it.
 */
public final class JaegerNames {
  private JaegerNames() {}

  /** The Service in front of a pipeline's Jaeger backend: {@code <pipeline>-jaeger}. */
  public static String service(String pipeline) {
    return pipeline + "-jaeger";
  }

  /**
   * Where the pipeline's collectors send spans: {@code host:port} of its backend's OTLP gRPC
   * receiver, for {@link dev.vigil.reconcilers.collector.CollectorConfigInputs#jaegerBackend()};
   * null when the pipeline runs no backend.
   */
  public static String collectorEndpoint(TracingPipeline pipeline) {
    return JaegerConfigBuilder.enabled(pipeline)
        ? host(pipeline) + ":" + JaegerConfigBuilder.OTLP_GRPC_PORT
        : null;
  }

  /** The backend's UI and HTTP query API: {@code http://host:port}. */
  public static String queryUrl(TracingPipeline pipeline) {
    return "http://" + host(pipeline) + ":" + JaegerConfigBuilder.QUERY_HTTP_PORT;
  }

  private static String host(TracingPipeline pipeline) {
    return ServiceHost.of(
        service(pipeline.getMetadata().getName()), pipeline.getMetadata().getNamespace());
  }
}
