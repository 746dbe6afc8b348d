package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.RoleGrant;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Grants {@link CollectorRole} to this pipeline's collectors only. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorRoleBinding
    extends ControlledDependentResource<RoleBinding, TracingPipeline> {
  public CollectorRoleBinding() {
    super(RoleBinding.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.collectorName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected RoleBinding desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return RoleGrant.of(
        CollectorPlan.collectorName(pipeline),
        pipeline.getMetadata().getNamespace(),
        PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR),
        CollectorPlan.collectorName(pipeline));
  }
}
