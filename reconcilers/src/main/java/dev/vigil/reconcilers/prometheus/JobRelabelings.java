package dev.vigil.reconcilers.prometheus;

import static dev.vigil.reconcilers.relabel.PrometheusDuration.millis;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Global;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Histograms;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.ScrapeConfig;
import dev.vigil.reconcilers.relabel.PrometheusDuration;
import dev.vigil.reconcilers.relabel.ScrapeDefaults;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What each scrape job of a stack's configuration does to the targets it discovers, taken from the
 * very {@link ScrapeConfig} records {@code prometheus.yml} is written from, so the operator's
 * discovery drops, counts and shards targets as the shards' Prometheus will. Pure.
 *
 * <p>Credentials are not read: which targets a job keeps never depends on them. A monitor that the
 * stack leaves out for its spec (a scrape timeout over its interval, ...) has no jobs here; one
 * left out for a missing Secret does, and the stack's status counts only the jobs its configuration
 * has.
 */
public final class JobRelabelings {
  /** Stands for every referenced key: present, and not read. */
  private static final PrometheusConfigInputs NO_CREDENTIALS =
      new PrometheusConfigInputs(
          "http://vigil.invalid",
          HttpServiceDiscovery.TOKEN_FILE,
          null,
          null,
          null,
          key -> Optional.of("unread"),
          key -> true,
          null);

  private static final String DEFAULT_METRICS_PATH = "/metrics";
  private static final String DEFAULT_SCHEME = "http";

  private JobRelabelings() {}

  /** The relabeling of each job of one monitor in the stack's configuration, by job name. */
  public static Map<String, TargetRelabeling> forMonitor(
      MonitoringStack stack, HasMetadata monitor) {
    return of(
        stack,
        monitor instanceof ServiceMonitor s ? List.of(s) : List.of(),
        monitor instanceof PodMonitor p ? List.of(p) : List.of(),
        true);
  }

  /**
   * The relabeling of each of the stack's own jobs (annotation discovery, node-exporter,
   * kube-state-metrics, the collectors, span metrics, config reloaders), by job name.
   */
  public static Map<String, TargetRelabeling> forStack(MonitoringStack stack) {
    return of(stack, List.of(), List.of(), false);
  }

  private static Map<String, TargetRelabeling> of(
      MonitoringStack stack,
      List<ServiceMonitor> serviceMonitors,
      List<PodMonitor> podMonitors,
      boolean monitorsOnly) {
    PrometheusConfig config =
        PrometheusConfigBuilder.build(stack, 0, serviceMonitors, podMonitors, NO_CREDENTIALS)
            .config();
    SortedMap<String, TargetRelabeling> jobs = new TreeMap<>();
    for (ScrapeConfig job : config.scrapeConfigs()) {
      boolean own = job.jobName().startsWith(StackDiscoveryJobs.PREFIX);
      if (own != monitorsOnly) {
        jobs.put(job.jobName(), of(config.global(), job));
      }
    }
    return jobs;
  }

  /**
   * A job's relabeling with the defaults Prometheus fills in: the global interval, a timeout of the
   * global one capped at the interval, {@code /metrics}, {@code http}, histogram switches off.
   */
  static TargetRelabeling of(Global global, ScrapeConfig job) {
    long interval =
        millis(job.scrapeInterval() != null ? job.scrapeInterval() : global.scrapeInterval());
    long timeout =
        job.scrapeTimeout() != null
            ? millis(job.scrapeTimeout())
            : Math.min(millis(global.scrapeTimeout()), interval);
    Histograms histograms = job.histograms() == null ? Histograms.NONE : job.histograms();
    return new TargetRelabeling(
        new ScrapeDefaults(
            job.jobName(),
            PrometheusDuration.format(interval),
            PrometheusDuration.format(timeout),
            job.metricsPath() == null ? DEFAULT_METRICS_PATH : job.metricsPath(),
            job.scheme() == null ? DEFAULT_SCHEME : job.scheme(),
            Boolean.TRUE.equals(histograms.convertClassicHistogramsToNhcb()),
            Boolean.TRUE.equals(histograms.alwaysScrapeClassicHistograms()),
            Boolean.TRUE.equals(histograms.scrapeNativeHistograms()),
            ScrapeDefaults.firstValues(job.params())),
        job.relabelConfigs());
  }
}
