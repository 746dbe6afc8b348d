package dev.vigil.reconcilers.jaeger;

import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.JaegerMonitorSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfig.Batch;
import dev.vigil.reconcilers.collector.CollectorConfig.Endpoint;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpProtocols;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpReceiver;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipeline;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipelines;
import dev.vigil.reconcilers.collector.CollectorConfig.Service;
import dev.vigil.reconcilers.collector.CollectorConfig.Telemetry;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.ListenPort;
import dev.vigil.reconcilers.collector.CollectorSpanMetrics;
import dev.vigil.reconcilers.collector.ConfigProblem;
import dev.vigil.reconcilers.collector.GoDurations;
import dev.vigil.reconcilers.httpclient.HttpUrls;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Backend;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Badger;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Directories;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Exporters;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Extensions;
import dev.vigil.reconcilers.jaeger.JaegerConfig.HealthCheckV2;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Memory;
import dev.vigil.reconcilers.jaeger.JaegerConfig.MetricBackend;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Processors;
import dev.vigil.reconcilers.jaeger.JaegerConfig.PrometheusExporter;
import dev.vigil.reconcilers.jaeger.JaegerConfig.PrometheusMetricStore;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Query;
import dev.vigil.reconcilers.jaeger.JaegerConfig.QueryStorage;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Receivers;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Storage;
import dev.vigil.reconcilers.jaeger.JaegerConfig.StorageExporter;
import dev.vigil.reconcilers.jaeger.JaegerConfig.Ttl;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link JaegerConfig} of a TracingPipeline's Jaeger v2 backend from {@code
 * spec.exporters.jaeger}. Pure: the same pipeline gives an equal result.
 *
 * <p>One storage backend named {@value #STORE}: {@code memory} keeping {@code maxTraces} traces
 * (default {@value #DEFAULT_MAX_TRACES}), or {@code badger} in {@value #DATA_DIR} (the
 * PersistentVolumeClaim's mount point; {@code keys/} and {@code values/} below it) keeping spans
 * for {@code retention} (default {@value #DEFAULT_RETENTION}). The {@code otlp} receiver takes
 * spans from the collectors on {@value #OTLP_GRPC_PORT} (gRPC) and {@value #OTLP_HTTP_PORT} (HTTP);
 * {@code jaeger_query} serves the UI and {@code /api/traces} on {@value #QUERY_HTTP_PORT} and the
 * gRPC query API on {@value #QUERY_GRPC_PORT}; {@code healthcheckv2} answers on {@value
 * #HEALTH_PORT} at {@value #HEALTH_PATH}; Jaeger's own metrics are on {@value #METRICS_PORT}.
 *
 * <p>With {@code spec.spanMetrics}, the same {@code otlp} receiver takes the span metrics the
 * collectors derive ({@code collector.CollectorSpanMetrics}) into a {@code metrics} pipeline whose
 * {@code prometheus} exporter serves them on {@value #SPAN_METRICS_PORT} (port {@value
 * #SPAN_METRICS_PORT_NAME}, which the stacks' {@code vigil/span-metrics} job scrapes). With {@code
 * spec.exporters.jaeger.monitor}, the metric backend {@value #METRICS_STORE} reads them back from
 * that Prometheus for the Monitor tab and {@code /api/metrics/*}.
 *
 * <p>A setting that does not apply to the chosen storage, or that is not valid, is ignored or
 * replaced by its default and reported in {@link Result#problems()}.
 */
public final class JaegerConfigBuilder {
  public static final int OTLP_GRPC_PORT = 4317;
  public static final int OTLP_HTTP_PORT = 4318;
  public static final int QUERY_HTTP_PORT = 16686;
  public static final int QUERY_GRPC_PORT = 16685;
  public static final int HEALTH_PORT = 13133;
  public static final String HEALTH_PATH = "/status";
  public static final int METRICS_PORT = 8888;
  public static final int SPAN_METRICS_PORT = 8889;
  public static final String SPAN_METRICS_PORT_NAME = StackDiscoveryJobs.SPAN_METRICS_PORT;

  /** Where badger storage lives: the mount point of the backend's PersistentVolumeClaim. */
  public static final String DATA_DIR = "/var/lib/jaeger";

  static final String STORE = "traces";
  static final String METRICS_STORE = "span_metrics";
  static final long DEFAULT_MAX_TRACES = 100_000;
  static final String DEFAULT_RETENTION = "72h";
  static final String ANY_HOST = CollectorConfigBuilder.ANY_HOST;

  private JaegerConfigBuilder() {}

  /**
   * The backend's configuration and what its pod needs.
   *
   * @param config the configuration, ready for {@link JaegerConfigRenderer}; null when the pipeline
   *     asks for no Jaeger backend
   * @param persistent whether the storage is badger: the pod then mounts a PersistentVolumeClaim
   *     (of {@code spec.exporters.jaeger.size}) at {@link #DATA_DIR}
   * @param ports the ports Jaeger listens on: {@code otlp-grpc}, {@code otlp-http}, {@code query},
   *     {@code query-grpc}, {@code metrics}, {@code health}
   * @param problems what was ignored or replaced, and why
   */
  public record Result(
      JaegerConfig config,
      boolean persistent,
      List<ListenPort> ports,
      List<ConfigProblem> problems) {
    public Result {
      ports = List.copyOf(ports);
      problems = List.copyOf(problems);
    }
  }

  /** Whether the pipeline asks for a Jaeger backend. */
  public static boolean enabled(TracingPipeline pipeline) {
    JaegerBackendSpec spec = spec(pipeline);
    return spec != null && !Boolean.FALSE.equals(spec.enabled);
  }

  /** The backend of a platform pipeline that names no stack. */
  public static Result build(TracingPipeline pipeline) {
    return build(pipeline, JaegerConfigInputs.of());
  }

  public static Result build(TracingPipeline pipeline, JaegerConfigInputs inputs) {
    List<ConfigProblem> problems = new ArrayList<>();
    if (!enabled(pipeline)) {
      return new Result(null, false, List.of(), problems);
    }
    JaegerBackendSpec spec = spec(pipeline);
    String field = "spec.exporters.jaeger";
    boolean badger = spec.storage == JaegerBackendSpec.Storage.badger;
    Backend backend;
    if (badger) {
      if (spec.maxTraces != null) {
        problems.add(
            new ConfigProblem(
                field + ".maxTraces", "applies to storage memory only; ignored with badger"));
      }
      String retention = spec.retention == null ? DEFAULT_RETENTION : spec.retention;
      if (!GoDurations.isPositive(retention)) {
        problems.add(
            new ConfigProblem(
                field + ".retention",
                "\"" + retention + "\" is not a positive Go duration; using " + DEFAULT_RETENTION));
        retention = DEFAULT_RETENTION;
      }
      backend =
          new Backend(
              null,
              new Badger(
                  new Directories(DATA_DIR + "/keys", DATA_DIR + "/values"),
                  false,
                  new Ttl(retention)));
    } else {
      if (spec.retention != null || spec.size != null) {
        problems.add(
            new ConfigProblem(
                field, "size and retention apply to storage badger only; ignored with memory"));
      }
      long maxTraces = spec.maxTraces == null ? DEFAULT_MAX_TRACES : spec.maxTraces;
      if (maxTraces < 1) {
        problems.add(
            new ConfigProblem(
                field + ".maxTraces", maxTraces + " is not positive; using " + DEFAULT_MAX_TRACES));
        maxTraces = DEFAULT_MAX_TRACES;
      }
      backend = new Backend(new Memory(maxTraces), null);
    }

    boolean spanMetrics = CollectorSpanMetrics.enabled(pipeline);
    String metricsStore = metricsStore(pipeline, spec.monitor, inputs, problems);
    Pipeline traces =
        new Pipeline(List.of("otlp"), List.of("batch"), List.of("jaeger_storage_exporter"));
    JaegerConfig config =
        new JaegerConfig(
            new Receivers(
                new OtlpReceiver(
                    new OtlpProtocols(endpoint(OTLP_GRPC_PORT), endpoint(OTLP_HTTP_PORT)))),
            new Processors(new Batch(null, null, null)),
            new Exporters(
                new StorageExporter(STORE),
                spanMetrics ? new PrometheusExporter(ANY_HOST + ":" + SPAN_METRICS_PORT) : null),
            new Extensions(
                new HealthCheckV2(true, endpoint(HEALTH_PORT)),
                new Query(
                    new QueryStorage(STORE, metricsStore == null ? null : METRICS_STORE),
                    endpoint(QUERY_HTTP_PORT),
                    endpoint(QUERY_GRPC_PORT)),
                new Storage(
                    Map.of(STORE, backend),
                    metricsStore == null
                        ? null
                        : Map.of(
                            METRICS_STORE,
                            new MetricBackend(
                                new PrometheusMetricStore(metricsStore, true, true))))),
            new Service(
                List.of("jaeger_storage", "jaeger_query", "healthcheckv2"),
                Telemetry.prometheus(ANY_HOST, METRICS_PORT),
                spanMetrics
                    ? new Pipelines(
                        traces,
                        null,
                        new Pipeline(List.of("otlp"), List.of("batch"), List.of("prometheus")),
                        null,
                        null)
                    : new Pipelines(traces)));
    List<ListenPort> ports =
        new ArrayList<>(
            List.of(
                new ListenPort("otlp-grpc", OTLP_GRPC_PORT),
                new ListenPort("otlp-http", OTLP_HTTP_PORT),
                new ListenPort("query", QUERY_HTTP_PORT),
                new ListenPort("query-grpc", QUERY_GRPC_PORT),
                new ListenPort("metrics", METRICS_PORT),
                new ListenPort("health", HEALTH_PORT)));
    if (spanMetrics) {
      ports.add(new ListenPort(SPAN_METRICS_PORT_NAME, SPAN_METRICS_PORT));
    }
    return new Result(config, badger, ports, problems);
  }

  /**
   * The Prometheus query URL the Monitor tab reads span metrics from; null when none is set or it
   * cannot be used, which is reported.
   */
  private static String metricsStore(
      TracingPipeline pipeline,
      JaegerMonitorSpec monitor,
      JaegerConfigInputs inputs,
      List<ConfigProblem> problems) {
    if (monitor == null) {
      return null;
    }
    String field = "spec.exporters.jaeger.monitor";
    if (monitor.prometheusUrl != null) {
      if (!HttpUrls.isAbsoluteHttp(monitor.prometheusUrl)) {
        problems.add(
            new ConfigProblem(
                field + ".prometheusUrl",
                "\""
                    + monitor.prometheusUrl
                    + "\" is not an absolute http(s) URL; the Monitor tab stays empty"));
        return null;
      }
      return monitor.prometheusUrl;
    }
    if (monitor.stack == null || monitor.stack.name == null) {
      problems.add(
          new ConfigProblem(field, "set stack or prometheusUrl; the Monitor tab stays empty"));
      return null;
    }
    String own = pipeline.getMetadata().getNamespace();
    String namespace = monitor.stack.namespace == null ? own : monitor.stack.namespace;
    if (!inputs.clusterWide() && !namespace.equals(own)) {
      problems.add(
          new ConfigProblem(
              field + ".stack",
              "a tenant's pipeline may read span metrics only from a stack in its own namespace "
                  + own
                  + ", not "
                  + namespace
                  + "; the Monitor tab stays empty"));
      return null;
    }
    return inputs
        .stacks()
        .queryUrl(namespace, monitor.stack.name)
        .filter(HttpUrls::isAbsoluteHttp)
        .orElseGet(
            () -> {
              problems.add(
                  new ConfigProblem(
                      field + ".stack",
                      "MonitoringStack "
                          + namespace
                          + "/"
                          + monitor.stack.name
                          + " does not exist or reports no query URL yet; the Monitor tab stays"
                          + " empty until it does"));
              return null;
            });
  }

  /** Whether the pipeline's Jaeger backend reads span metrics from {@code stack}'s Prometheus. */
  public static boolean monitors(TracingPipeline pipeline, HasMetadata stack) {
    JaegerBackendSpec spec = spec(pipeline);
    if (spec == null || spec.monitor == null || spec.monitor.stack == null) {
      return false;
    }
    String namespace =
        spec.monitor.stack.namespace == null
            ? pipeline.getMetadata().getNamespace()
            : spec.monitor.stack.namespace;
    return stack.getMetadata().getName().equals(spec.monitor.stack.name)
        && stack.getMetadata().getNamespace().equals(namespace);
  }

  private static JaegerBackendSpec spec(TracingPipeline pipeline) {
    return pipeline.getSpec() == null || pipeline.getSpec().exporters == null
        ? null
        : pipeline.getSpec().exporters.jaeger;
  }

  private static Endpoint endpoint(int port) {
    return new Endpoint(ANY_HOST + ":" + port);
  }
}
