package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Gateway mode: a Deployment of collectors (its replica count left to the HPA when autoscaled). */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorDeployment extends ControlledDependentResource<Deployment, TracingPipeline> {
  public CollectorDeployment() {
    super(Deployment.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.collectorName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Deployment desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    Integer replicas =
        pipeline.getSpec().autoscaling != null
            ? null
            : pipeline.getSpec().replicas == null ? 1 : pipeline.getSpec().replicas;
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.collectorName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(PipelineLabels.selector(pipeline, PipelineLabels.COLLECTOR))
        .endSelector()
        .withTemplate(CollectorPods.template(CollectorPlan.of(context), false))
        .endSpec()
        .build();
  }
}
