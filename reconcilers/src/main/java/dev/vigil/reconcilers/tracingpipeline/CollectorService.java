package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;

/**
 * The Service applications send spans to: every enabled receiver's port. For an agent, traffic
 * stays on the node ({@code internalTrafficPolicy: Local}) so a pod reaches its own node's
 * collector.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorService extends ControlledDependentResource<Service, TracingPipeline> {
  public CollectorService() {
    super(Service.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.collectorName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    List<ServicePort> ports = new ArrayList<>();
    for (CollectorConfigBuilder.ListenPort listen : CollectorPlan.of(context).collector().ports()) {
      if (!listen.name().equals("health")) {
        ports.add(
            new ServicePortBuilder()
                .withName(listen.name())
                .withPort(listen.port())
                .withNewTargetPort(listen.name())
                .withProtocol(listen.protocol())
                .build());
      }
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.collectorName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .endMetadata()
        .withNewSpec()
        .withSelector(PipelineLabels.selector(pipeline, PipelineLabels.COLLECTOR))
        .withPorts(ports)
        .withInternalTrafficPolicy(CollectorPlan.gateway(pipeline) ? null : "Local")
        .endSpec()
        .build();
  }
}
