package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Badger's disk: spans survive a restart of the Jaeger pod. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = JaegerConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class JaegerVolumeClaim
    extends ControlledDependentResource<PersistentVolumeClaim, TracingPipeline> {
  public JaegerVolumeClaim() {
    super(PersistentVolumeClaim.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.jaegerName(pipeline) + "-data", pipeline.getMetadata().getNamespace());
  }

  @Override
  protected PersistentVolumeClaim desired(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    JaegerBackendSpec jaeger = pipeline.getSpec().exporters.jaeger;
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.jaegerName(pipeline) + "-data")
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.JAEGER))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", jaeger.size == null ? new Quantity("10Gi") : jaeger.size)
        .endResources()
        .endSpec()
        .build();
  }
}
