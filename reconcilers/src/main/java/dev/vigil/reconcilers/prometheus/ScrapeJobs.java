package dev.vigil.reconcilers.prometheus;

import static dev.vigil.reconcilers.relabel.PrometheusDuration.millis;

import dev.vigil.api.v1alpha1.common.MonitorSpec;
import dev.vigil.api.v1alpha1.common.ScrapeEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.httpclient.Authorization;
import dev.vigil.reconcilers.httpclient.HttpClient;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Histograms;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Limits;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.ScrapeConfig;
import dev.vigil.reconcilers.relabel.RelabelRule;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The scrape jobs of one shard: one per ServiceMonitor or PodMonitor endpoint, named as
 * prometheus-operator names them, and the annotation discovery jobs. Every job reads its targets
 * from {@link HttpServiceDiscovery}. A job Prometheus would refuse (and with it the whole file)
 * throws {@link PartLeftOut} instead.
 */
final class ScrapeJobs {

  private final HttpServiceDiscovery serviceDiscovery;

  /** The stack's default scrape interval, which applies to endpoints that set none. */
  private final String defaultInterval;

  /** The stack's enforced namespace label, set last on each monitor's targets and samples. */
  private final NamespaceEnforcement enforcement;

  ScrapeJobs(
      HttpServiceDiscovery serviceDiscovery,
      String defaultInterval,
      NamespaceEnforcement enforcement) {
    this.serviceDiscovery = serviceDiscovery;
    this.defaultInterval = defaultInterval;
    this.enforcement = enforcement;
  }

  /** {@code serviceMonitor/<namespace>/<name>/<i>} for each endpoint, in order. */
  List<ScrapeConfig> serviceMonitor(ServiceMonitor monitor, CredentialFiles files) {
    var spec = monitor.getSpec();
    List<Endpoint> endpoints = requireEndpoints(spec == null ? null : spec.endpoints, "endpoints");
    List<ScrapeConfig> jobs = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      jobs.add(
          job(
              "serviceMonitor/" + key(monitor) + "/" + i,
              "spec.endpoints[" + i + "]",
              spec,
              endpoint,
              endpoint.bearerTokenFile,
              StandardRelabelings.serviceMonitor(monitor, endpoint),
              enforced(monitor),
              files));
    }
    return jobs;
  }

  /** {@code podMonitor/<namespace>/<name>/<i>} for each endpoint, in order. */
  List<ScrapeConfig> podMonitor(PodMonitor monitor, CredentialFiles files) {
    var spec = monitor.getSpec();
    List<PodMetricsEndpoint> endpoints =
        requireEndpoints(spec == null ? null : spec.podMetricsEndpoints, "podMetricsEndpoints");
    List<ScrapeConfig> jobs = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      PodMetricsEndpoint endpoint = endpoints.get(i);
      jobs.add(
          job(
              "podMonitor/" + key(monitor) + "/" + i,
              "spec.podMetricsEndpoints[" + i + "]",
              spec,
              endpoint,
              null,
              StandardRelabelings.podMonitor(monitor, endpoint),
              enforced(monitor),
              files));
    }
    return jobs;
  }

  /** The jobs for pods and Services annotated {@code prometheus.io/scrape: "true"}. */
  List<ScrapeConfig> annotations() {
    return List.of(
        ownJob(StackDiscoveryJobs.ANNOTATED_PODS, false, StandardRelabelings.annotatedPods()),
        ownJob(
            StackDiscoveryJobs.ANNOTATED_SERVICES, false, StandardRelabelings.annotatedServices()));
  }

  /** The job of the stack's node-exporter pods: one target per node, labelled with the node. */
  ScrapeConfig nodeExporter() {
    return ownJob(
        StackDiscoveryJobs.NODE_EXPORTER,
        false,
        StandardRelabelings.ownPods(StackDiscoveryJobs.NODE_EXPORTER_COMPONENT, true));
  }

  /** The job of the TracingPipelines' collectors: their own telemetry, labelled by pod. */
  ScrapeConfig otelCollectors() {
    return ownJob(
        StackDiscoveryJobs.OTEL_COLLECTORS,
        false,
        StandardRelabelings.ownPods(StackDiscoveryJobs.OTEL_COLLECTOR_COMPONENT, false));
  }

  /**
   * The job of the TracingPipelines' span metrics, served by their Jaeger backends: request rate,
   * errors and duration per service and operation, labelled by the backend's pod.
   */
  ScrapeConfig spanMetrics() {
    return ownJob(
        StackDiscoveryJobs.SPAN_METRICS,
        false,
        StandardRelabelings.ownPods(StackDiscoveryJobs.JAEGER_COMPONENT, false));
  }

  /**
   * The job of the config-reloader sidecars of the stack's Prometheus and Alertmanager pods: their
   * reload counts and failures, labelled by pod.
   */
  ScrapeConfig configReloaders() {
    return ownJob(
        StackDiscoveryJobs.CONFIG_RELOADERS,
        false,
        StandardRelabelings.ownPods(StackDiscoveryJobs.CONFIG_RELOADER, false));
  }

  /**
   * The job of the stack's kube-state-metrics: {@code honor_labels}, as upstream recommends, so the
   * namespace and pod labels of the objects it describes win over its own pod's.
   */
  ScrapeConfig kubeStateMetrics() {
    return ownJob(
        StackDiscoveryJobs.KUBE_STATE_METRICS,
        true,
        StandardRelabelings.ownPods(StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT, false));
  }

  /**
   * The rule that sets the enforced namespace label to the monitor's namespace, or none: as
   * prometheus-operator, it comes after the monitor's own rules, so they cannot change it.
   */
  private List<RelabelRule> enforced(HasMetadata monitor) {
    return enforcement
        .labelFor(monitor)
        .map(label -> List.of(RelabelRule.set(label, monitor.getMetadata().getNamespace())))
        .orElse(List.of());
  }

  private ScrapeConfig job(
      String jobName,
      String field,
      MonitorSpec spec,
      ScrapeEndpoint endpoint,
      String bearerTokenFile,
      List<RelabelRule> standardRelabelings,
      List<RelabelRule> enforced,
      CredentialFiles files) {
    String interval = nonEmpty(endpoint.interval);
    String timeout = nonEmpty(endpoint.scrapeTimeout);
    checkTimeout(field, interval, timeout);
    List<RelabelRule> relabelings = new ArrayList<>(standardRelabelings);
    relabelings.addAll(StandardRelabelings.userRules(field + ".relabelings", endpoint.relabelings));
    relabelings.addAll(enforced);
    List<RelabelRule> metricRelabelings =
        new ArrayList<>(
            StandardRelabelings.userRules(
                field + ".metricRelabelings", endpoint.metricRelabelings));
    metricRelabelings.addAll(enforced);
    return new ScrapeConfig(
        jobName,
        // Always written, as prometheus-operator does: false unless the endpoint says true.
        Boolean.TRUE.equals(endpoint.honorLabels),
        endpoint.honorTimestamps,
        endpoint.trackTimestampsStaleness,
        interval,
        timeout,
        protocols(spec.scrapeProtocols),
        spec.fallbackScrapeProtocol == null ? null : protocol(spec.fallbackScrapeProtocol),
        nonEmpty(endpoint.path),
        endpoint.scheme == null ? null : endpoint.scheme.name().toLowerCase(Locale.ROOT),
        endpoint.params == null ? null : new TreeMap<>(endpoint.params),
        httpClient(field, endpoint, bearerTokenFile, files),
        List.of(serviceDiscovery.config(jobName)),
        relabelings,
        metricRelabelings,
        new Limits(
            spec.sampleLimit,
            spec.targetLimit,
            spec.labelLimit,
            spec.labelNameLengthLimit,
            spec.labelValueLengthLimit,
            nonEmpty(spec.bodySizeLimit),
            spec.keepDroppedTargets),
        new Histograms(
            spec.scrapeNativeHistograms,
            spec.scrapeClassicHistograms,
            spec.convertClassicHistogramsToNHCB,
            spec.nativeHistogramBucketLimit,
            spec.nativeHistogramMinBucketFactor == null
                ? null
                : Quantity.getAmountInBytes(spec.nativeHistogramMinBucketFactor)));
  }

  private ScrapeConfig ownJob(String jobName, boolean honorLabels, List<RelabelRule> relabelings) {
    return new ScrapeConfig(
        jobName,
        honorLabels,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        HttpClient.NONE,
        List.of(serviceDiscovery.config(jobName)),
        relabelings,
        null,
        Limits.NONE,
        Histograms.NONE);
  }

  /** Prometheus refuses a whole configuration over one job whose timeout exceeds its interval. */
  private void checkTimeout(String field, String interval, String timeout) {
    if (interval != null && millis(interval) < 0) {
      throw new PartLeftOut(field + ".interval \"" + interval + "\" is not a Prometheus duration");
    }
    if (timeout == null) {
      return; // Prometheus caps the default timeout at the job's interval.
    }
    long timeoutMillis = millis(timeout);
    if (timeoutMillis < 0) {
      throw new PartLeftOut(
          field + ".scrapeTimeout \"" + timeout + "\" is not a Prometheus duration");
    }
    boolean own = interval != null && millis(interval) > 0;
    String effective = own ? interval : defaultInterval;
    if (timeoutMillis > millis(effective)) {
      throw new PartLeftOut(
          "%s.scrapeTimeout %s is longer than the scrape interval %s (%s): shorten scrapeTimeout"
              .formatted(
                  field,
                  timeout,
                  effective,
                  own ? "the endpoint's interval" : "the stack's scrapeInterval"));
    }
  }

  private static List<String> protocols(List<MonitorSpec.ScrapeProtocol> protocols) {
    if (protocols == null) {
      return null;
    }
    List<String> names = protocols.stream().map(ScrapeJobs::protocol).toList();
    if (new HashSet<>(names).size() != names.size()) {
      throw new PartLeftOut("spec.scrapeProtocols lists a protocol twice: " + names);
    }
    return names;
  }

  /** {@code OpenMetricsText1_0_0} → {@code OpenMetricsText1.0.0}, as Prometheus spells it. */
  private static String protocol(MonitorSpec.ScrapeProtocol protocol) {
    return protocol.name().replace('_', '.');
  }

  private static HttpClient httpClient(
      String field, ScrapeEndpoint endpoint, String bearerTokenFile, CredentialFiles files) {
    long auths =
        Stream.of(
                endpoint.basicAuth,
                endpoint.authorization,
                endpoint.oauth2,
                endpoint.bearerTokenSecret,
                nonEmpty(bearerTokenFile))
            .filter(Objects::nonNull)
            .count();
    if (auths > 1) {
      throw new PartLeftOut(
          field
              + ": set at most one of basicAuth, authorization, oauth2, bearerTokenSecret and"
              + " bearerTokenFile");
    }
    if (endpoint.proxyConnectHeader != null && !endpoint.proxyConnectHeader.isEmpty()) {
      throw new PartLeftOut(
          field
              + ".proxyConnectHeader is not supported: Prometheus takes proxy headers only"
              + " inline and Vigil never copies Secret values into the configuration");
    }
    String proxyUrl = nonEmpty(endpoint.proxyUrl);
    if (Boolean.TRUE.equals(endpoint.proxyFromEnvironment) && proxyUrl != null) {
      throw new PartLeftOut(field + ": set proxyUrl or proxyFromEnvironment, not both");
    }
    if (nonEmpty(endpoint.noProxy) != null && proxyUrl == null) {
      throw new PartLeftOut(field + ".noProxy needs proxyUrl");
    }
    Authorization authorization = null;
    if (endpoint.authorization != null) {
      authorization = files.authorization(endpoint.authorization, field + ".authorization");
    } else if (endpoint.bearerTokenSecret != null) {
      authorization = files.bearerToken(endpoint.bearerTokenSecret, field + ".bearerTokenSecret");
    } else if (nonEmpty(bearerTokenFile) != null) {
      // A path in the Prometheus container, e.g. the service account token: passed through.
      authorization =
          new Authorization("Bearer", files.filePath(bearerTokenFile, field + ".bearerTokenFile"));
    }
    return new HttpClient(
        endpoint.basicAuth == null
            ? null
            : files.basicAuth(endpoint.basicAuth, field + ".basicAuth"),
        authorization,
        endpoint.oauth2 == null ? null : files.oauth2(endpoint.oauth2, field + ".oauth2"),
        files.tls(endpoint.tlsConfig, field + ".tlsConfig"),
        proxyUrl,
        nonEmpty(endpoint.noProxy),
        endpoint.proxyFromEnvironment,
        endpoint.followRedirects,
        endpoint.enableHttp2);
  }

  private static <T> List<T> requireEndpoints(List<T> endpoints, String field) {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new PartLeftOut("spec." + field + " is empty: a monitor needs at least one endpoint");
    }
    return endpoints;
  }

  /** {@code <namespace>/<name>}. */
  private static String key(HasMetadata monitor) {
    return monitor.getMetadata().getNamespace() + "/" + monitor.getMetadata().getName();
  }

  static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
