package dev.vigil.reconcilers.grafana;

import java.util.List;
import java.util.Objects;

/**
 * What the data sources of a stack's Grafana point at. The URLs are in-cluster Service URLs that
 * the caller computes from the same naming functions as the Services themselves.
 *
 * @param namespace the stack's namespace
 * @param stack the stack's name
 * @param queryUrl where Grafana sends PromQL: the Thanos Query Service when the stack runs one,
 *     otherwise the Prometheus query Service, e.g. {@code http://web-prometheus.shop.svc:9090}
 * @param thanos whether {@code queryUrl} is Thanos Query (Grafana then offers Thanos' options)
 * @param alertmanagerUrl the stack's Alertmanager Service, or null when it runs none
 * @param jaegerBackends the Jaeger backends of the TracingPipelines in the stack's namespaces, in
 *     any order
 * @param logBackends the VictoriaLogs backends of the LogPipelines in the same namespaces, in any
 *     order
 */
public record DatasourceInputs(
    String namespace,
    String stack,
    String queryUrl,
    boolean thanos,
    String alertmanagerUrl,
    List<JaegerBackend> jaegerBackends,
    List<LogBackend> logBackends) {
  public DatasourceInputs {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(queryUrl, "queryUrl");
    jaegerBackends = jaegerBackends == null ? List.of() : List.copyOf(jaegerBackends);
    logBackends = logBackends == null ? List.of() : List.copyOf(logBackends);
  }

  /**
   * The Jaeger backend a TracingPipeline deploys.
   *
   * @param namespace the pipeline's namespace
   * @param name the pipeline's name
   * @param url the backend's query (UI) URL, e.g. {@code http://traces-jaeger.shop.svc:16686}
   */
  public record JaegerBackend(String namespace, String name, String url) {
    public JaegerBackend {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * The VictoriaLogs a LogPipeline runs.
   *
   * @param namespace the pipeline's namespace
   * @param name the pipeline's name
   * @param url the backend's base URL, e.g. {@code http://logs-victorialogs.shop.svc:9428}
   */
  public record LogBackend(String namespace, String name, String url) {
    public LogBackend {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }
  }
}
