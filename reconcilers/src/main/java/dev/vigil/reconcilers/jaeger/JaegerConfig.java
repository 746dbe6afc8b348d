package dev.vigil.reconcilers.jaeger;

import dev.vigil.reconcilers.collector.CollectorConfig;
import dev.vigil.reconcilers.collector.CollectorConfig.Batch;
import dev.vigil.reconcilers.collector.CollectorConfig.Endpoint;
import dev.vigil.reconcilers.collector.CollectorConfig.Service;
import java.util.Map;

/**
 * The configuration of the Jaeger v2 backend Vigil runs for a TracingPipeline. Jaeger v2 is an
 * OpenTelemetry Collector distribution, so the file has the collector's shape and shares its
 * records ({@link CollectorConfig.Service}, {@link CollectorConfig.Batch}, ...): an {@code otlp}
 * receiver, a {@code batch} processor, the {@code jaeger_storage_exporter} writing to the one
 * storage backend of the {@code jaeger_storage} extension, the {@code jaeger_query} extension
 * serving the UI and API, and the {@code healthcheckv2} extension for the probes. With span
 * metrics, the {@code prometheus} exporter serves the metrics the collectors send; with the
 * Monitor, a metric backend of {@code jaeger_storage} reads them back from Prometheus.
 */
public record JaegerConfig(
    Receivers receivers,
    Processors processors,
    Exporters exporters,
    Extensions extensions,
    Service service) {

  /** {@code receivers}: OTLP only, which is what the collectors send. */
  public record Receivers(CollectorConfig.OtlpReceiver otlp) {}

  /** {@code processors}. */
  public record Processors(Batch batch) {}

  /** {@code exporters}. */
  public record Exporters(StorageExporter jaegerStorageExporter, PrometheusExporter prometheus) {}

  /** {@code prometheus}: serves the metrics of its pipeline at {@code endpoint}/metrics. */
  public record PrometheusExporter(String endpoint) {}

  /** {@code jaeger_storage_exporter}: writes spans to a backend of {@code jaeger_storage}. */
  public record StorageExporter(String traceStorage) {}

  /** {@code extensions}. */
  public record Extensions(HealthCheckV2 healthcheckv2, Query jaegerQuery, Storage jaegerStorage) {}

  /** {@code healthcheckv2} with its v2 HTTP server ({@code /status}). */
  public record HealthCheckV2(Boolean useV2, Endpoint http) {}

  /**
   * {@code jaeger_query}: the UI and the HTTP API on {@code http}, the gRPC API on {@code grpc}.
   */
  public record Query(QueryStorage storage, Endpoint http, Endpoint grpc) {}

  /**
   * {@code storage} of {@code jaeger_query}: the backend it reads traces from and, for the Monitor
   * tab, the metric backend it reads span metrics from (null: none, the tab stays empty).
   */
  public record QueryStorage(String traces, String metrics) {}

  /** {@code jaeger_storage}: storage backends and metric backends by name. */
  public record Storage(Map<String, Backend> backends, Map<String, MetricBackend> metricBackends) {}

  /** One metric backend: Prometheus. */
  public record MetricBackend(PrometheusMetricStore prometheus) {}

  /**
   * A Prometheus-compatible query API ({@code endpoint}) holding span metrics; {@code
   * normalizeCalls} and {@code normalizeDuration} say the names carry the {@code _total} and {@code
   * _milliseconds} suffixes Prometheus gives OTLP metrics.
   */
  public record PrometheusMetricStore(
      String endpoint, Boolean normalizeCalls, Boolean normalizeDuration) {}

  /** One backend: exactly one of {@code memory} or {@code badger}. */
  public record Backend(Memory memory, Badger badger) {}

  /** In-memory storage: the newest {@code max_traces} traces, lost on restart. */
  public record Memory(Long maxTraces) {}

  /** Badger on local disk. */
  public record Badger(Directories directories, Boolean ephemeral, Ttl ttl) {}

  /** Where badger keeps its keys and values. */
  public record Directories(String keys, String values) {}

  /** How long badger keeps spans. */
  public record Ttl(String spans) {}
}
