package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The collectors' own identity: only {@link CollectorClusterRole} (or, in a tenant's namespace,
 * {@link CollectorRole}) grants it anything.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorServiceAccount
    extends ControlledDependentResource<ServiceAccount, TracingPipeline> {
  public CollectorServiceAccount() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.collectorName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .endMetadata()
        .build();
  }
}
