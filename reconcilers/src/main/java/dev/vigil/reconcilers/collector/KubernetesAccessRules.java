package dev.vigil.reconcilers.collector;

import dev.vigil.reconcilers.collector.CollectorConfig.K8sAttributes;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The read access a configuration needs from the API server, as the rules of the collectors'
 * ClusterRole: get, list and watch on what {@code k8s_attributes} reads. Least privilege: a
 * resource is granted only when the metadata extracted needs it.
 */
final class KubernetesAccessRules {
  private KubernetesAccessRules() {}

  /**
   * Pods and namespaces; nodes for {@code k8s.node.uid}; replicasets for {@code k8s.deployment.uid}
   * only, jobs for {@code k8s.cronjob.uid} only: collector 0.160 starts those informers for nothing
   * else (the deployment and cronjob names come from the pod's owner names, the replicaset and job
   * from its owner reference). Empty when {@code processor} is null (off). In a tenant's namespace
   * ({@code clusterWide} false) the rules of a Role: pods and what they belong to, nothing outside
   * the namespace.
   */
  static List<PolicyRule> of(K8sAttributes processor, boolean clusterWide) {
    if (processor == null) {
      return List.of();
    }
    List<String> metadata = processor.extract().metadata();
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(
        readRule(
            "",
            !clusterWide
                ? List.of("pods")
                : metadata.contains("k8s.node.uid")
                    ? List.of("namespaces", "nodes", "pods")
                    : List.of("namespaces", "pods")));
    if (metadata.contains("k8s.deployment.uid")) {
      rules.add(readRule("apps", List.of("replicasets")));
    }
    if (metadata.contains("k8s.cronjob.uid")) {
      rules.add(readRule("batch", List.of("jobs")));
    }
    return rules;
  }

  private static PolicyRule readRule(String apiGroup, List<String> resources) {
    return new PolicyRuleBuilder()
        .withApiGroups(apiGroup)
        .withResources(resources)
        .withVerbs("get", "list", "watch")
        .build();
  }
}
