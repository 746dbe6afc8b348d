package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The agents' copy of the Secret keys their configuration reads (backend headers, TLS material),
 * from the pipeline's namespace, where the pipeline's owner keeps them: a pod can only read Secrets
 * of its own namespace. Exactly the keys referenced, nothing else; kept in step when they rotate.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class AgentCredentials extends CRUDNoGCKubernetesDependentResource<Secret, LogPipeline> {
  public AgentCredentials() {
    super(Secret.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return AgentObjects.id(pipeline, LogPlan.credentialsName(pipeline), context);
  }

  @Override
  protected Secret desired(LogPipeline pipeline, Context<LogPipeline> context) {
    LogPlan plan = LogPlan.of(context);
    return new SecretBuilder()
        .withMetadata(AgentObjects.metadata(pipeline, plan, LogPlan.credentialsName(pipeline)))
        .withType("Opaque")
        .withData(plan.credentials())
        .build();
  }
}
