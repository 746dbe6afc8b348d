package dev.vigil.reconcilers.collector;

import dev.vigil.reconcilers.collector.CollectorConfig.Exporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Extensions;
import dev.vigil.reconcilers.collector.CollectorConfig.HealthCheck;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipeline;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipelines;
import dev.vigil.reconcilers.collector.CollectorConfig.Processors;
import dev.vigil.reconcilers.collector.CollectorConfig.Receivers;
import dev.vigil.reconcilers.collector.CollectorConfig.Service;
import dev.vigil.reconcilers.collector.CollectorConfig.Telemetry;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * The {@code service} section, and the {@code extensions} it turns on: which components run, and in
 * which order spans pass through them. Receivers in the order {@code otlp}, {@code jaeger}, {@code
 * zipkin}; processors always in the order {@code memory_limiter}, {@code k8s_attributes}, {@code
 * filter} (a LogPipeline's pod selector), {@code probabilistic_sampler} or {@code tail_sampling},
 * {@code batch}; exporters by id. The {@code health_check} extension answers the probes on {@value
 * CollectorConfigBuilder#HEALTH_PORT} (path {@value CollectorConfigBuilder#HEALTH_PATH}), and the
 * collector serves its own metrics for Prometheus on {@value CollectorConfigBuilder#METRICS_PORT}.
 */
final class CollectorPipelines {
  private CollectorPipelines() {}

  /** {@code extensions}: {@code health_check}, for the probes. */
  static Extensions extensions() {
    return new Extensions(
        new HealthCheck(
            CollectorConfigBuilder.ANY_HOST + ":" + CollectorConfigBuilder.HEALTH_PORT,
            CollectorConfigBuilder.HEALTH_PATH));
  }

  /**
   * {@code service}: the traces pipeline through every component configured and, with {@code
   * spanMetrics}, the two pipelines of {@link CollectorSpanMetrics}.
   */
  static Service service(
      Receivers receivers,
      Processors processors,
      SortedMap<String, Exporter> exporters,
      boolean spanMetrics) {
    Pipeline traces =
        new Pipeline(
            receiverIds(receivers), processorIds(processors), List.copyOf(exporters.keySet()));
    return new Service(
        List.of("health_check"),
        Telemetry.prometheus(CollectorConfigBuilder.ANY_HOST, CollectorConfigBuilder.METRICS_PORT),
        spanMetrics
            ? new Pipelines(
                traces,
                CollectorSpanMetrics.tracesPipeline(
                    receiverIds(receivers),
                    processors.memoryLimiter() != null,
                    processors.spanMetricsFilter() != null),
                null,
                CollectorSpanMetrics.metricsPipeline(
                    CollectorExporters.JAEGER_BACKEND_EXPORTER, processors.batch() != null),
                null)
            : new Pipelines(traces));
  }

  /** The ids of the receivers configured; empty when there is none. */
  static List<String> receiverIds(Receivers receivers) {
    return present(
        receivers.otlp() == null ? null : "otlp",
        receivers.jaeger() == null ? null : "jaeger",
        receivers.zipkin() == null ? null : "zipkin");
  }

  /** The ids of the processors configured, in the order spans pass through them. */
  static List<String> processorIds(Processors processors) {
    return present(
        processors.memoryLimiter() == null ? null : "memory_limiter",
        processors.k8sAttributes() == null ? null : "k8s_attributes",
        processors.filter() == null ? null : "filter",
        processors.probabilisticSampler() == null ? null : "probabilistic_sampler",
        processors.tailSampling() == null ? null : "tail_sampling",
        processors.batch() == null ? null : "batch");
  }

  private static List<String> present(String... ids) {
    return Stream.of(ids).filter(Objects::nonNull).toList();
  }
}
