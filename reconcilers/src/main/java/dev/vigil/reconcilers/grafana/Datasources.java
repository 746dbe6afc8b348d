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
      @JsonProperty("tracesToLogsV2") TracesToLogs tracesToLogsV2,
      TracesToMetrics tracesToMetrics,
      NodeGraph nodeGraph,
      List<DerivedField> derivedFields) {
    static JsonData prometheus(String prometheusType, List<ExemplarDestination> exemplars) {
      return new JsonData("POST", prometheusType, exemplars, null, null, null, null, null, null);
    }

    static JsonData alertmanager() {
      return new JsonData(null, null, null, "prometheus", false, null, null, null, null);
    }

    /**
     * @param toLogs the logs of a trace, or null for none
     */
    static JsonData jaeger(TracesToLogs toLogs, TracesToMetrics toMetrics) {
      return new JsonData(
          null, null, null, null, null, toLogs, toMetrics, new NodeGraph(true), null);
    }

    /** VictoriaLogs' plugin: {@code derivedFields} turn a log's field into a link. */
    static JsonData victoriaLogs(List<DerivedField> derivedFields) {
      return new JsonData(null, null, null, null, null, null, null, null, derivedFields);
    }
  }

  /** Where a Prometheus exemplar's trace id label links to. */
  public record ExemplarDestination(String name, String datasourceUid) {}

  /**
   * From a trace or span to its logs ({@code tracesToLogsV2} of Grafana's tracing data sources):
   * with a VictoriaLogs target, Grafana queries {@code trace_id:="<id>"} ({@code filterByTraceID})
   * and-ed with {@code <tag>:="<value>"} for each of {@code tags} the span carries. Without {@code
   * tags}, Grafana falls back to its defaults ({@code service.name}, {@code pod}, …), which
   * Kubernetes log records need not carry, so Vigil always names its own.
   */
  public record TracesToLogs(
      String datasourceUid,
      String spanStartTimeShift,
      String spanEndTimeShift,
      List<Tag> tags,
      @JsonProperty("filterByTraceID") boolean filterByTraceId,
      @JsonProperty("filterBySpanID") boolean filterBySpanId,
      boolean customQuery) {}

  /** From a span to the metrics of its service, in the Prometheus data source. */
  public record TracesToMetrics(
      String datasourceUid,
      String spanStartTimeShift,
      String spanEndTimeShift,
      List<Tag> tags,
      List<Query> queries) {}

  /**
   * A span attribute ({@code key}) and the metric label or log field it becomes ({@code value};
   * null: the same name).
   */
  public record Tag(String key, String value) {}

  /** A linked query; {@code $__tags} is replaced by the span's tags as label matchers. */
  public record Query(String name, String query) {}

  public record NodeGraph(boolean enabled) {}

  /**
   * A link made from a field of each log record (VictoriaLogs' plugin, as Loki's derived fields).
   *
   * @param name the label of the link's field in the log details
   * @param matcherType {@code label}: the value is the log field {@code matcherRegex} names ({@code
   *     regex}: a capture group over the log line)
   * @param url with {@code datasourceUid}, the query the target runs: the trace id itself for a
   *     tracing data source
   * @param datasourceUid the data source the link opens
   */
  public record DerivedField(
      String name,
      String matcherType,
      String matcherRegex,
      String url,
      String urlDisplayLabel,
      String datasourceUid) {}
}
