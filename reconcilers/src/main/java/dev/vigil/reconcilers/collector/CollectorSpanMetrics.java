package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.SpanMetricsSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfig.ExplicitBuckets;
import dev.vigil.reconcilers.collector.CollectorConfig.Filter;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipeline;
import dev.vigil.reconcilers.collector.CollectorConfig.SpanMetricsConnector;
import dev.vigil.reconcilers.collector.CollectorConfig.SpanMetricsDimension;
import dev.vigil.reconcilers.collector.CollectorConfig.SpanMetricsHistogram;
import dev.vigil.reconcilers.goregex.GoRegexp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A TracingPipeline's span metrics ({@code spec.spanMetrics}): the {@code span_metrics} connector
 * counts every span the collectors receive and measures its duration, before any sampling, in a
 * second traces pipeline beside the sampled one ({@value #TRACES_PIPELINE}: the same receivers,
 * {@code memory_limiter}, then {@code filter/span_metrics} for the excluded operations). Its
 * metrics pipeline ({@value #METRICS_PIPELINE}) sends them over OTLP to the pipeline's Jaeger
 * backend, which exposes them for Prometheus and reads them back for its Monitor tab ({@code
 * jaeger.JaegerConfigBuilder}).
 *
 * <p>The names are fixed so the backend, Grafana and the shipped dashboard can rely on them: the
 * namespace {@value #NAMESPACE}, so Prometheus sees {@code traces_span_metrics_calls_total} and
 * {@code traces_span_metrics_duration_milliseconds_bucket}, with the labels {@code service_name},
 * {@code span_name}, {@code span_kind}, {@code status_code}, {@code collector_instance_id} and one
 * per dimension (dots become underscores).
 *
 * <p>Cardinality is bounded three ways: the dimensions a user adds, the excluded operations, and
 * {@code aggregation_cardinality_limit} per collector. The metrics are keyed by {@code
 * service.name} alone ({@code resource_metrics_key_attributes}) and, with the feature gate {@value
 * #FEATURE_GATE} the collector pods turn on, carry no resource attributes: two pods of one service
 * add up to one series per collector instead of colliding in the backend's exporter.
 */
public final class CollectorSpanMetrics {
  /** Id of the connector. */
  static final String CONNECTOR = "span_metrics";

  /** The pipeline from the receivers to the connector. */
  static final String TRACES_PIPELINE = "traces/span_metrics";

  /** The pipeline from the connector to the Jaeger backend. */
  static final String METRICS_PIPELINE = "metrics/span_metrics";

  /** Id of the filter dropping the excluded operations' spans from the span metrics. */
  static final String FILTER = "filter/span_metrics";

  /** The metrics' namespace: their Prometheus names start with {@code traces_span_metrics_}. */
  public static final String NAMESPACE = "traces.span.metrics";

  /**
   * The collector feature gate that keeps resource attributes out of the span metrics; the
   * collector pods' arguments turn it on when the file has the connector.
   */
  public static final String FEATURE_GATE = "connector.spanmetrics.excludeResourceMetrics";

  static final int DEFAULT_MAX_SERIES = 5000;
  static final String DEFAULT_FLUSH_INTERVAL = "15s";

  /** The span attributes the connector always turns into labels; never added again. */
  private static final Set<String> BUILT_IN =
      Set.of("service.name", "span.name", "span.kind", "status.code", "collector.instance.id");

  private CollectorSpanMetrics() {}

  /** Whether the pipeline asks for span metrics. */
  public static boolean enabled(TracingPipeline pipeline) {
    return pipeline.getSpec() != null && enabled(pipeline.getSpec().spanMetrics);
  }

  static boolean enabled(SpanMetricsSpec spec) {
    return spec != null && !Boolean.FALSE.equals(spec.enabled);
  }

  /**
   * What {@link #connector} and {@link #filter} would leave out or replace in {@code
   * spec.spanMetrics}, for the admission webhook; empty when span metrics are off.
   */
  public static List<ConfigProblem> problems(SpanMetricsSpec spec) {
    CollectorBuild build = new CollectorBuild("", true);
    if (enabled(spec)) {
      connector(spec, CollectorExporters.JAEGER_BACKEND_EXPORTER, build);
      filter(spec, build);
    }
    return List.copyOf(build.problems);
  }

  /**
   * The connector; null when span metrics are off or cannot be delivered (no Jaeger backend), which
   * is reported.
   *
   * @param jaegerExporter the id of the exporter to the pipeline's Jaeger backend, or null
   */
  static SpanMetricsConnector connector(
      SpanMetricsSpec spec, String jaegerExporter, CollectorBuild build) {
    if (!enabled(spec)) {
      return null;
    }
    if (jaegerExporter == null) {
      build.problem(
          "spec.spanMetrics",
          "needs exporters.jaeger: the Jaeger backend exposes span metrics for Prometheus;"
              + " no span metrics");
      return null;
    }
    List<SpanMetricsDimension> dimensions = dimensions(spec.dimensions, build);
    ExplicitBuckets buckets = buckets(spec.histogramBuckets, build);
    String flushInterval = flushInterval(spec.flushInterval, build);
    return new SpanMetricsConnector(
        NAMESPACE,
        new SpanMetricsHistogram("ms", buckets),
        dimensions,
        List.of("service.name"),
        spec.maxSeries == null || spec.maxSeries < 1 ? DEFAULT_MAX_SERIES : spec.maxSeries,
        flushInterval);
  }

  /** {@code filter/span_metrics} for the excluded operations; null when none is left. */
  static Filter filter(SpanMetricsSpec spec, CollectorBuild build) {
    List<String> conditions = new ArrayList<>();
    List<String> excluded = spec.excludeOperations == null ? List.of() : spec.excludeOperations;
    for (int i = 0; i < excluded.size(); i++) {
      String pattern = excluded.get(i);
      var error = pattern == null ? null : GoRegexp.check(pattern).orElse(null);
      if (pattern == null || pattern.isEmpty() || error != null) {
        build.problem(
            "spec.spanMetrics.excludeOperations[" + i + "]",
            (error == null ? "empty" : "not an RE2 regular expression (" + error.message() + ")")
                + "; left out");
        continue;
      }
      conditions.add(
          "IsMatch(name, " + LogMetadataProcessor.ottlString("^(?:" + pattern + ")$") + ")");
    }
    return conditions.isEmpty() ? null : Filter.spans(conditions);
  }

  /** {@value #TRACES_PIPELINE}: the receivers' spans, unsampled, into the connector. */
  static Pipeline tracesPipeline(List<String> receivers, boolean memoryLimiter, boolean filter) {
    List<String> processors = new ArrayList<>();
    if (memoryLimiter) {
      processors.add("memory_limiter");
    }
    if (filter) {
      processors.add(FILTER);
    }
    return new Pipeline(receivers, processors, List.of(CONNECTOR));
  }

  /** {@value #METRICS_PIPELINE}: the connector's metrics, batched, to the Jaeger backend. */
  static Pipeline metricsPipeline(String jaegerExporter, boolean batch) {
    return new Pipeline(
        List.of(CONNECTOR), batch ? List.of("batch") : List.of(), List.of(jaegerExporter));
  }

  private static List<SpanMetricsDimension> dimensions(List<String> names, CollectorBuild build) {
    Set<String> kept = new LinkedHashSet<>();
    List<String> given = names == null ? List.of() : names;
    for (int i = 0; i < given.size(); i++) {
      String name = given.get(i);
      if (name == null || name.isBlank()) {
        build.problem("spec.spanMetrics.dimensions[" + i + "]", "empty; left out");
      } else if (BUILT_IN.contains(name)) {
        build.problem(
            "spec.spanMetrics.dimensions[" + i + "]",
            "\"" + name + "\" is always a label; left out");
      } else if (!kept.add(name)) {
        build.problem("spec.spanMetrics.dimensions[" + i + "]", "\"" + name + "\" is listed twice");
      }
    }
    return kept.stream().map(SpanMetricsDimension::new).toList();
  }

  /** The buckets as given, or null for the connector's default; null too when they are unusable. */
  private static ExplicitBuckets buckets(List<String> buckets, CollectorBuild build) {
    if (buckets == null || buckets.isEmpty()) {
      return null;
    }
    Duration previous = Duration.ZERO;
    for (int i = 0; i < buckets.size(); i++) {
      Duration bound = GoDurations.parse(buckets.get(i));
      if (bound == null || bound.compareTo(previous) <= 0) {
        build.problem(
            "spec.spanMetrics.histogramBuckets[" + i + "]",
            "\""
                + buckets.get(i)
                + "\" is not a Go duration greater than the bucket before it; using the default"
                + " buckets");
        return null;
      }
      previous = bound;
    }
    return new ExplicitBuckets(List.copyOf(buckets));
  }

  private static String flushInterval(String interval, CollectorBuild build) {
    if (interval == null) {
      return DEFAULT_FLUSH_INTERVAL;
    }
    Duration parsed = GoDurations.parse(interval);
    if (parsed == null || parsed.compareTo(Duration.ofSeconds(1)) < 0) {
      build.problem(
          "spec.spanMetrics.flushInterval",
          "\""
              + interval
              + "\" is not a Go duration of at least 1s; using "
              + DEFAULT_FLUSH_INTERVAL);
      return DEFAULT_FLUSH_INTERVAL;
    }
    return interval;
  }
}
