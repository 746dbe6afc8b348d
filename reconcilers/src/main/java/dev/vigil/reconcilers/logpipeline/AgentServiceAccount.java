package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The agents' own identity: only {@link AgentClusterRole} (or, for a tenant's pipeline, {@link
 * AgentRole}) grants it anything, and its token is not mounted but for the API reads of {@code
 * k8s_attributes}.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class AgentServiceAccount
    extends CRUDNoGCKubernetesDependentResource<ServiceAccount, LogPipeline> {
  public AgentServiceAccount() {
    super(ServiceAccount.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return AgentObjects.id(pipeline, LogPlan.agentName(pipeline), context);
  }

  @Override
  protected ServiceAccount desired(LogPipeline pipeline, Context<LogPipeline> context) {
    LogPlan plan = LogPlan.of(context);
    return new ServiceAccountBuilder()
        .withMetadata(AgentObjects.metadata(pipeline, plan, LogPlan.agentName(pipeline)))
        .build();
  }
}
