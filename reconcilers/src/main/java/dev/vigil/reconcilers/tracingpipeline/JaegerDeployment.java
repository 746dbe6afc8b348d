package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The Jaeger v2 backend: one pod (memory or badger storage cannot be shared), Recreate so two pods
 * never open one badger directory.
 */
@KubernetesDependent(informer = @Informer(labelSelector = JaegerConfigMap.SELECTOR))
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
        new io.fabric8.kubernetes.api.model.ProbeBuilder()
            .withNewHttpGet()
            .withPath(JaegerConfigBuilder.HEALTH_PATH)
            .withNewPort(JaegerConfigBuilder.HEALTH_PORT)
            .endHttpGet()
            .withPeriodSeconds(10)
            .build();
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.jaegerName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.JAEGER))
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewSelector()
        .withMatchLabels(PipelineLabels.selector(pipeline, PipelineLabels.JAEGER))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.JAEGER))
        .addToAnnotations(CollectorPods.CONFIG_HASH, CollectorPlan.hash(config))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(10001L)
        .withFsGroup(10001L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
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
        .withResources(jaeger.resources)
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
        .withNewSecurityContext()
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .addNewVolume()
        .withName("config")
        .withNewConfigMap()
        .withName(CollectorPlan.jaegerName(pipeline))
        .endConfigMap()
        .endVolume()
        .addToVolumes(data)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
