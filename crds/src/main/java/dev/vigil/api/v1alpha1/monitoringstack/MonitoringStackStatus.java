package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.VigilStatus;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What a MonitoringStack runs and found. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringStackStatus extends VigilStatus {
  @JsonPropertyDescription(
      "Prometheus shards in service (scraping); the scale subresource's status.replicas.")
  @StatusReplicas
  public Integer shards;

  @JsonPropertyDescription(
      "When autoscaling last changed the shard count (RFC 3339); the cool-down counts from it.")
  public String shardsChangedAt;

  @JsonPropertyDescription(
      "Targets scraped away from the shard rendezvous hashing gives them, to balance series.")
  public Integer movedTargets;

  @JsonPropertyDescription(
      "Label selector of the Prometheus pods of the shards in service, for the scale"
          + " subresource (an HorizontalPodAutoscaler reads their metrics).")
  @LabelSelector
  public String selector;

  @JsonPropertyDescription(
      "Shards a scale-down took out of service that still run and answer queries until their"
          + " window ends (scraper.shardRetention).")
  public List<RetainedShard> retainedShards;

  @JsonPropertyDescription("Targets served to the stack's shards, in total.")
  public Integer targets;

  @JsonPropertyDescription("Targets per shard.")
  public List<ShardStatus> shardStatuses = new ArrayList<>();

  @JsonPropertyDescription("ServiceMonitors and PodMonitors selected.")
  public Integer monitors;

  @JsonPropertyDescription("AlertPolicies selected.")
  public Integer policies;

  @JsonPropertyDescription("Rules loaded from the selected policies.")
  public Integer rules;

  @JsonPropertyDescription("In-cluster URL to query the stack (Prometheus or Thanos Query).")
  public String queryUrl;

  @JsonPropertyDescription("In-cluster URL of the stack's Alertmanager.")
  public String alertmanagerUrl;

  @JsonPropertyDescription("In-cluster URL of the stack's Grafana.")
  public String grafanaUrl;

  @JsonPropertyDescription("Dashboards loaded into Grafana.")
  public Integer dashboards;
}
