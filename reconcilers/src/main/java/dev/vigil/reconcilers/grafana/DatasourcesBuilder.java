package dev.vigil.reconcilers.grafana;

import dev.vigil.reconcilers.grafana.DatasourceInputs.JaegerBackend;
import dev.vigil.reconcilers.grafana.Datasources.Datasource;
import dev.vigil.reconcilers.grafana.Datasources.ExemplarDestination;
import dev.vigil.reconcilers.grafana.Datasources.JsonData;
import dev.vigil.reconcilers.grafana.Datasources.Query;
import dev.vigil.reconcilers.grafana.Datasources.Tag;
import dev.vigil.reconcilers.grafana.Datasources.TracesToMetrics;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 *       source. A backend without an absolute http(s) URL, or a second backend of the same
 *       pipeline, is left out and reported.
 * </ul>
 *
 * <p>{@code prune: true} makes Grafana delete a data source it provisioned once the file no longer
 * has it, so a deleted pipeline's Jaeger data source disappears.
 */
public final class DatasourcesBuilder {
  public static final String PROMETHEUS_NAME = "Prometheus";
  public static final String ALERTMANAGER_NAME = "Alertmanager";

  /** The exemplar label that carries a trace id: the OpenTelemetry SDKs' name for it. */
  public static final String TRACE_ID_LABEL = "trace_id";

  /**
   * The queries offered on a span, before escaping: {@code $__tags} is the span's {@code
   * service.name} and {@code k8s.namespace.name} as the {@code service} and {@code namespace}
   * matchers that Vigil's scrape jobs attach. The metrics are those of the RED dashboard.
   */
  public static final List<Query> TRACE_METRIC_QUERIES =
      List.of(
          new Query("Request rate", "sum by (service) (rate(http_requests_total{$__tags}[5m]))"),
          new Query(
              "Error ratio",
              "sum by (service) (rate(http_requests_total{code=~\"5..\",$__tags}[5m]))"
                  + " / sum by (service) (rate(http_requests_total{$__tags}[5m]))"),
          new Query(
              "p95 duration",
              "histogram_quantile(0.95, sum by (service, le)"
                  + " (rate(http_request_duration_seconds_bucket{$__tags}[5m])))"));

  static final List<Tag> TRACE_TAGS =
      List.of(new Tag("k8s.namespace.name", "namespace"), new Tag("service.name", "service"));

  private DatasourcesBuilder() {}

  /**
   * @param datasources the file's model, ready for {@link GrafanaProvisioning#render(Datasources)}
   * @param problems the backends left out, and why
   */
  public record Result(Datasources datasources, List<ProvisioningProblem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }
  }

  public static Result build(DatasourceInputs inputs) {
    List<ProvisioningProblem> problems = new ArrayList<>();
    String promUid = GrafanaUids.prometheus(inputs.namespace(), inputs.stack());

    List<JaegerBackend> backends = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<JaegerBackend> sorted =
        inputs.jaegerBackends().stream()
            .sorted(
                Comparator.comparing(JaegerBackend::namespace)
                    .thenComparing(JaegerBackend::name)
                    .thenComparing(b -> String.valueOf(b.url())))
            .toList();
    for (JaegerBackend b : sorted) {
      String subject = "TracingPipeline " + b.namespace() + "/" + b.name();
      if (!httpUrl(b.url())) {
        problems.add(
            new ProvisioningProblem(
                subject,
                "Jaeger URL \"" + b.url() + "\" is not an absolute http(s) URL; no data source"));
      } else if (!seen.add(b.namespace() + "/" + b.name())) {
        problems.add(
            new ProvisioningProblem(
                subject,
                "a second Jaeger backend for the same pipeline (" + b.url() + ") is left out"));
      } else {
        backends.add(b);
      }
    }

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
      datasources.add(
          new Datasource(
              "Jaeger " + b.namespace() + "/" + b.name(),
              "jaeger",
              GrafanaUids.jaeger(b.namespace(), b.name()),
              "proxy",
              b.url(),
              false,
              false,
              JsonData.jaeger(toMetrics)));
    }
    return new Result(new Datasources(1, true, datasources), problems);
  }

  /**
   * Grafana replaces {@code $NAME} and {@code ${NAME}} in every value of a provisioning file with
   * an environment variable; {@code $$} is a literal {@code $}.
   */
  static String escapeDollars(String value) {
    return value.replace("$", "$$");
  }

  private static boolean httpUrl(String url) {
    if (url == null || url.isBlank()) {
      return false;
    }
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
