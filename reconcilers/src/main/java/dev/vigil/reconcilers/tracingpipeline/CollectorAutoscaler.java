package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.AutoscalingSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Scales the gateway Deployment on CPU between the spec's bounds. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorAutoscaler
    extends ControlledDependentResource<HorizontalPodAutoscaler, TracingPipeline> {
  public CollectorAutoscaler() {
    super(HorizontalPodAutoscaler.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.collectorName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected HorizontalPodAutoscaler desired(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    AutoscalingSpec autoscaling = pipeline.getSpec().autoscaling;
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.collectorName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .endMetadata()
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(CollectorPlan.collectorName(pipeline))
        .endScaleTargetRef()
        .withMinReplicas(autoscaling.minReplicas == null ? 1 : autoscaling.minReplicas)
        .withMaxReplicas(autoscaling.maxReplicas)
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(
            autoscaling.targetCPUUtilization == null ? 80 : autoscaling.targetCPUUtilization)
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }
}
