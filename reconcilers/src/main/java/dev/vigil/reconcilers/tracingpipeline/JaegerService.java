package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The Jaeger backend's OTLP ingest (the collector exports here) and its query UI. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = JaegerConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class JaegerService extends ControlledDependentResource<Service, TracingPipeline> {
  public JaegerService() {
    super(Service.class);
  }

  static String uiUrl(TracingPipeline pipeline) {
    return JaegerNames.queryUrl(pipeline);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.jaegerName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.jaegerName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.JAEGER))
        .endMetadata()
        .withNewSpec()
        .withSelector(PipelineLabels.selector(pipeline, PipelineLabels.JAEGER))
        .withPorts(
            new ServicePortBuilder()
                .withName("otlp-grpc")
                .withPort(JaegerConfigBuilder.OTLP_GRPC_PORT)
                .withNewTargetPort("otlp-grpc")
                .build(),
            new ServicePortBuilder()
                .withName("otlp-http")
                .withPort(JaegerConfigBuilder.OTLP_HTTP_PORT)
                .withNewTargetPort("otlp-http")
                .build(),
            new ServicePortBuilder()
                .withName("query")
                .withPort(JaegerConfigBuilder.QUERY_HTTP_PORT)
                .withNewTargetPort("query")
                .build())
        .endSpec()
        .build();
  }
}
