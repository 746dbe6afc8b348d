package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
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
 * What the collectors of a pipeline in a tenant's namespace may read for {@code k8s_attributes}:
 * the pods of that namespace and what they belong to, as the collector's builder says; their
 * processor watches that namespace only (docs/tenancy.md).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorRole extends ControlledDependentResource<Role, TracingPipeline> {
  /** Its name in the workflow, for the binding that depends on it. */
  static final String NAME = "collector-role";

  public CollectorRole() {
    super(Role.class);
  }

  /** By name alone: deleting it when the processor is turned off needs no plan. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.collectorName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Role desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.collectorName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .endMetadata()
        .withRules(CollectorPlan.of(context).collector().kubernetesAccess())
        .build();
  }
}
