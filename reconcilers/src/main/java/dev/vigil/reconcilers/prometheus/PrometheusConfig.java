package dev.vigil.reconcilers.prometheus;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.vigil.reconcilers.httpclient.HttpClient;
import dev.vigil.reconcilers.relabel.RelabelRule;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The part of {@code prometheus.yml} Vigil writes, as records that mirror Prometheus's own
 * configuration structs (component names are the YAML keys in camelCase; {@link
 * PrometheusConfigRenderer} writes them in snake_case, in declaration order). A null component or
 * an empty list or map is left out of the file, so Prometheus applies its default.
 *
 * <p>No record holds a credential: every secret is a {@code *_file} path, see {@link MountedKey}.
 */
public record PrometheusConfig(
    Global global,
    List<String> ruleFiles,
    Alerting alerting,
    List<ScrapeConfig> scrapeConfigs,
    List<RemoteWrite> remoteWrite) {

  /** {@code global}: defaults of every job, and labels added to everything leaving Prometheus. */
  public record Global(
      String scrapeInterval,
      String scrapeTimeout,
      String evaluationInterval,
      Map<String, String> externalLabels) {}

  /** One entry of {@code scrape_configs}. */
  public record ScrapeConfig(
      String jobName,
      Boolean honorLabels,
      Boolean honorTimestamps,
      Boolean trackTimestampsStaleness,
      String scrapeInterval,
      String scrapeTimeout,
      List<String> scrapeProtocols,
      String fallbackScrapeProtocol,
      String metricsPath,
      String scheme,
      Map<String, List<String>> params,
      @JsonUnwrapped HttpClient httpClient,
      List<HttpSdConfig> httpSdConfigs,
      List<RelabelRule> relabelConfigs,
      List<RelabelRule> metricRelabelConfigs,
      @JsonUnwrapped Limits limits,
      @JsonUnwrapped Histograms histograms) {}

  /** One entry of {@code http_sd_configs}. */
  public record HttpSdConfig(
      String url, String refreshInterval, @JsonUnwrapped HttpClient httpClient) {}

  /** The per-job limits; each absent one falls back to Prometheus's global default. */
  public record Limits(
      Long sampleLimit,
      Long targetLimit,
      Long labelLimit,
      Long labelNameLengthLimit,
      Long labelValueLengthLimit,
      String bodySizeLimit,
      Long keepDroppedTargets) {
    public static final Limits NONE = new Limits(null, null, null, null, null, null, null);
  }

  /** The per-job native histogram settings (Prometheus 3 names). */
  public record Histograms(
      Boolean scrapeNativeHistograms,
      Boolean alwaysScrapeClassicHistograms,
      Boolean convertClassicHistogramsToNhcb,
      Long nativeHistogramBucketLimit,
      BigDecimal nativeHistogramMinBucketFactor) {
    public static final Histograms NONE = new Histograms(null, null, null, null, null);
  }

  /** One entry of {@code remote_write}. */
  public record RemoteWrite(
      String url,
      String name,
      String remoteTimeout,
      Map<String, String> headers,
      List<RelabelRule> writeRelabelConfigs,
      @JsonUnwrapped HttpClient httpClient,
      Boolean sendExemplars,
      Boolean sendNativeHistograms,
      QueueConfig queueConfig) {}

  /** {@code queue_config} of a remote write. */
  public record QueueConfig(
      Integer capacity,
      Integer minShards,
      Integer maxShards,
      Integer maxSamplesPerSend,
      String batchSendDeadline) {}

  /** {@code alerting}. */
  public record Alerting(
      List<RelabelRule> alertRelabelConfigs, List<AlertmanagerConfig> alertmanagers) {}

  /** One entry of {@code alerting.alertmanagers}. */
  public record AlertmanagerConfig(
      String apiVersion, String scheme, String pathPrefix, List<StaticConfig> staticConfigs) {}

  /** One entry of {@code static_configs}. */
  public record StaticConfig(List<String> targets) {}
}
