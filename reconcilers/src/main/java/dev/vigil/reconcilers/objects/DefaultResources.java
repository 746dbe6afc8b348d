package dev.vigil.reconcilers.objects;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

/**
 * The requests and limits of every container Vigil runs, when the user's object sets none: a CPU
 * request, a memory request and a memory limit, and no CPU limit (a CPU limit throttles a scrape or
 * a query in the middle of its work; the request already gives each container its share when the
 * node is busy). The user's {@code resources} replace a container's defaults entirely, never merged
 * with them: {@code resources: {}} runs the container with none. docs/resources.md gives the table
 * and where each figure comes from.
 */
public enum DefaultResources {
  /** kube-prometheus's request (400Mi); the limit holds a few hundred thousand series. */
  PROMETHEUS("100m", "400Mi", "2Gi"),
  /** Vigil's own reloader (a small JVM: its heap is 70% of the limit). */
  CONFIG_RELOADER("10m", "96Mi", "192Mi"),
  THANOS_SIDECAR("10m", "64Mi", "256Mi"),
  /** kube-prometheus's request (100Mi), with room for silences and a notification backlog. */
  ALERTMANAGER("10m", "100Mi", "256Mi"),
  /** Grafana's documented minimum of 512 MB as the limit. */
  GRAFANA("100m", "128Mi", "512Mi"),
  THANOS_QUERY("50m", "128Mi", "512Mi"),
  /** kube-prometheus's figures for kube-state-metrics. */
  KUBE_STATE_METRICS("10m", "190Mi", "250Mi"),
  /** kube-prometheus's figures for node-exporter (its 102m request rounded). */
  NODE_EXPORTER("100m", "180Mi", "180Mi"),
  /** The memory_limiter's percentages are of this limit; without one they are of the node's. */
  OTEL_COLLECTOR("100m", "256Mi", "512Mi"),
  /** Memory storage keeps up to maxTraces traces (100,000 by default) in this limit. */
  JAEGER("100m", "256Mi", "1Gi"),
  /** A node agent reading pod log files: the memory_limiter keeps below the limit. */
  LOG_AGENT("100m", "128Mi", "512Mi"),
  /** A single-node VictoriaLogs; its caches size themselves to a share of this limit. */
  VICTORIA_LOGS("100m", "256Mi", "1Gi"),
  /** The init container that copies an auto-instrumentation payload ({@code cp}) into a pod. */
  AUTO_INSTRUMENTATION("50m", "64Mi", "128Mi");

  private final String cpuRequest;
  private final String memoryRequest;
  private final String memoryLimit;

  DefaultResources(String cpuRequest, String memoryRequest, String memoryLimit) {
    this.cpuRequest = cpuRequest;
    this.memoryRequest = memoryRequest;
    this.memoryLimit = memoryLimit;
  }

  /** The user's {@code own} resources when set (even empty), else this container's defaults. */
  public ResourceRequirements or(ResourceRequirements own) {
    return own != null ? own : requirements();
  }

  /**
   * The defaults, spelled as the API server stores them (canonical quantities), so the
   * server-side-apply match holds.
   */
  public ResourceRequirements requirements() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(cpuRequest))
        .addToRequests("memory", new Quantity(memoryRequest))
        .addToLimits("memory", new Quantity(memoryLimit))
        .build();
  }

  public String cpuRequest() {
    return cpuRequest;
  }

  public String memoryRequest() {
    return memoryRequest;
  }

  public String memoryLimit() {
    return memoryLimit;
  }
}
