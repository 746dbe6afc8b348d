package dev.vigil.reconcilers.grafana;

import dev.vigil.reconcilers.grafana.DatasourceInputs.JaegerBackend;
import dev.vigil.reconcilers.grafana.DatasourceInputs.LogBackend;
import dev.vigil.reconcilers.grafana.Datasources.Datasource;
import dev.vigil.reconcilers.grafana.Datasources.DerivedField;
import dev.vigil.reconcilers.grafana.Datasources.ExemplarDestination;
import dev.vigil.reconcilers.grafana.Datasources.JsonData;
import dev.vigil.reconcilers.grafana.Datasources.Query;
import dev.vigil.reconcilers.grafana.Datasources.Tag;
import dev.vigil.reconcilers.grafana.Datasources.TracesToLogs;
import dev.vigil.reconcilers.grafana.Datasources.TracesToMetrics;
import dev.vigil.reconcilers.httpclient.HttpUrls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the {@link Datasources} of a stack's Grafana from {@link DatasourceInputs}. Pure: the same
 * inputs, in any order, give an equal result.
 *
 * <ul>
 *   <li>{@value #PROMETHEUS_NAME}: the stack's query endpoint (Thanos Query or Prometheus), the
 *       default data source, UID {@link GrafanaUids#prometheus}. When the stack has Jaeger
 *       backends, the exemplars' {@value #TRACE_ID_LABEL} label links to the first one (by
 *       namespace/name).
 *   <li>{@value #ALERTMANAGER_NAME}: the stack's Alertmanager, when it runs one, UID {@link
 *       GrafanaUids#alertmanager}.
 *   <li>{@code Jaeger <namespace>/<pipeline>}: one per TracingPipeline backend, sorted by
 *       namespace/name, UID {@link GrafanaUids#jaeger}, with links from a span to its service's
 *       request rate, errors and duration ({@link #TRACE_METRIC_QUERIES}) in the Prometheus data
 *       source, and from a span or trace to its logs ({@link #traceLogs}). A backend without an
 *       absolute http(s) URL, or a second backend of the same pipeline, is left out and reported.
 *   <li>{@code VictoriaLogs <namespace>/<pipeline>}: one per LogPipeline's VictoriaLogs, sorted by
 *       namespace/name, type {@value #VICTORIA_LOGS_PLUGIN}, UID {@link GrafanaUids#victoriaLogs},
 *       with a link from a record's {@value #TRACE_ID_LABEL} field to a Jaeger data source ({@link
 *       #traceTarget}). Left out and reported as the Jaeger backends are.
 * </ul>
 *
 * <p>{@code prune: true} makes Grafana delete a data source it provisioned once the file no longer
 * has it, so a deleted pipeline's Jaeger data source disappears.
 */
public final class DatasourcesBuilder {
  public static final String PROMETHEUS_NAME = "Prometheus";
  public static final String ALERTMANAGER_NAME = "Alertmanager";

  /**
   * The Grafana plugin of VictoriaLogs' data sources. It is not bundled with Grafana: {@link
   * Result#plugins()} names it when the file has such a data source.
   */
  public static final String VICTORIA_LOGS_PLUGIN = "victoriametrics-logs-datasource";

  /**
   * The exemplar label, and the log field, that carries a trace id: the OpenTelemetry SDKs' name
   * for it, and the field VictoriaLogs stores an OTLP record's trace id in.
   */
  public static final String TRACE_ID_LABEL = "trace_id";

  /**
   * The queries offered on a span, before escaping: {@code $__tags} is the span's {@code
   * service.name} as the {@code service_name} label of the span metrics a TracingPipeline with
   * {@code spanMetrics} derives ({@code traces_span_metrics_*}, served by its Jaeger backend and
   * scraped by the stacks' {@code vigil/span-metrics} job). The queries are those of the RED
   * dashboard's span panels, for the span's own operation where it has one.
   */
  public static final List<Query> TRACE_METRIC_QUERIES =
      List.of(
          new Query(
              "Request rate",
              "sum by (service_name, span_name) (rate(traces_span_metrics_calls_total{$__tags}[5m]))"),
          new Query(
              "Error ratio",
              "sum by (service_name) (rate(traces_span_metrics_calls_total"
                  + "{status_code=\"STATUS_CODE_ERROR\",$__tags}[5m]))"
                  + " / sum by (service_name) (rate(traces_span_metrics_calls_total{$__tags}[5m]))"),
          new Query(
              "p95 duration (ms)",
              "histogram_quantile(0.95, sum by (service_name, le)"
                  + " (rate(traces_span_metrics_duration_milliseconds_bucket{$__tags}[5m])))"));

  static final List<Tag> TRACE_TAGS = List.of(new Tag("service.name", "service_name"));

  /**
   * The span attribute that narrows a trace's logs, beside the trace id: Vigil's log agents put the
   * same {@code k8s.namespace.name} on every record, and the TracingPipelines' {@code
   * k8s_attributes} on spans. Naming it keeps Grafana from its default tags, which log records need
   * not carry.
   */
  static final List<Tag> LOG_TAGS = List.of(new Tag("k8s.namespace.name", null));

  private DatasourcesBuilder() {}

  /**
   * @param datasources the file's model, ready for {@link GrafanaProvisioning#render(Datasources)}
   * @param problems the backends left out, and why
   * @param plugins the plugins the data sources need that Grafana does not bundle, sorted
   */
  public record Result(
      Datasources datasources, List<ProvisioningProblem> problems, List<String> plugins) {
    public Result {
      problems = List.copyOf(problems);
      plugins = List.copyOf(plugins);
    }
  }

  public static Result build(DatasourceInputs inputs) {
    List<ProvisioningProblem> problems = new ArrayList<>();
    String promUid = GrafanaUids.prometheus(inputs.namespace(), inputs.stack());

    List<JaegerBackend> backends =
        usable(
            inputs.jaegerBackends(),
            JaegerBackend::namespace,
            JaegerBackend::name,
            JaegerBackend::url,
            "TracingPipeline",
            "Jaeger",
            problems);
    List<LogBackend> logs =
        usable(
            inputs.logBackends(),
            LogBackend::namespace,
            LogBackend::name,
            LogBackend::url,
            "LogPipeline",
            "VictoriaLogs",
            problems);

    List<Datasource> datasources = new ArrayList<>();
    List<ExemplarDestination> exemplars =
        backends.isEmpty()
            ? List.of()
            : List.of(
                new ExemplarDestination(
                    TRACE_ID_LABEL,
                    GrafanaUids.jaeger(backends.get(0).namespace(), backends.get(0).name())));
    datasources.add(
        new Datasource(
            PROMETHEUS_NAME,
            "prometheus",
            promUid,
            "proxy",
            inputs.queryUrl(),
            true,
            false,
            JsonData.prometheus(inputs.thanos() ? "Thanos" : "Prometheus", exemplars)));
    if (inputs.alertmanagerUrl() != null) {
      datasources.add(
          new Datasource(
              ALERTMANAGER_NAME,
              "alertmanager",
              GrafanaUids.alertmanager(inputs.namespace(), inputs.stack()),
              "proxy",
              inputs.alertmanagerUrl(),
              false,
              false,
              JsonData.alertmanager()));
    }
    TracesToMetrics toMetrics =
        new TracesToMetrics(
            promUid,
            "-5m",
            "5m",
            TRACE_TAGS,
            TRACE_METRIC_QUERIES.stream()
                .map(q -> new Query(q.name(), escapeDollars(q.query())))
                .toList());
    for (JaegerBackend b : backends) {
      LogBackend toLogs = traceLogs(b, logs);
      datasources.add(
          new Datasource(
              "Jaeger " + b.namespace() + "/" + b.name(),
              "jaeger",
              GrafanaUids.jaeger(b.namespace(), b.name()),
              "proxy",
              b.url(),
              false,
              false,
              JsonData.jaeger(
                  toLogs == null
                      ? null
                      : new TracesToLogs(
                          GrafanaUids.victoriaLogs(toLogs.namespace(), toLogs.name()),
                          "-5m",
                          "5m",
                          LOG_TAGS,
                          true,
                          false,
                          false),
                  toMetrics)));
    }
    for (LogBackend l : logs) {
      JaegerBackend target = traceTarget(l, backends);
      datasources.add(
          new Datasource(
              "VictoriaLogs " + l.namespace() + "/" + l.name(),
              VICTORIA_LOGS_PLUGIN,
              GrafanaUids.victoriaLogs(l.namespace(), l.name()),
              "proxy",
              l.url(),
              false,
              false,
              target == null
                  ? null
                  : JsonData.victoriaLogs(
                      List.of(
                          new DerivedField(
                              TRACE_ID_LABEL,
                              "label",
                              TRACE_ID_LABEL,
                              escapeDollars("${__value.raw}"),
                              "View trace",
                              GrafanaUids.jaeger(target.namespace(), target.name()))))));
    }
    return new Result(
        new Datasources(1, true, datasources),
        problems,
        logs.isEmpty() ? List.of() : List.of(VICTORIA_LOGS_PLUGIN));
  }

  /**
   * The Jaeger data source a log's trace id opens: the first Jaeger backend (by name) in the
   * LogPipeline's namespace, else the first of all by namespace/name, so a single Jaeger backend
   * serves every log data source; null when there is none.
   *
   * @param jaegers the usable backends, sorted by namespace/name
   */
  static JaegerBackend traceTarget(LogBackend log, List<JaegerBackend> jaegers) {
    return jaegers.stream()
        .filter(j -> j.namespace().equals(log.namespace()))
        .findFirst()
        .orElse(jaegers.isEmpty() ? null : jaegers.get(0));
  }

  /**
   * The log data source a Jaeger data source opens for a span's or trace's logs: the first
   * VictoriaLogs (by name) in the TracingPipeline's namespace; null when that namespace has none,
   * as another namespace's logs would rarely hold the trace.
   *
   * @param logs the usable backends, sorted by namespace/name
   */
  static LogBackend traceLogs(JaegerBackend jaeger, List<LogBackend> logs) {
    return logs.stream()
        .filter(l -> l.namespace().equals(jaeger.namespace()))
        .findFirst()
        .orElse(null);
  }

  /**
   * The backends sorted by namespace/name, without those lacking an absolute http(s) URL or
   * repeating a pipeline, each left out reported as a problem of its pipeline.
   */
  private static <B> List<B> usable(
      List<B> given,
      Function<B, String> namespace,
      Function<B, String> name,
      Function<B, String> url,
      String kind,
      String backend,
      List<ProvisioningProblem> problems) {
    List<B> sorted =
        given.stream()
            .sorted(
                Comparator.comparing(namespace)
                    .thenComparing(name)
                    .thenComparing(b -> String.valueOf(url.apply(b))))
            .toList();
    List<B> usable = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (B b : sorted) {
      String subject = kind + " " + namespace.apply(b) + "/" + name.apply(b);
      if (!HttpUrls.isAbsoluteHttp(url.apply(b))) {
        problems.add(
            new ProvisioningProblem(
                subject,
                backend
                    + " URL \""
                    + url.apply(b)
                    + "\" is not an absolute http(s) URL; no data source"));
      } else if (!seen.add(namespace.apply(b) + "/" + name.apply(b))) {
        problems.add(
            new ProvisioningProblem(
                subject,
                "a second "
                    + backend
                    + " backend for the same pipeline ("
                    + url.apply(b)
                    + ") is left out"));
      } else {
        usable.add(b);
      }
    }
    return usable;
  }

  /**
   * Grafana replaces {@code $NAME} and {@code ${NAME}} in every value of a provisioning file with
   * an environment variable; {@code $$} is a literal {@code $}.
   */
  static String escapeDollars(String value) {
    return value.replace("$", "$$");
  }
}
