package dev.vigil.reconcilers.grafana;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The typed model of Grafana's data source provisioning file ({@code datasources.yaml}, {@code
 * apiVersion: 1}). Components are written in declaration order with their camelCase names; null
 * components and empty lists are left out.
 *
 * @param prune whether Grafana deletes the data sources it provisioned earlier that are no longer
 *     in the file (Grafana 11.1 and later): a removed TracingPipeline's Jaeger data source goes
 *     away without a {@code deleteDatasources} list, which would need to know what was there before
 */
public record Datasources(int apiVersion, boolean prune, List<Datasource> datasources) {
  public Datasources {
    datasources = List.copyOf(datasources);
  }

  /** One data source; {@code editable: false} since the file, not the UI, owns it. */
  public record Datasource(
      String name,
      String type,
      String uid,
      String access,
      String url,
      @JsonProperty("isDefault") boolean isDefault,
      boolean editable,
      JsonData jsonData) {}

  /** The type-specific settings; each data source type sets only its own. */
  public record JsonData(
      String httpMethod,
      String prometheusType,
      List<ExemplarDestination> exemplarTraceIdDestinations,
      String implementation,
      Boolean handleGrafanaManagedAlerts,
      TracesToMetrics tracesToMetrics,
      NodeGraph nodeGraph) {
    static JsonData prometheus(String prometheusType, List<ExemplarDestination> exemplars) {
      return new JsonData("POST", prometheusType, exemplars, null, null, null, null);
    }

    static JsonData alertmanager() {
      return new JsonData(null, null, null, "prometheus", false, null, null);
    }

    static JsonData jaeger(TracesToMetrics tracesToMetrics) {
      return new JsonData(null, null, null, null, null, tracesToMetrics, new NodeGraph(true));
    }
  }

  /** Where a Prometheus exemplar's trace id label links to. */
  public record ExemplarDestination(String name, String datasourceUid) {}

  /** From a span to the metrics of its service, in the Prometheus data source. */
  public record TracesToMetrics(
      String datasourceUid,
      String spanStartTimeShift,
      String spanEndTimeShift,
      List<Tag> tags,
      List<Query> queries) {}

  /** A span attribute ({@code key}) and the metric label it becomes ({@code value}). */
  public record Tag(String key, String value) {}

  /** A linked query; {@code $__tags} is replaced by the span's tags as label matchers. */
  public record Query(String name, String query) {}

  public record NodeGraph(boolean enabled) {}
}
