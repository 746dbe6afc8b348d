package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.Patterns;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** The Prometheus scrapers of a stack. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.scrapeTimeout) || !has(self.scrapeInterval)"
            + " || !self.scrapeTimeout.matches('"
            + Patterns.CEL_COMPARABLE_DURATION
            + "') || !self.scrapeInterval.matches('"
            + Patterns.CEL_COMPARABLE_DURATION
            + "') || duration(self.scrapeTimeout) <= duration(self.scrapeInterval)",
    message = "scraper.scrapeTimeout must not be longer than scraper.scrapeInterval")
@ValidationRule(
    value =
        "!has(self.enforcedNamespaceLabel) || !self.enforcedNamespaceLabel.startsWith('__')"
            + " && self.enforcedNamespaceLabel != 'vigil_policy'",
    message =
        "scraper.enforcedNamespaceLabel: names starting with __ are Prometheus's and vigil_policy"
            + " is Vigil's routing label; use another label name, usually namespace")
@ValidationRule(
    value =
        "!has(self.externalLabels) || !('prometheus_shard' in self.externalLabels)"
            + " && !('prometheus_replica' in self.externalLabels)",
    message =
        "scraper.externalLabels: prometheus_shard and prometheus_replica are set by Vigil; use"
            + " other names")
public class ScraperSpec {
  @JsonPropertyDescription("Prometheus image. Default: the Prometheus v3 image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "Prometheus version of a custom image, e.g. v3.5.0, so Vigil writes only config fields it"
          + " understands. Default: the pinned version.")
  @Pattern("^v?[0-9]+\\.[0-9]+\\.[0-9]+.*$")
  public String version;

  @JsonPropertyDescription("Prometheus pods per shard; more than 1 gives HA pairs. Default: 1.")
  @Min(1)
  @Max(10)
  @Default("1")
  public Integer replicas = 1;

  @JsonPropertyDescription(
      "Shards the targets are spread over; each shard is a StatefulSet scraping about"
          + " 1/shards of the targets. Default: 1.")
  @Min(1)
  @Max(100)
  @Default("1")
  @SpecReplicas
  public Integer shards = 1;

  @JsonPropertyDescription(
      "How targets are spread over the shards: by count (rendezvous hashing, the default) or by"
          + " the series each produced.")
  public ShardBalancingSpec balancing;

  @JsonPropertyDescription(
      "Vigil sets the shard count itself from the series it reads, between minShards and"
          + " maxShards; shards is then only the count to start with.")
  public ShardAutoscalingSpec autoscaling;

  @JsonPropertyDescription(
      "What a scale-down does to the shards it removes: delete them at once (default) or keep"
          + " them answering queries for a window, as prometheus-operator's shardRetentionPolicy.")
  public ShardRetentionSpec shardRetention;

  @JsonPropertyDescription("Default scrape interval of every job. Default: 30s.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  @Size(max = 32)
  @Default("30s")
  public String scrapeInterval = "30s";

  @JsonPropertyDescription("Default scrape timeout; not longer than scrapeInterval. Default: 10s.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  @Size(max = 32)
  @Default("10s")
  public String scrapeTimeout = "10s";

  @JsonPropertyDescription("How often rules are evaluated. Default: 30s.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  @Default("30s")
  public String evaluationInterval = "30s";

  @JsonPropertyDescription("How long samples are kept. Default: 15d.")
  @Pattern(Patterns.PROMETHEUS_DURATION)
  @Default("15d")
  public String retention = "15d";

  @JsonPropertyDescription("Most disk the samples may use, e.g. 45GB; oldest go first.")
  @Pattern(Patterns.BYTE_SIZE)
  public String retentionSize;

  @JsonPropertyDescription("Where samples are stored. Default: an emptyDir (lost on restart).")
  public StorageSpec storage;

  @JsonPropertyDescription(
      "CPU and memory of each Prometheus container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;

  @JsonPropertyDescription("Node labels the Prometheus pods must run on.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Taints the Prometheus pods tolerate.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Scheduling constraints. Default: spread replicas of a shard over nodes when possible.")
  public Affinity affinity;

  @JsonPropertyDescription(
      "Pod security context. Default: non-root (uid 65534), fsGroup 65534, RuntimeDefault"
          + " seccomp.")
  public PodSecurityContext securityContext;

  @JsonPropertyDescription(
      "Labels added to every series and alert leaving the stack (remote write, federation,"
          + " alerts). Vigil adds prometheus_shard and prometheus_replica.")
  public Map<String, String> externalLabels;

  @JsonPropertyDescription(
      "Remote write destinations, e.g. Mimir, Thanos Receive, VictoriaMetrics.")
  @Size(max = 20)
  public List<RemoteWriteSpec> remoteWrite;

  @JsonPropertyDescription(
      "Scrape pods and Services annotated prometheus.io/scrape: \"true\" in the namespaces the"
          + " monitorSelector selects.")
  public AnnotationDiscoverySpec annotationDiscovery;

  @JsonPropertyDescription(
      "Scope what each namespace contributes to its own namespace, as prometheus-operator's"
          + " Prometheus.spec.enforcedNamespaceLabel: this label, set to the object's namespace,"
          + " is added as the last relabeling of every ServiceMonitor and PodMonitor job (targets"
          + " and samples), to every rule of every AlertPolicy and PrometheusRule, and as a"
          + " matcher to every selector of their expressions, so a rule only reads and writes"
          + " series of its own namespace. Usually namespace. Default: no enforcement.")
  @Pattern(Patterns.LABEL_NAME)
  @Size(max = 128)
  public String enforcedNamespaceLabel;

  @JsonPropertyDescription(
      "Monitors, AlertPolicies and PrometheusRules that enforcedNamespaceLabel does not apply"
          + " to, as prometheus-operator's excludedFromEnforcement, e.g. a platform team's"
          + " cluster-wide rules. Ignored without enforcedNamespaceLabel.")
  @Size(max = 100)
  public List<EnforcementExclusion> excludedFromEnforcement;
}
