package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * The fields a ServiceMonitor and a PodMonitor share: what to select and the limits that apply to
 * every target, as prometheus-operator spells them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class MonitorSpec {
  @Required
  @JsonPropertyDescription(
      "Label selector for the objects (Services or Pods) to scrape. An empty selector ({})"
          + " matches every one in the selected namespaces.")
  public LabelSelector selector;

  @JsonPropertyDescription(
      "How the selector is applied, as prometheus-operator spells it: RelabelConfig (default,"
          + " keep rules in the scrape job) or RoleSelector; Relabel, which earlier Vigil"
          + " versions took, means RelabelConfig. Vigil discovers targets itself and applies the"
          + " selector before serving them, so all give the same targets.")
  public SelectorMechanism selectorMechanism;

  @JsonPropertyDescription("Namespaces to look in. Default: the monitor's own namespace.")
  public NamespaceSelector namespaceSelector;

  @JsonPropertyDescription(
      "Label of the Service (ServiceMonitor) or Pod (PodMonitor) whose value becomes the job"
          + " label.")
  @Size(max = 317)
  public String jobLabel;

  @JsonPropertyDescription("Pod labels copied onto every target.")
  @Size(max = 100)
  public List<@Size(max = 317) String> podTargetLabels;

  @JsonPropertyDescription("Samples one scrape may return before it fails. Default: no limit.")
  @Min(0)
  public Long sampleLimit;

  @JsonPropertyDescription("Targets the job may have before it fails. Default: no limit.")
  @Min(0)
  public Long targetLimit;

  @JsonPropertyDescription("Labels a sample may carry. Default: no limit.")
  @Min(0)
  public Long labelLimit;

  @JsonPropertyDescription("Length of a label name. Default: no limit.")
  @Min(0)
  public Long labelNameLengthLimit;

  @JsonPropertyDescription("Length of a label value. Default: no limit.")
  @Min(0)
  public Long labelValueLengthLimit;

  @JsonPropertyDescription("Dropped targets kept for the targets page. Default: 0.")
  @Min(0)
  public Long keepDroppedTargets;

  @JsonPropertyDescription("Largest uncompressed body a scrape may return, e.g. 10MB.")
  @Pattern(Patterns.BYTE_SIZE)
  public String bodySizeLimit;

  @JsonPropertyDescription(
      "Protocols offered to targets, in order of preference: PrometheusProto,"
          + " OpenMetricsText0.0.1, OpenMetricsText1.0.0, PrometheusText0.0.4,"
          + " PrometheusText1.0.0.")
  public List<ScrapeProtocol> scrapeProtocols;

  @JsonPropertyDescription(
      "Protocol used when a target answers with a missing or unknown Content-Type.")
  public ScrapeProtocol fallbackScrapeProtocol;

  @JsonPropertyDescription("Scrape native histograms.")
  public Boolean scrapeNativeHistograms;

  @JsonPropertyDescription("Also scrape the classic form of histograms that have a native one.")
  public Boolean scrapeClassicHistograms;

  @JsonPropertyDescription("Convert classic histograms to native histograms with custom buckets.")
  public Boolean convertClassicHistogramsToNHCB;

  @JsonPropertyDescription("Most buckets a native histogram may have.")
  @Min(0)
  public Long nativeHistogramBucketLimit;

  @JsonPropertyDescription("Lowest growth factor between native histogram buckets.")
  @JsonDeserialize(using = StoredQuantities.QuantityReader.class)
  public io.fabric8.kubernetes.api.model.Quantity nativeHistogramMinBucketFactor;

  @JsonPropertyDescription("Metadata attached to discovered targets.")
  public AttachMetadata attachMetadata;

  @JsonPropertyDescription(
      "Scrape class of prometheus-operator. Accepted for compatibility; Vigil has no scrape"
          + " classes and reports it in the Accepted condition when set.")
  public String scrapeClass;

  /** How a monitor's label selector is applied. */
  public enum SelectorMechanism {
    RelabelConfig,
    RoleSelector,
    /** Accepted before Vigil spelled it as prometheus-operator does; means RelabelConfig. */
    Relabel
  }

  /** Scrape protocols Prometheus understands. */
  public enum ScrapeProtocol {
    PrometheusProto,
    @JsonProperty("OpenMetricsText0.0.1")
    OpenMetricsText0_0_1,
    @JsonProperty("OpenMetricsText1.0.0")
    OpenMetricsText1_0_0,
    @JsonProperty("PrometheusText0.0.4")
    PrometheusText0_0_4,
    @JsonProperty("PrometheusText1.0.0")
    PrometheusText1_0_0
  }
}
