package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.Workload;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The Jaeger v2 backend: one pod (memory or badger storage cannot be shared), Recreate so two pods
 * never open one badger directory.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = JaegerConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class JaegerDeployment extends ControlledDependentResource<Deployment, TracingPipeline> {
  public JaegerDeployment() {
    super(Deployment.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.jaegerName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Deployment desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    JaegerBackendSpec jaeger = pipeline.getSpec().exporters.jaeger;
    String config = CollectorPlan.of(context).jaegerConfig();
    Volume data =
        CollectorPlan.of(context).jaeger().persistent()
            ? new VolumeBuilder()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName(CollectorPlan.jaegerName(pipeline) + "-data")
                .endPersistentVolumeClaim()
                .build()
            : new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build();
    var health =
        PodParts.probeWithDefaults(
            JaegerConfigBuilder.HEALTH_PATH, JaegerConfigBuilder.HEALTH_PORT, 10);
    PodSpec pod =
        new PodSpecBuilder()
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(PodParts.nonRoot(10001L).withFsGroup(10001L).build())
            .addNewContainer()
            .withName("jaeger")
            .withImage(jaeger.image == null ? CollectorPlan.JAEGER_IMAGE : jaeger.image)
            .withArgs("--config=/etc/jaeger/" + JaegerConfigMap.KEY)
            .withPorts(
                CollectorPlan.of(context).jaeger().ports().stream()
                    .map(
                        p ->
                            new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                                .withName(p.name())
                                .withContainerPort(p.port())
                                .build())
                    .toList())
            .withResources(DefaultResources.JAEGER.or(jaeger.resources))
            .addNewVolumeMount()
            .withName("config")
            .withMountPath("/etc/jaeger")
            .withReadOnly(true)
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("data")
            .withMountPath(JaegerConfigBuilder.DATA_DIR)
            .endVolumeMount()
            .withReadinessProbe(health)
            .withLivenessProbe(health)
            .withSecurityContext(PodParts.restricted())
            .endContainer()
            .addNewVolume()
            .withName("config")
            .withNewConfigMap()
            .withName(CollectorPlan.jaegerName(pipeline))
            .endConfigMap()
            .endVolume()
            .addToVolumes(data)
            .build();
    return new Workload(
            CollectorPlan.jaegerName(pipeline),
            pipeline.getMetadata().getNamespace(),
            PipelineLabels.of(pipeline, PipelineLabels.JAEGER),
            PipelineLabels.selector(pipeline, PipelineLabels.JAEGER))
        .withPodAnnotation(CollectorPods.CONFIG_HASH, CollectorPlan.hash(config))
        .recreatedDeployment(pod);
  }
}
