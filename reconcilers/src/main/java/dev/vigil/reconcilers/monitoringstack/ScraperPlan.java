package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 *     value
 * @param problems monitors and remote writes left out, and why (the same for every shard)
 * @param monitors accepted ServiceMonitors and PodMonitors
 * @param rules the rule ConfigMaps every shard loads
 * @param jobs the names of the scrape jobs in the configuration (the same in every shard)
 */
public record ScraperPlan(
    MonitoringStack stack,
    DeploymentSettings settings,
    List<String> shardConfigs,
    SortedMap<MountedKey, String> credentials,
    List<PrometheusConfigBuilder.Problem> problems,
    int monitors,
    StackRules rules,
    SortedSet<String> jobs) {
  /** Where the plan is kept in the reconcile's context for the dependents. */
  static final String CONTEXT_KEY = ScraperPlan.class.getName();

  public ScraperPlan {
    shardConfigs = List.copyOf(shardConfigs);
    credentials = Collections.unmodifiableSortedMap(new TreeMap<>(credentials));
    problems = List.copyOf(problems);
    jobs = Collections.unmodifiableSortedSet(new TreeSet<>(jobs));
  }

  public static ScraperPlan of(
      MonitoringStack stack,
      DeploymentSettings settings,
      List<ServiceMonitor> serviceMonitors,
      List<PodMonitor> podMonitors,
      StackRules rules,
      KubernetesClient client) {
    ReferencedValues values = new ReferencedValues(client);
    PrometheusConfigInputs inputs =
        inputs(settings, values, rules.ruleFiles(stack), AlertmanagerPlan.replicaAddresses(stack));
    int shards = shards(stack);
    List<String> configs = new ArrayList<>();
    SortedMap<MountedKey, String> credentials = new TreeMap<>();
    List<PrometheusConfigBuilder.Problem> problems = List.of();
    SortedSet<String> jobs = new TreeSet<>();
    for (int shard = 0; shard < shards; shard++) {
      PrometheusConfigBuilder.Result result =
          PrometheusConfigBuilder.build(stack, shard, serviceMonitors, podMonitors, inputs);
      result.config().scrapeConfigs().forEach(job -> jobs.add(job.jobName()));
      configs.add(PrometheusConfigRenderer.renderString(result.config()));
      for (MountedKey key : result.mountedKeys()) {
        credentials.put(key, values.value(key).orElse(""));
      }
      problems = result.problems();
    }
    Set<String> rejected = new HashSet<>();
    for (PrometheusConfigBuilder.Problem problem : problems) {
      if (!"MonitoringStack".equals(problem.kind())) {
        rejected.add(problem.kind() + "/" + problem.namespace() + "/" + problem.name());
      }
    }
    int monitors = serviceMonitors.size() + podMonitors.size() - rejected.size();
    return new ScraperPlan(stack, settings, configs, credentials, problems, monitors, rules, jobs);
  }

  /**
   * Why the stack would leave the monitor out, or an empty list when it takes it in: the same
   * checks {@link #of} makes, for one monitor.
   */
  public static List<String> monitorProblems(
      MonitoringStack stack,
      HasMetadata monitor,
      DeploymentSettings settings,
      ReferencedValues values) {
    PrometheusConfigInputs inputs = inputs(settings, values, List.of(), List.of());
    PrometheusConfigBuilder.Result result =
        PrometheusConfigBuilder.build(
            stack,
            0,
            monitor instanceof ServiceMonitor s ? List.of(s) : List.of(),
            monitor instanceof PodMonitor p ? List.of(p) : List.of(),
            inputs);
    return result.problems().stream()
        .filter(p -> p.kind().equals(monitor.getKind()))
        .map(PrometheusConfigBuilder.Problem::message)
        .toList();
  }

  private static PrometheusConfigInputs inputs(
      DeploymentSettings settings,
      ReferencedValues values,
      List<String> ruleFiles,
      List<String> alertmanagers) {
    return new PrometheusConfigInputs(
        settings.serviceDiscoveryUrl(),
        PrometheusStatefulSet.SD_TOKEN_FILE,
        null,
        ruleFiles,
        alertmanagers,
        values,
        values);
  }

  /** The plan the reconciler computed for this reconcile. */
  static ScraperPlan of(Context<MonitoringStack> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, ScraperPlan.class);
  }

  public int shards() {
    return shardConfigs.size();
  }

  /** Problems of the stack itself (remote writes, globals), as sentences. */
  public List<String> stackProblems() {
    return problems.stream()
        .filter(p -> "MonitoringStack".equals(p.kind()))
        .map(PrometheusConfigBuilder.Problem::message)
        .toList();
  }

  /**
   * The schema's bounds on shards; a stack outside them is reported invalid and deploys nothing.
   */
  public static final int MIN_SHARDS = 1;

  public static final int MAX_SHARDS = 100;

  /**
   * The stack's shard count, kept within the schema's bounds: where the schema was bypassed, a
   * stack asking for -1 or a million shards is reported invalid, and meanwhile the monitors and
   * discovery that read it see one shard or a hundred, never a negative array or a million.
   */
  public static int shards(MonitoringStack stack) {
    Integer shards =
        stack.getSpec() == null || stack.getSpec().scraper == null
            ? null
            : stack.getSpec().scraper.shards;
    return shards == null ? MIN_SHARDS : Math.max(MIN_SHARDS, Math.min(MAX_SHARDS, shards));
  }
}
