package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.NetworkPolicySpec;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import io.fabric8.generator.annotation.Default;

/** What a MonitoringStack runs and which monitors and policies it takes in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringStackSpec {
  @JsonPropertyDescription("The Prometheus scrapers: shards, replicas, retention, storage.")
  // Defaulted to {} by the API server, so spec.scraper.shards (the scale subresource's
  // spec.replicas) is 1 and not missing when a stack leaves the scraper out: an
  // HorizontalPodAutoscaler does nothing to a target whose replicas read 0.
  @Default("{}")
  public ScraperSpec scraper = new ScraperSpec();

  @JsonPropertyDescription(
      "Which ServiceMonitors and PodMonitors this stack scrapes. Absent: every monitor in the"
          + " stack's own namespace.")
  public ResourceSelector monitorSelector;

  @JsonPropertyDescription(
      "Which AlertPolicies this stack loads. Absent: every policy in the stack's own"
          + " namespace.")
  public ResourceSelector policySelector;

  @JsonPropertyDescription("An Alertmanager for the stack's alerts. Off by default.")
  public AlertmanagerSpec alertmanager;

  @JsonPropertyDescription("A Grafana wired to the stack. Off by default.")
  public GrafanaSpec grafana;

  @JsonPropertyDescription("node-exporter on every node, scraped by the stack. Off by default.")
  public NodeAgentSpec nodeAgent;

  @JsonPropertyDescription("kube-state-metrics, scraped by the stack. Off by default.")
  public KubeStateMetricsSpec kubeStateMetrics;

  @JsonPropertyDescription(
      "Thanos sidecars and a Thanos Query giving one view over all shards. Off by default.")
  public ThanosSpec thanos;

  @JsonPropertyDescription(
      "NetworkPolicies admitting only the traffic the stack's components need. Off by default.")
  public NetworkPolicySpec networkPolicy;
}
