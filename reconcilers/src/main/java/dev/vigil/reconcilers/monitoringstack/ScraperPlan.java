package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblem;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.prometheus.HttpServiceDiscovery;
import dev.vigil.reconcilers.prometheus.PrometheusConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import dev.vigil.reconcilers.prometheus.PrometheusConfigInputs;
import dev.vigil.reconcilers.prometheus.PrometheusConfigRenderer;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.references.ReferencedValues;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the Prometheus objects of a stack are made from, computed once per reconcile and read by
 * every dependent: each shard's {@code prometheus.yml}, the credential values its pods mount, and
 * what was left out.
 *
 * @param shardConfigs the rendered configuration of each shard; index = shard
 * @param credentials every Secret or ConfigMap key the configuration reads as a file, with its
 *     value base64-encoded, byte for byte as stored
 * @param problems monitors and remote writes left out, and why (the same for every shard)
 * @param monitors accepted ServiceMonitors and PodMonitors
 * @param rules the rule ConfigMaps every shard loads
 * @param jobs the names of the scrape jobs in the configuration (the same in every shard)
 * @param retainedConfigs the configuration of each retained shard (scraper.shardRetention), by
 *     index: the same jobs, whose HTTP SD answers are empty for a shard out of service, and no
 *     rules (the shard has no new samples; an {@code absent()} alert would fire there)
 */
public record ScraperPlan(
    MonitoringStack stack,
    DeploymentSettings settings,
    List<String> shardConfigs,
    SortedMap<MountedKey, String> credentials,
    List<ObjectProblem> problems,
    int monitors,
    StackRules rules,
    SortedSet<String> jobs,
    SortedMap<Integer, String> retainedConfigs) {
  /** Where the plan is kept in the reconcile's context for the dependents. */
  static final String CONTEXT_KEY = ScraperPlan.class.getName();

  public ScraperPlan {
    shardConfigs = List.copyOf(shardConfigs);
    credentials = Collections.unmodifiableSortedMap(new TreeMap<>(credentials));
    problems = List.copyOf(problems);
    jobs = Collections.unmodifiableSortedSet(new TreeSet<>(jobs));
    retainedConfigs = Collections.unmodifiableSortedMap(new TreeMap<>(retainedConfigs));
  }

  /** A plan without retained shards. */
  public ScraperPlan(
      MonitoringStack stack,
      DeploymentSettings settings,
      List<String> shardConfigs,
      SortedMap<MountedKey, String> credentials,
      List<ObjectProblem> problems,
      int monitors,
      StackRules rules,
      SortedSet<String> jobs) {
    this(
        stack,
        settings,
        shardConfigs,
        credentials,
        problems,
        monitors,
        rules,
        jobs,
        new TreeMap<>());
  }

  public static ScraperPlan of(
      MonitoringStack stack,
      DeploymentSettings settings,
      List<ServiceMonitor> serviceMonitors,
      List<PodMonitor> podMonitors,
      StackRules rules,
      ReferencedValues values,
      SortedSet<Integer> retained) {
    PrometheusConfigInputs inputs =
        inputs(settings, values, rules.ruleFiles(stack), AlertmanagerPlan.replicaAddresses(stack));
    int shards = Shards.of(stack);
    List<String> configs = new ArrayList<>();
    SortedMap<MountedKey, String> credentials = new TreeMap<>();
    List<ObjectProblem> problems = List.of();
    SortedSet<String> jobs = new TreeSet<>();
    for (int shard = 0; shard < shards; shard++) {
      BuiltConfig<PrometheusConfig> result =
          PrometheusConfigBuilder.build(stack, shard, serviceMonitors, podMonitors, inputs);
      result.config().scrapeConfigs().forEach(job -> jobs.add(job.jobName()));
      configs.add(PrometheusConfigRenderer.renderString(result.config()));
      for (MountedKey key : result.mountedKeys()) {
        credentials.put(key, values.encoded(key).orElse(""));
      }
      problems = result.problems();
    }
    SortedMap<Integer, String> retainedConfigs = new TreeMap<>();
    PrometheusConfigInputs retainedInputs = inputs(settings, values, List.of(), List.of());
    for (int shard : retained) {
      BuiltConfig<PrometheusConfig> result =
          PrometheusConfigBuilder.build(stack, shard, serviceMonitors, podMonitors, retainedInputs);
      retainedConfigs.put(shard, PrometheusConfigRenderer.renderString(result.config()));
      for (MountedKey key : result.mountedKeys()) {
        credentials.put(key, values.encoded(key).orElse(""));
      }
    }
    Set<String> rejected = new HashSet<>();
    for (ObjectProblem problem : problems) {
      if (!"MonitoringStack".equals(problem.kind())) {
        rejected.add(problem.kind() + "/" + problem.namespace() + "/" + problem.name());
      }
    }
    int monitors = serviceMonitors.size() + podMonitors.size() - rejected.size();
    return new ScraperPlan(
        stack, settings, configs, credentials, problems, monitors, rules, jobs, retainedConfigs);
  }

  private static PrometheusConfigInputs inputs(
      DeploymentSettings settings,
      ReferencedValues values,
      List<String> ruleFiles,
      List<String> alertmanagers) {
    return new PrometheusConfigInputs(
        settings.serviceDiscoveryUrl(),
        HttpServiceDiscovery.TOKEN_FILE,
        settings.serviceDiscoveryTls() ? HttpServiceDiscovery.CA_FILE : null,
        ruleFiles,
        alertmanagers,
        values,
        values,
        settings.tenancy());
  }

  /** The plan the reconciler computed for this reconcile. */
  static ScraperPlan of(Context<MonitoringStack> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, ScraperPlan.class);
  }

  /** The shards in service: 0 to shards() - 1. */
  public int shards() {
    return shardConfigs.size();
  }

  /** Every shard that runs: those in service, then the retained ones. */
  public List<Integer> runningShards() {
    List<Integer> running = new ArrayList<>();
    for (int shard = 0; shard < shards(); shard++) {
      running.add(shard);
    }
    running.addAll(retainedConfigs.keySet());
    return running;
  }

  /** The configuration of a running shard, in service or retained. */
  public String config(int shard) {
    return shard < shards() ? shardConfigs.get(shard) : retainedConfigs.get(shard);
  }

  /** Problems of the stack itself (remote writes, globals), as sentences. */
  public List<String> stackProblems() {
    return problems.stream()
        .filter(p -> "MonitoringStack".equals(p.kind()))
        .map(ObjectProblem::message)
        .toList();
  }
}
