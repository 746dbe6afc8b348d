package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import dev.vigil.reconcilers.dependents.ClusterRoleDependent;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a platform stack's kube-state-metrics may list and watch: the workload, node and storage
 * objects it describes, never Secrets or ConfigMaps (its {@code --resources} flag is the same
 * list). Cluster-scoped, so the stack's finalizer deletes it. A tenant's stack gets {@link
 * KubeStateMetricsRole} instead (docs/tenancy.md).
 */
// Cluster-scoped: its informer watches the whole cluster even when the operator watches a list
// of namespaces, or it would never see the object it made and create it again and again.
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = KubeStateMetricsDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class KubeStateMetricsClusterRole extends ClusterRoleDependent<MonitoringStack> {
  /** Its name in the workflow, for the binding that depends on it. */
  static final String NAME = "kube-state-metrics-cluster-role";

  /** kube-state-metrics resource name → its API group and plural. */
  static final Map<String, String[]> RESOURCES = new LinkedHashMap<>();

  static {
    RESOURCES.put("cronjobs", new String[] {"batch", "cronjobs"});
    RESOURCES.put("daemonsets", new String[] {"apps", "daemonsets"});
    RESOURCES.put("deployments", new String[] {"apps", "deployments"});
    RESOURCES.put(
        "horizontalpodautoscalers", new String[] {"autoscaling", "horizontalpodautoscalers"});
    RESOURCES.put("jobs", new String[] {"batch", "jobs"});
    RESOURCES.put("namespaces", new String[] {"", "namespaces"});
    RESOURCES.put("nodes", new String[] {"", "nodes"});
    RESOURCES.put("persistentvolumeclaims", new String[] {"", "persistentvolumeclaims"});
    RESOURCES.put("persistentvolumes", new String[] {"", "persistentvolumes"});
    RESOURCES.put("poddisruptionbudgets", new String[] {"policy", "poddisruptionbudgets"});
    RESOURCES.put("pods", new String[] {"", "pods"});
    RESOURCES.put("replicasets", new String[] {"apps", "replicasets"});
    RESOURCES.put("services", new String[] {"", "services"});
    RESOURCES.put("statefulsets", new String[] {"apps", "statefulsets"});
  }

  /** Resources outside any namespace, which a tenant's kube-state-metrics cannot list. */
  static final Set<String> CLUSTER_SCOPED = Set.of("namespaces", "nodes", "persistentvolumes");

  /**
   * Whether the stack's kube-state-metrics describes the whole cluster (a platform stack) or its
   * own namespace only (a tenant's stack, with a Role instead of this ClusterRole).
   */
  static boolean clusterWide(MonitoringStack stack, Context<MonitoringStack> context) {
    return ScraperPlan.of(context)
        .settings()
        .tenancy()
        .isPlatform(stack.getMetadata().getNamespace());
  }

  /** The kube-state-metrics resource names it describes, in {@link #RESOURCES} order. */
  static List<String> resources(boolean clusterWide) {
    return RESOURCES.keySet().stream()
        .filter(name -> clusterWide || !CLUSTER_SCOPED.contains(name))
        .toList();
  }

  /** List and watch on the resources, grouped by API group. */
  static List<PolicyRule> listAndWatch(boolean clusterWide) {
    Map<String, List<String>> byGroup = new TreeMap<>();
    for (String name : resources(clusterWide)) {
      String[] resource = RESOURCES.get(name);
      byGroup.computeIfAbsent(resource[0], g -> new ArrayList<>()).add(resource[1]);
    }
    List<PolicyRule> rules = new ArrayList<>();
    byGroup.forEach(
        (group, plurals) ->
            rules.add(
                new PolicyRuleBuilder()
                    .withApiGroups(group)
                    .withResources(plurals)
                    .withVerbs("list", "watch")
                    .build()));
    return rules;
  }

  /**
   * Named by {@link ClusterAccess#name}, unique across the cluster. The access of the stack's
   * kube-state-metrics ServiceAccount, for this role and {@link
   * KubeStateMetricsClusterRoleBinding}.
   */
  static ClusterAccess clusterAccess(MonitoringStack stack) {
    return new ClusterAccess(
        stack.getMetadata().getNamespace(),
        KubeStateMetricsDeployment.name(stack),
        StackLabels.of(stack, StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT),
        Map.of());
  }

  @Override
  protected ClusterAccess access(MonitoringStack stack, Context<MonitoringStack> context) {
    return clusterAccess(stack);
  }

  @Override
  protected List<PolicyRule> rules(MonitoringStack stack, Context<MonitoringStack> context) {
    return listAndWatch(true);
  }
}
