package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import dev.vigil.reconcilers.dependents.ClusterRoleBindingDependent;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Grants {@link AgentClusterRole} to this pipeline's agents only. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class AgentClusterRoleBinding extends ClusterRoleBindingDependent<LogPipeline> {
  @Override
  protected ClusterAccess access(LogPipeline pipeline, Context<LogPipeline> context) {
    return AgentClusterRole.clusterAccess(pipeline, LogPipelineReconciler.agentsNamespace(context));
  }
}
