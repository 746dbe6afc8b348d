package dev.vigil.reconcilers.collector;

import com.fasterxml.jackson.annotation.JsonProperty;
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
    Connectors connectors,
    Extensions extensions,
    Service service) {

  /** A configuration without connectors. */
  public CollectorConfig(
      Receivers receivers,
      Processors processors,
      Map<String, Exporter> exporters,
      Extensions extensions,
      Service service) {
    this(receivers, processors, exporters, null, extensions, service);
  }

  /**
   * {@code receivers}: each component id is one protocol family; {@code file_log} reads a node's
   * pod log files (a LogPipeline's agents).
   */
  public record Receivers(
      OtlpReceiver otlp, JaegerReceiver jaeger, ZipkinReceiver zipkin, FileLogReceiver fileLog) {
    public Receivers(OtlpReceiver otlp, JaegerReceiver jaeger, ZipkinReceiver zipkin) {
      this(otlp, jaeger, zipkin, null);
    }
  }

  /** A server's listen address, {@code host:port}. */
  public record Endpoint(String endpoint) {}

  /** The {@code otlp} receiver. */
  public record OtlpReceiver(OtlpProtocols protocols) {}

  /** {@code protocols} of the {@code otlp} receiver. */
  public record OtlpProtocols(Endpoint grpc, Endpoint http) {}

  /** The {@code jaeger} receiver. */
  public record JaegerReceiver(JaegerProtocols protocols) {}

  /**
   * {@code protocols} of the {@code jaeger} receiver: gRPC and Thrift over HTTP on TCP, Thrift
   * compact and Thrift binary on UDP (what the old Jaeger clients' agent reporter sends).
   */
  public record JaegerProtocols(
      Endpoint grpc, Endpoint thriftHttp, Endpoint thriftCompact, Endpoint thriftBinary) {
    public JaegerProtocols(Endpoint grpc, Endpoint thriftHttp) {
      this(grpc, thriftHttp, null, null);
    }
  }

  /** The {@code zipkin} receiver. */
  public record ZipkinReceiver(String endpoint) {}

  /**
   * The {@code file_log} receiver (formerly {@code filelog}): the files to read, where it keeps how
   * far it read each ({@code storage}: an extension id), and the stanza operators each line passes
   * through, in order.
   */
  public record FileLogReceiver(
      List<String> include,
      List<String> exclude,
      String startAt,
      Boolean includeFilePath,
      Boolean includeFileName,
      Integer maxLogSize,
      String storage,
      List<LogOperator> operators) {}

  /**
   * One stanza operator of {@code file_log}: its {@code type}, an {@code id} unique in the list,
   * and, for most, {@code if}: an expression (expr language) an entry must match to be processed;
   * the others pass through unchanged.
   */
  public sealed interface LogOperator
      permits ContainerParser,
          Recombine,
          JsonParser,
          RegexParser,
          MoveOperator,
          SeverityParser,
          TraceParser,
          RemoveOperator {}

  /** {@code container}: the CRI or Docker line format, partial lines joined, path metadata. */
  public record ContainerParser(
      String type, String id, Integer maxLogSize, Boolean addMetadataFromFilepath)
      implements LogOperator {}

  /** {@code recombine}: joins the lines after a record's first into it. */
  public record Recombine(
      String type,
      String id,
      @JsonProperty("if") String condition,
      String combineField,
      String isFirstEntry,
      String combineWith,
      String sourceIdentifier,
      Integer maxLogSize,
      String forceFlushPeriod)
      implements LogOperator {}

  /** {@code json_parser}. */
  public record JsonParser(
      String type,
      String id,
      @JsonProperty("if") String condition,
      String parseFrom,
      String parseTo,
      String onError)
      implements LogOperator {}

  /** {@code regex_parser}: named groups become fields. */
  public record RegexParser(
      String type,
      String id,
      @JsonProperty("if") String condition,
      String regex,
      String parseFrom,
      String parseTo,
      String onError)
      implements LogOperator {}

  /** {@code move}. */
  public record MoveOperator(
      String type, String id, @JsonProperty("if") String condition, String from, String to)
      implements LogOperator {}

  /** {@code severity_parser}, with extra names per severity in {@code mapping}. */
  public record SeverityParser(
      String type,
      String id,
      @JsonProperty("if") String condition,
      String parseFrom,
      Map<String, List<String>> mapping,
      String onError)
      implements LogOperator {}

  /** {@code trace_parser}: the record's trace context from fields. */
  public record TraceParser(
      String type,
      String id,
      @JsonProperty("if") String condition,
      ParseFrom traceId,
      ParseFrom spanId,
      String onError)
      implements LogOperator {}

  /** A {@code parse_from} block. */
  public record ParseFrom(String parseFrom) {}

  /** {@code remove}. */
  public record RemoveOperator(
      String type, String id, @JsonProperty("if") String condition, String field)
      implements LogOperator {}

  /**
   * {@code processors}. The declaration order is only the order in the file; the order spans pass
   * through is {@link Pipeline#processors()}.
   */
  public record Processors(
      MemoryLimiter memoryLimiter,
      K8sAttributes k8sAttributes,
      ProbabilisticSampler probabilisticSampler,
      TailSampling tailSampling,
      Filter filter,
      @JsonProperty("filter/span_metrics") Filter spanMetricsFilter,
      Batch batch) {
    public Processors(
        MemoryLimiter memoryLimiter,
        K8sAttributes k8sAttributes,
        ProbabilisticSampler probabilisticSampler,
        TailSampling tailSampling,
        Filter filter,
        Batch batch) {
      this(memoryLimiter, k8sAttributes, probabilisticSampler, tailSampling, filter, null, batch);
    }

    public Processors(
        MemoryLimiter memoryLimiter,
        K8sAttributes k8sAttributes,
        ProbabilisticSampler probabilisticSampler,
        TailSampling tailSampling,
        Batch batch) {
      this(memoryLimiter, k8sAttributes, probabilisticSampler, tailSampling, null, null, batch);
    }

    /** The same processors with {@code filter/span_metrics} set. */
    public Processors withSpanMetricsFilter(Filter spanMetricsFilter) {
      return new Processors(
          memoryLimiter,
          k8sAttributes,
          probabilisticSampler,
          tailSampling,
          filter,
          spanMetricsFilter,
          batch);
    }
  }

  /** {@code filter}: drops the log records or spans any condition (OTTL) holds for. */
  public record Filter(String errorMode, FilterLogs logs, FilterTraces traces) {
    /** Drops log records. */
    public static Filter logs(List<String> logRecord) {
      return new Filter("ignore", new FilterLogs(logRecord), null);
    }

    /** Drops spans. */
    public static Filter spans(List<String> span) {
      return new Filter("ignore", null, new FilterTraces(span));
    }
  }

  /** {@code logs} of {@code filter}. */
  public record FilterLogs(List<String> logRecord) {}

  /** {@code traces} of {@code filter}: conditions in the span context. */
  public record FilterTraces(List<String> span) {}

  /** {@code connectors}: the exporter of one pipeline that is the receiver of another. */
  public record Connectors(SpanMetricsConnector spanMetrics) {}

  /**
   * {@code span_metrics}: counts the spans of a traces pipeline and measures their durations, per
   * service, span name, span kind and status code (and the collector instance, which keeps two
   * collectors' counters apart) plus {@code dimensions}, into the metrics pipeline that has it as
   * receiver. At most {@code aggregationCardinalityLimit} label sets; the rest go to one overflow
   * series.
   */
  public record SpanMetricsConnector(
      String namespace,
      SpanMetricsHistogram histogram,
      List<SpanMetricsDimension> dimensions,
      List<String> resourceMetricsKeyAttributes,
      Integer aggregationCardinalityLimit,
      String metricsFlushInterval) {}

  /** {@code histogram} of {@code span_metrics}: the unit and, optionally, the buckets. */
  public record SpanMetricsHistogram(String unit, ExplicitBuckets explicit) {}

  /** {@code explicit}: bucket upper bounds as Go durations. */
  public record ExplicitBuckets(List<String> buckets) {}

  /** A span or resource attribute that becomes a label. */
  public record SpanMetricsDimension(String name) {}

  /** {@code memory_limiter}, in percentages of the container's memory limit. */
  public record MemoryLimiter(
      String checkInterval, Integer limitPercentage, Integer spikeLimitPercentage) {}

  /** {@code k8s_attributes}. */
  public record K8sAttributes(
      String authType,
      Boolean passthrough,
      K8sFilter filter,
      K8sExtract extract,
      List<PodAssociation> podAssociation,
      Boolean waitForMetadata,
      String waitForMetadataTimeout) {
    public K8sAttributes(
        String authType,
        Boolean passthrough,
        K8sFilter filter,
        K8sExtract extract,
        List<PodAssociation> podAssociation) {
      this(authType, passthrough, filter, extract, podAssociation, null, null);
    }
  }

  /** {@code filter} of {@code k8s_attributes}: an agent only watches the pods of its node. */
  public record K8sFilter(String nodeFromEnvVar, String namespace) {}

  /** {@code extract} of {@code k8s_attributes}. */
  public record K8sExtract(
      List<String> metadata, List<FieldExtract> labels, List<FieldExtract> annotations) {
    public K8sExtract(List<String> metadata, List<FieldExtract> labels) {
      this(metadata, labels, null);
    }
  }

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
      Map<String, String> headers,
      SendingQueue sendingQueue)
      implements Exporter {
    /** An exporter with one endpoint for every signal. */
    public OtlpExporter(String endpoint, String compression, Tls tls, Map<String, String> headers) {
      this(endpoint, null, null, null, compression, tls, headers, null);
    }

    /** This exporter, queueing on disk. */
    public OtlpExporter withSendingQueue(SendingQueue queue) {
      return new OtlpExporter(
          endpoint,
          tracesEndpoint,
          logsEndpoint,
          metricsEndpoint,
          compression,
          tls,
          headers,
          queue);
    }
  }

  /**
   * {@code sending_queue} of an exporter: batches waiting to be sent, kept in {@code storage} (an
   * extension id) so a restart does not lose them; once {@code queueSize} are waiting, new data is
   * refused (and counted by the exporter's {@code enqueue_failed} metric).
   */
  public record SendingQueue(Boolean enabled, Integer queueSize, String storage) {}

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
  public record Extensions(HealthCheck healthCheck, FileStorage fileStorage) {
    public Extensions(HealthCheck healthCheck) {
      this(healthCheck, null);
    }
  }

  /** {@code file_storage}: a key-value store in {@code directory}, for checkpoints and queues. */
  public record FileStorage(String directory) {}

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

  /** {@code service.pipelines}: traces for a TracingPipeline, logs for a LogPipeline. */
  public record Pipelines(
      Pipeline traces,
      @JsonProperty("traces/span_metrics") Pipeline tracesSpanMetrics,
      Pipeline metrics,
      @JsonProperty("metrics/span_metrics") Pipeline metricsSpanMetrics,
      Pipeline logs) {
    public Pipelines(Pipeline traces) {
      this(traces, null, null, null, null);
    }

    /** A logs pipeline only. */
    public static Pipelines logs(Pipeline logs) {
      return new Pipelines(null, null, null, null, logs);
    }
  }

  /** One pipeline: component ids in the order data passes through them. */
  public record Pipeline(List<String> receivers, List<String> processors, List<String> exporters) {}
}
