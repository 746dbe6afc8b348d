package dev.vigil.reconcilers.collector;

import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry Collector configuration Vigil writes for the collectors it runs (a
 * TracingPipeline's; the Jaeger v2 backend, a collector distribution, shares these records), as
 * records that mirror the collector's own configuration structs. Record components are the YAML
 * keys in camelCase ({@link CollectorConfigRenderer} writes them in snake_case, in declaration
 * order); component ids that are not plain names ({@code otlp_grpc/vendor}) are map keys, written
 * as they are. A null component or an empty list or map is left out of the file, so the collector
 * applies its default.
 *
 * <p>Component names are those of collector 0.160 ({@code otlp_grpc}, {@code otlp_http}, {@code
 * k8s_attributes}); it still accepts the older {@code otlp}, {@code otlphttp} and {@code
 * k8sattributes} but logs them as deprecated.
 *
 * <p>No record holds a credential: TLS material is a {@code *_file} path and a header taken from a
 * Secret is an {@code ${env:...}} reference, see {@link CollectorConfigBuilder.Result}.
 */
public record CollectorConfig(
    Receivers receivers,
    Processors processors,
    Map<String, Exporter> exporters,
    Extensions extensions,
    Service service) {

  /** {@code receivers}: each component id is one protocol family. */
  public record Receivers(OtlpReceiver otlp, JaegerReceiver jaeger, ZipkinReceiver zipkin) {}

  /** A server's listen address, {@code host:port}. */
  public record Endpoint(String endpoint) {}

  /** The {@code otlp} receiver. */
  public record OtlpReceiver(OtlpProtocols protocols) {}

  /** {@code protocols} of the {@code otlp} receiver. */
  public record OtlpProtocols(Endpoint grpc, Endpoint http) {}

  /** The {@code jaeger} receiver. */
  public record JaegerReceiver(JaegerProtocols protocols) {}

  /** {@code protocols} of the {@code jaeger} receiver. */
  public record JaegerProtocols(Endpoint grpc, Endpoint thriftHttp) {}

  /** The {@code zipkin} receiver. */
  public record ZipkinReceiver(String endpoint) {}

  /**
   * {@code processors}. The declaration order is only the order in the file; the order spans pass
   * through is {@link Pipeline#processors()}.
   */
  public record Processors(
      MemoryLimiter memoryLimiter,
      K8sAttributes k8sAttributes,
      ProbabilisticSampler probabilisticSampler,
      TailSampling tailSampling,
      Batch batch) {}

  /** {@code memory_limiter}, in percentages of the container's memory limit. */
  public record MemoryLimiter(
      String checkInterval, Integer limitPercentage, Integer spikeLimitPercentage) {}

  /** {@code k8s_attributes}. */
  public record K8sAttributes(
      String authType,
      Boolean passthrough,
      K8sFilter filter,
      K8sExtract extract,
      List<PodAssociation> podAssociation) {}

  /** {@code filter} of {@code k8s_attributes}: an agent only watches the pods of its node. */
  public record K8sFilter(String nodeFromEnvVar, String namespace) {}

  /** {@code extract} of {@code k8s_attributes}. */
  public record K8sExtract(List<String> metadata, List<FieldExtract> labels) {}

  /** One pod label copied to a span attribute. */
  public record FieldExtract(String tagName, String key, String from) {}

  /** One rule of {@code pod_association}: how a span is matched to its pod. */
  public record PodAssociation(List<AssociationSource> sources) {}

  /** One source of a pod association rule. */
  public record AssociationSource(String from, String name) {}

  /** {@code probabilistic_sampler}. */
  public record ProbabilisticSampler(Double samplingPercentage) {}

  /** {@code tail_sampling}. */
  public record TailSampling(
      String decisionWait,
      Integer numTraces,
      Integer expectedNewTracesPerSec,
      List<Policy> policies) {}

  /**
   * One tail-sampling policy or sub-policy: {@code name}, {@code type} and the settings block named
   * after the type.
   */
  public record Policy(
      String name,
      String type,
      Latency latency,
      StatusCode statusCode,
      Probabilistic probabilistic,
      RateLimiting rateLimiting,
      StringAttribute stringAttribute,
      And and,
      Composite composite) {}

  /** Settings of a {@code latency} policy. */
  public record Latency(Long thresholdMs, Long upperThresholdMs) {}

  /** Settings of a {@code status_code} policy. */
  public record StatusCode(List<String> statusCodes) {}

  /** Settings of a {@code probabilistic} policy. */
  public record Probabilistic(Double samplingPercentage) {}

  /** Settings of a {@code rate_limiting} policy. */
  public record RateLimiting(Long spansPerSecond) {}

  /** Settings of a {@code string_attribute} policy. */
  public record StringAttribute(
      String key, List<String> values, Boolean enabledRegexMatching, Boolean invertMatch) {}

  /** Settings of an {@code and} policy. */
  public record And(List<Policy> andSubPolicy) {}

  /** Settings of a {@code composite} policy. */
  public record Composite(
      Long maxTotalSpansPerSecond,
      List<String> policyOrder,
      List<Policy> compositeSubPolicy,
      List<RateAllocation> rateAllocation) {}

  /** One sub-policy's share of a composite policy's rate. */
  public record RateAllocation(String policy, Integer percent) {}

  /** {@code batch}. */
  public record Batch(String timeout, Integer sendBatchSize, Integer sendBatchMaxSize) {}

  /** An exporter's settings; the map key of {@link CollectorConfig#exporters()} says which. */
  public sealed interface Exporter permits OtlpExporter, DebugExporter {}

  /**
   * {@code otlp_grpc/<name>} or {@code otlp_http/<name>}. An {@code otlp_http} exporter sends each
   * signal to {@code <endpoint>/v1/<signal>}, or to the signal's own URL when {@code
   * tracesEndpoint}, {@code logsEndpoint} or {@code metricsEndpoint} is set (null: not set).
   */
  public record OtlpExporter(
      String endpoint,
      String tracesEndpoint,
      String logsEndpoint,
      String metricsEndpoint,
      String compression,
      Tls tls,
      Map<String, String> headers)
      implements Exporter {
    /** An exporter with one endpoint for every signal. */
    public OtlpExporter(String endpoint, String compression, Tls tls, Map<String, String> headers) {
      this(endpoint, null, null, null, compression, tls, headers);
    }
  }

  /** {@code tls} of a client. */
  public record Tls(
      Boolean insecure,
      String caFile,
      String certFile,
      String keyFile,
      String serverNameOverride,
      Boolean insecureSkipVerify) {
    public static final Tls INSECURE = new Tls(true, null, null, null, null, null);
  }

  /** {@code debug}. */
  public record DebugExporter(String verbosity) implements Exporter {}

  /** {@code extensions}. */
  public record Extensions(HealthCheck healthCheck) {}

  /** {@code health_check}: HTTP 200 on {@code path} once the pipelines run. */
  public record HealthCheck(String endpoint, String path) {}

  /** {@code service}. */
  public record Service(List<String> extensions, Telemetry telemetry, Pipelines pipelines) {}

  /** {@code service.telemetry}: the collector's own metrics. */
  public record Telemetry(TelemetryMetrics metrics) {
    /** Metrics served for Prometheus to scrape on {@code host:port}. */
    public static Telemetry prometheus(String host, int port) {
      return new Telemetry(
          new TelemetryMetrics(
              List.of(
                  new MetricReader(new PullReader(new PullExporter(new Prometheus(host, port)))))));
    }
  }

  /** {@code service.telemetry.metrics}. */
  public record TelemetryMetrics(List<MetricReader> readers) {}

  /** One entry of {@code readers}. */
  public record MetricReader(PullReader pull) {}

  /** A {@code pull} reader. */
  public record PullReader(PullExporter exporter) {}

  /** The exporter of a {@code pull} reader. */
  public record PullExporter(Prometheus prometheus) {}

  /** A Prometheus endpoint serving metrics on {@code host:port} at {@code /metrics}. */
  public record Prometheus(String host, Integer port) {}

  /** {@code service.pipelines}: Vigil runs traces only. */
  public record Pipelines(Pipeline traces) {}

  /** One pipeline: component ids in the order data passes through them. */
  public record Pipeline(List<String> receivers, List<String> processors, List<String> exporters) {}
}
