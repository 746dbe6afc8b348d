package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Agent mode: one collector per node, host ports when asked. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorDaemonSet extends ControlledDependentResource<DaemonSet, TracingPipeline> {
  public CollectorDaemonSet() {
    super(DaemonSet.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.collectorName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected DaemonSet desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.collectorName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(PipelineLabels.selector(pipeline, PipelineLabels.COLLECTOR))
        .endSelector()
        .withTemplate(
            CollectorPods.template(
                CollectorPlan.of(context), Boolean.TRUE.equals(pipeline.getSpec().hostPorts)))
        .endSpec()
        .build();
  }
}
