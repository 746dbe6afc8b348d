package dev.vigil.reconcilers.prometheus;

import static dev.vigil.reconcilers.relabel.PrometheusDuration.millis;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.RemoteWriteSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblems;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.objects.NamespacedOrder;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Alerting;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.AlertmanagerConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Global;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.RemoteWrite;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.ScrapeConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.StaticConfig;
import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.references.ValueLookup;
import dev.vigil.reconcilers.relabel.RelabelRule;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds the {@link PrometheusConfig} of one shard of a MonitoringStack from the stack, the
 * monitors it selects and the {@link PrometheusConfigInputs}. Pure: the same arguments give an
 * equal result, whatever the order of the monitors.
 *
 * <p>Every scrape job reads its targets from Vigil's HTTP service discovery, which has already
 * applied the monitors' selectors, ports, {@code filterRunning} and the sharding (see {@link
 * StandardRelabelings}), so the same configuration holds for every replica of the shard and only
 * changes when a monitor or the stack does, never when targets come and go.
 *
 * <p>A monitor that cannot be rendered (a reference that is not a valid Kubernetes name, an OAuth2
 * client ID that cannot be read, a scrape timeout longer than its interval, ...) is left out whole
 * and reported in {@link BuiltConfig#problems()}; the other monitors are unaffected. The same holds
 * for each remote write.
 */
public final class PrometheusConfigBuilder {
  static final String SHARD_LABEL = "prometheus_shard";
  public static final String REPLICA_LABEL = "prometheus_replica";

  /**
   * The replica label's value. Prometheus 3 expands {@code ${VAR}} in external label values from
   * its environment (the {@code expand-external-labels} flag was removed in 3.0 because expansion
   * became the default), and the StatefulSet sets {@code POD_NAME} from the pod's name, so the file
   * is the same for every replica of a shard and needs no substitution by the reloader. User values
   * are escaped ({@code $} becomes {@code $$}) so they are never expanded.
   */
  static final String REPLICA_VALUE = "${POD_NAME}";

  private static final String DEFAULT_SCRAPE_INTERVAL = "30s";
  private static final String DEFAULT_SCRAPE_TIMEOUT = "10s";
  private static final String DEFAULT_EVALUATION_INTERVAL = "30s";

  private PrometheusConfigBuilder() {}

  /**
   * @param stack the stack; its scraper settings give the globals and remote writes
   * @param shard the shard index, from 0 to {@code scraper.shards - 1}, or a retained shard's
   * @param serviceMonitors the accepted ServiceMonitors the stack selects, in any order
   * @param podMonitors the accepted PodMonitors the stack selects, in any order
   * @return the configuration of the shard, ready for {@link PrometheusConfigRenderer}; every
   *     Secret and ConfigMap key it reads as a file, at {@link MountedKey#path()}; and what was
   *     left out or replaced: the stack's globals, the monitors in job order, then the remote
   *     writes
   * @throws IllegalArgumentException on a caller's mistake: a shard out of range, an object without
   *     namespace or name, the same monitor twice
   */
  public static BuiltConfig<PrometheusConfig> build(
      MonitoringStack stack,
      int shard,
      Collection<ServiceMonitor> serviceMonitors,
      Collection<PodMonitor> podMonitors,
      PrometheusConfigInputs inputs) {
    NamespacedOrder.requireNamed(stack);
    ScraperSpec scraper =
        stack.getSpec() == null || stack.getSpec().scraper == null
            ? new ScraperSpec()
            : stack.getSpec().scraper;
    // A shard at or above the stack's count is a retained one (scraper.shardRetention): its
    // configuration names the same jobs, which the HTTP SD answers with no targets.
    if (shard < 0 || shard >= Shards.MAX) {
      throw new IllegalArgumentException(
          "shard " + shard + " is out of range: shards are 0 to " + (Shards.MAX - 1));
    }
    Collector collector =
        new Collector(stack, inputs.values(), inputs.keyExists(), inputs.tenancy());
    Global global = global(scraper, shard, collector);

    HttpServiceDiscovery serviceDiscovery =
        new HttpServiceDiscovery(
            inputs.sdBaseUrl(),
            stack.getMetadata().getNamespace(),
            stack.getMetadata().getName(),
            shard,
            inputs.sdTokenFile(),
            inputs.sdCaFile());
    ScrapeJobs scrapeJobs =
        new ScrapeJobs(serviceDiscovery, global.scrapeInterval(), NamespaceEnforcement.of(stack));
    List<ScrapeConfig> jobs = new ArrayList<>();
    // As prometheus-operator: ServiceMonitors, then PodMonitors, each by namespace and name.
    for (ServiceMonitor monitor : NamespacedOrder.sorted(serviceMonitors)) {
      jobs.addAll(
          collector.attempt(monitor, null, files -> scrapeJobs.serviceMonitor(monitor, files)));
    }
    for (PodMonitor monitor : NamespacedOrder.sorted(podMonitors)) {
      jobs.addAll(collector.attempt(monitor, null, files -> scrapeJobs.podMonitor(monitor, files)));
    }
    if (StackDiscoveryJobs.annotationDiscovery(stack)) {
      jobs.addAll(scrapeJobs.annotations());
    }
    jobs.add(scrapeJobs.otelCollectors());
    jobs.add(scrapeJobs.spanMetrics());
    jobs.add(scrapeJobs.configReloaders());
    if (StackDiscoveryJobs.nodeAgent(stack)) {
      jobs.add(scrapeJobs.nodeExporter());
    }
    if (StackDiscoveryJobs.kubeStateMetrics(stack)) {
      jobs.add(scrapeJobs.kubeStateMetrics());
    }

    List<RemoteWrite> remoteWrites = new ArrayList<>();
    Set<String> remoteWriteNames = new HashSet<>();
    for (int i = 0; scraper.remoteWrite != null && i < scraper.remoteWrite.size(); i++) {
      String field = "spec.scraper.remoteWrite[" + i + "]";
      RemoteWriteSpec spec = scraper.remoteWrite.get(i);
      remoteWrites.addAll(
          collector.attempt(
              stack,
              "this remote write is left out",
              files -> {
                RemoteWrite remoteWrite = RemoteWrites.of(field, spec, files);
                // Prometheus refuses repeated names and identical remote writes.
                if (remoteWrite.name() != null && !remoteWriteNames.add(remoteWrite.name())) {
                  throw new PartLeftOut(
                      field + ".name \"" + remoteWrite.name() + "\" is used twice");
                }
                if (remoteWrites.contains(remoteWrite)) {
                  throw new PartLeftOut(field + " repeats an earlier remote write");
                }
                return List.of(remoteWrite);
              }));
    }

    PrometheusConfig config =
        new PrometheusConfig(
            global, inputs.ruleFiles(), alerting(inputs.alertmanagers()), jobs, remoteWrites);
    return new BuiltConfig<>(config, collector.mounted, collector.problems.list());
  }

  private static Global global(ScraperSpec scraper, int shard, Collector collector) {
    String interval = orDefault(scraper.scrapeInterval, DEFAULT_SCRAPE_INTERVAL);
    if (millis(interval) <= 0) {
      collector.stackProblem(
          "spec.scraper.scrapeInterval \"%s\" is not a Prometheus duration; using %s"
              .formatted(interval, DEFAULT_SCRAPE_INTERVAL));
      interval = DEFAULT_SCRAPE_INTERVAL;
    }
    String timeout = orDefault(scraper.scrapeTimeout, DEFAULT_SCRAPE_TIMEOUT);
    long timeoutMillis = millis(timeout);
    if (timeoutMillis <= 0 || timeoutMillis > millis(interval)) {
      // Prometheus refuses a global timeout longer than the interval, and with it every job.
      collector.stackProblem(
          ("spec.scraper.scrapeTimeout \"%s\" must be a Prometheus duration not longer than"
                  + " scrapeInterval %s; using %s")
              .formatted(timeout, interval, interval));
      timeout = interval;
    }
    String evaluation = orDefault(scraper.evaluationInterval, DEFAULT_EVALUATION_INTERVAL);
    if (millis(evaluation) <= 0) {
      collector.stackProblem(
          "spec.scraper.evaluationInterval \"%s\" is not a Prometheus duration; using %s"
              .formatted(evaluation, DEFAULT_EVALUATION_INTERVAL));
      evaluation = DEFAULT_EVALUATION_INTERVAL;
    }
    Map<String, String> labels = new TreeMap<>();
    if (scraper.externalLabels != null) {
      // $ → $$, which Prometheus's expansion turns back into $.
      scraper.externalLabels.forEach(
          (name, value) -> labels.put(name, value == null ? "" : value.replace("$", "$$")));
    }
    labels.put(SHARD_LABEL, String.valueOf(shard));
    labels.put(REPLICA_LABEL, REPLICA_VALUE);
    return new Global(interval, timeout, evaluation, labels);
  }

  private static Alerting alerting(List<String> alertmanagers) {
    if (alertmanagers.isEmpty()) {
      return null;
    }
    // The replicas of a shard send the same alerts; only without their replica label does
    // Alertmanager see one alert instead of one per replica.
    RelabelRule dropReplica =
        new RelabelRule(null, null, REPLICA_LABEL, null, null, null, "labeldrop");
    return new Alerting(
        List.of(dropReplica),
        List.of(
            new AlertmanagerConfig(
                "v2", null, null, List.of(new StaticConfig(List.copyOf(alertmanagers))))));
  }

  private static String orDefault(String s, String fallback) {
    return s == null || s.isEmpty() ? fallback : s;
  }

  /** What the build keeps as it goes: the keys of accepted parts, and problems. */
  private static final class Collector {
    final MonitoringStack stack;
    final ValueLookup values;
    final Predicate<MountedKey> exists;
    final Tenancy tenancy;
    final SortedSet<MountedKey> mounted = new TreeSet<>();
    final ObjectProblems problems = new ObjectProblems();

    Collector(
        MonitoringStack stack, ValueLookup values, Predicate<MountedKey> exists, Tenancy tenancy) {
      this.stack = stack;
      this.values = values;
      this.exists = exists;
      this.tenancy = tenancy;
    }

    /**
     * Builds one part of the configuration from one object (a monitor's jobs, a remote write): all
     * of it with the keys it references, or nothing and a problem. Nothing an object holds can
     * break the rest of the configuration.
     *
     * @param suffix added to the problem's message, or null
     */
    <T> List<T> attempt(
        HasMetadata object, String suffix, Function<CredentialFiles, List<T>> build) {
      String namespace = object.getMetadata().getNamespace();
      // The stack's own settings name files in its own pods; a monitor may be any team's.
      boolean filePathsAllowed =
          object == stack || tenancy.allowFilePaths() || tenancy.isPlatform(namespace);
      CredentialFiles files = new CredentialFiles(namespace, values, exists, filePathsAllowed);
      Optional<List<T>> built = problems.attempt(object, suffix, () -> build.apply(files));
      built.ifPresent(parts -> mounted.addAll(files.used()));
      return built.orElse(List.of());
    }

    void stackProblem(String message) {
      problems.add(stack, message);
    }
  }
}
