package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * What the agents of a tenant's pipeline read for {@code k8s_attributes}: the pods of the
 * pipeline's namespace and what they belong to, nothing else; a Role there, owned by the pipeline.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AgentRole extends ControlledDependentResource<Role, LogPipeline> {
  static final String NAME = "agent-role";

  public AgentRole() {
    super(Role.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return new ResourceID(LogPlan.agentName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Role desired(LogPipeline pipeline, Context<LogPipeline> context) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName(LogPlan.agentName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(LogLabels.of(pipeline, LogLabels.AGENT))
        .endMetadata()
        .withRules(LogPlan.of(context).agent().kubernetesAccess())
        .build();
  }
}
