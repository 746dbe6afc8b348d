package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * What the objects in the agents' namespace share: where they are, their labels, and the annotation
 * naming the pipeline they are for (an owner reference cannot cross namespaces).
 */
final class AgentObjects {
  static final String PIPELINE_ANNOTATION = "monitoring.vigil.dev/pipeline";

  private AgentObjects() {}

  /** The agents' namespace is a setting of the reconciler, which puts it in the context. */
  static ResourceID id(LogPipeline pipeline, String name, Context<LogPipeline> context) {
    return new ResourceID(name, LogPipelineReconciler.agentsNamespace(context));
  }

  static ObjectMeta metadata(LogPipeline pipeline, LogPlan plan, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(plan.agentsNamespace())
        .withLabels(LogLabels.of(pipeline, LogLabels.AGENT))
        .addToAnnotations(
            PIPELINE_ANNOTATION,
            pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName())
        .build();
  }
}
