package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * The agents' configuration, in the agents' namespace. A ConfigMap: credentials are never in it,
 * only references to the variables and files that carry them. Not owned (an owner reference cannot
 * cross namespaces): found by name, deleted by the pipeline's cleanup.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class AgentConfigMap extends CRUDNoGCKubernetesDependentResource<ConfigMap, LogPipeline> {
  static final String KEY = "collector.yaml";

  public AgentConfigMap() {
    super(ConfigMap.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return AgentObjects.id(pipeline, LogPlan.agentName(pipeline), context);
  }

  @Override
  protected ConfigMap desired(LogPipeline pipeline, Context<LogPipeline> context) {
    LogPlan plan = LogPlan.of(context);
    return new ConfigMapBuilder()
        .withMetadata(AgentObjects.metadata(pipeline, plan, LogPlan.agentName(pipeline)))
        .withData(Map.of(KEY, plan.agentConfig()))
        .build();
  }
}
