package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import dev.vigil.reconcilers.dependents.ClusterRoleDependent;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;

/**
 * What a platform pipeline's agents read for {@code k8s_attributes} across the cluster: pods and
 * namespaces (the workload names come from the pods' owners); get, list and watch only.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class AgentClusterRole extends ClusterRoleDependent<LogPipeline> {
  static final String NAME = "agent-cluster-role";

  /**
   * The agents' ServiceAccount lives in the agents' namespace, which the plan knows; the name is
   * unique across the cluster all the same, since the agents' name holds the pipeline's namespace.
   */
  static ClusterAccess clusterAccess(LogPipeline pipeline, String agentsNamespace) {
    return new ClusterAccess(
        agentsNamespace,
        LogPlan.agentName(pipeline),
        LogLabels.of(pipeline, LogLabels.AGENT),
        Map.of(
            AgentObjects.PIPELINE_ANNOTATION,
            pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName()));
  }

  @Override
  protected ClusterAccess access(LogPipeline pipeline, Context<LogPipeline> context) {
    return clusterAccess(pipeline, LogPipelineReconciler.agentsNamespace(context));
  }

  @Override
  protected List<PolicyRule> rules(LogPipeline pipeline, Context<LogPipeline> context) {
    return LogPlan.of(context).agent().kubernetesAccess();
  }
}
