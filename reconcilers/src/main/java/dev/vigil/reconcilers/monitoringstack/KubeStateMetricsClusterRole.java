package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
public class KubeStateMetricsClusterRole
    extends CRUDNoGCKubernetesDependentResource<ClusterRole, MonitoringStack> {
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

  public KubeStateMetricsClusterRole() {
    super(ClusterRole.class);
  }

  /** Unique per stack across the cluster. */
  static String name(MonitoringStack stack) {
    return "vigil-"
        + stack.getMetadata().getNamespace()
        + "-"
        + KubeStateMetricsDeployment.name(stack);
  }

  /** By name, without the plan: the stack's cleanup deletes it with no plan computed. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), null);
  }

  @Override
  protected ClusterRole desired(MonitoringStack stack, Context<MonitoringStack> context) {
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
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withLabels(StackLabels.of(stack, StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT))
        .endMetadata()
        .withRules(rules)
        .build();
  }
}
