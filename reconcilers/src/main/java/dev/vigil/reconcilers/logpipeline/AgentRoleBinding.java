package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Grants {@link AgentRole} to the agents' ServiceAccount, which lives in the agents' namespace. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AgentRoleBinding extends ControlledDependentResource<RoleBinding, LogPipeline> {
  public AgentRoleBinding() {
    super(RoleBinding.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return new ResourceID(LogPlan.agentName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected RoleBinding desired(LogPipeline pipeline, Context<LogPipeline> context) {
    String name = LogPlan.agentName(pipeline);
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(LogLabels.of(pipeline, LogLabels.AGENT))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Role")
        .withName(name)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(LogPipelineReconciler.agentsNamespace(context))
        .endSubject()
        .build();
  }
}
