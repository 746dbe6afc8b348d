package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.ReceiverPort;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiversSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.Endpoint;
import dev.vigil.reconcilers.collector.CollectorConfig.JaegerProtocols;
import dev.vigil.reconcilers.collector.CollectorConfig.JaegerReceiver;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpProtocols;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpReceiver;
import dev.vigil.reconcilers.collector.CollectorConfig.Receivers;
import dev.vigil.reconcilers.collector.CollectorConfig.ZipkinReceiver;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.ListenPort;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code receivers} section. Receivers listen on {@value CollectorConfigBuilder#ANY_HOST} at
 * the spec's ports: {@code otlp} (gRPC 4317, HTTP 4318, on unless turned off), {@code jaeger} (gRPC
 * 14250, Thrift HTTP 14268, and over UDP Thrift compact 6831 and Thrift binary 6832) and {@code
 * zipkin} (9411) once their block is present. A port that is not one, or whose number another
 * receiver (TCP or UDP) or the collector's own metrics or health port already takes, turns its
 * receiver off and is reported.
 */
final class CollectorReceivers {
  private CollectorReceivers() {}

  /**
   * The receivers {@code spec} (null: the defaults) turns on. Adds the port of each to {@code
   * build}, named {@code otlp-grpc}, {@code otlp-http}, {@code jaeger-grpc}, {@code jaeger-thrift},
   * {@code jaeger-compact} and {@code jaeger-binary} (UDP), {@code zipkin}, in that order.
   */
  static Receivers build(ReceiversSpec spec, CollectorBuild build) {
    spec = Objects.requireNonNullElseGet(spec, ReceiversSpec::new);
    Set<Integer> used =
        new HashSet<>(
            List.of(CollectorConfigBuilder.METRICS_PORT, CollectorConfigBuilder.HEALTH_PORT));
    Integer otlpGrpc =
        port(
            spec.otlpGrpc,
            true,
            ReceiversSpec.OTLP_GRPC_PORT,
            "otlpGrpc",
            "otlp-grpc",
            used,
            build);
    Integer otlpHttp =
        port(
            spec.otlpHttp,
            true,
            ReceiversSpec.OTLP_HTTP_PORT,
            "otlpHttp",
            "otlp-http",
            used,
            build);
    Integer jaegerGrpc =
        port(
            spec.jaegerGrpc,
            false,
            ReceiversSpec.JAEGER_GRPC_PORT,
            "jaegerGrpc",
            "jaeger-grpc",
            used,
            build);
    Integer jaegerThrift =
        port(
            spec.jaegerThriftHttp,
            false,
            ReceiversSpec.JAEGER_THRIFT_HTTP_PORT,
            "jaegerThriftHttp",
            "jaeger-thrift",
            used,
            build);
    Integer jaegerCompact =
        port(
            spec.jaegerThriftCompact,
            false,
            ReceiversSpec.JAEGER_THRIFT_COMPACT_PORT,
            "jaegerThriftCompact",
            "jaeger-compact",
            ListenPort.UDP,
            used,
            build);
    Integer jaegerBinary =
        port(
            spec.jaegerThriftBinary,
            false,
            ReceiversSpec.JAEGER_THRIFT_BINARY_PORT,
            "jaegerThriftBinary",
            "jaeger-binary",
            ListenPort.UDP,
            used,
            build);
    Integer zipkin =
        port(spec.zipkin, false, ReceiversSpec.ZIPKIN_PORT, "zipkin", "zipkin", used, build);

    OtlpReceiver otlp = null;
    if (otlpGrpc != null || otlpHttp != null) {
      otlp = new OtlpReceiver(new OtlpProtocols(endpoint(otlpGrpc), endpoint(otlpHttp)));
    }
    JaegerReceiver jaeger = null;
    if (jaegerGrpc != null
        || jaegerThrift != null
        || jaegerCompact != null
        || jaegerBinary != null) {
      jaeger =
          new JaegerReceiver(
              new JaegerProtocols(
                  endpoint(jaegerGrpc),
                  endpoint(jaegerThrift),
                  endpoint(jaegerCompact),
                  endpoint(jaegerBinary)));
    }
    ZipkinReceiver zipkinReceiver =
        zipkin == null ? null : new ZipkinReceiver(CollectorConfigBuilder.ANY_HOST + ":" + zipkin);
    return new Receivers(otlp, jaeger, zipkinReceiver);
  }

  /** The TCP port of an enabled receiver, or null. */
  private static Integer port(
      ReceiverPort spec,
      boolean onByDefault,
      int standard,
      String field,
      String name,
      Set<Integer> used,
      CollectorBuild build) {
    return port(spec, onByDefault, standard, field, name, ListenPort.TCP, used, build);
  }

  /**
   * The port of an enabled receiver, or null. {@code used} holds port numbers whatever their
   * protocol: one number is one receiver's, so a port's name says what listens there.
   */
  private static Integer port(
      ReceiverPort spec,
      boolean onByDefault,
      int standard,
      String field,
      String name,
      String protocol,
      Set<Integer> used,
      CollectorBuild build) {
    boolean on = spec == null ? onByDefault : !Boolean.FALSE.equals(spec.enabled);
    if (!on) {
      return null;
    }
    int port = spec == null || spec.port == null ? standard : spec.port;
    if (port < 1 || port > 65535) {
      build.problem(
          "spec.receivers." + field + ".port", port + " is not a port; the receiver is off");
      return null;
    }
    if (!used.add(port)) {
      build.problem(
          "spec.receivers." + field + ".port",
          "port "
              + port
              + " is already taken (by another receiver, or the collector's metrics "
              + CollectorConfigBuilder.METRICS_PORT
              + " or health "
              + CollectorConfigBuilder.HEALTH_PORT
              + "); the receiver is off");
      return null;
    }
    build.ports.add(new ListenPort(name, port, protocol));
    return port;
  }

  private static Endpoint endpoint(Integer port) {
    return port == null ? null : new Endpoint(CollectorConfigBuilder.ANY_HOST + ":" + port);
  }
}
