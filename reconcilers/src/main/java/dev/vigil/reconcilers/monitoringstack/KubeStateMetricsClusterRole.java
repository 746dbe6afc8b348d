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
import java.util.TreeMap;

/**
 * What kube-state-metrics may list and watch: the workload, node and storage objects it describes,
 * never Secrets or ConfigMaps (its {@code --resources} flag is the same list). Cluster-scoped, so
 * the stack's finalizer deletes it.
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
  protected ClusterAccess access(MonitoringStack stack) {
    return clusterAccess(stack);
  }

  /** List and watch, grouped by API group. */
  @Override
  protected List<PolicyRule> rules(MonitoringStack stack, Context<MonitoringStack> context) {
    Map<String, List<String>> byGroup = new TreeMap<>();
    RESOURCES
        .values()
        .forEach(r -> byGroup.computeIfAbsent(r[0], g -> new ArrayList<>()).add(r[1]));
    List<PolicyRule> rules = new ArrayList<>();
    byGroup.forEach(
        (group, resources) ->
            rules.add(
                new PolicyRuleBuilder()
                    .withApiGroups(group)
                    .withResources(resources)
                    .withVerbs("list", "watch")
                    .build()));
    return rules;
  }
}
