package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Where the agents send and Grafana queries: {@code <pipeline>-victorialogs:9428}. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.VICTORIA_LOGS_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class VictoriaLogsService extends ControlledDependentResource<Service, LogPipeline> {
  public VictoriaLogsService() {
    super(Service.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return new ResourceID(
        LogPlan.victoriaLogsName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(LogPipeline pipeline, Context<LogPipeline> context) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(LogPlan.victoriaLogsName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(LogLabels.of(pipeline, LogLabels.VICTORIA_LOGS))
        .endMetadata()
        .withNewSpec()
        .withSelector(LogLabels.selector(pipeline, LogLabels.VICTORIA_LOGS))
        .addNewPort()
        .withName("http")
        .withPort(LogPlan.VICTORIA_LOGS_PORT)
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
