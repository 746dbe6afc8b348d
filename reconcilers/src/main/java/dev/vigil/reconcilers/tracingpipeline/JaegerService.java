package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Jaeger backend's OTLP ingest (the collector exports here) and its query UI. */
@KubernetesDependent(informer = @Informer(labelSelector = JaegerConfigMap.SELECTOR))
public class JaegerService extends CRUDKubernetesDependentResource<Service, TracingPipeline> {
  public JaegerService() {
    super(Service.class);
  }

  static String uiUrl(TracingPipeline pipeline) {
    return "http://"
        + CollectorPlan.jaegerName(pipeline)
        + "."
        + pipeline.getMetadata().getNamespace()
        + ".svc:"
        + CollectorPlan.JAEGER_UI_PORT;
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
                .withPort(CollectorPlan.JAEGER_OTLP_GRPC_PORT)
                .withNewTargetPort("otlp-grpc")
                .build(),
            new ServicePortBuilder()
                .withName("query")
                .withPort(CollectorPlan.JAEGER_UI_PORT)
                .withNewTargetPort("query")
                .build())
        .endSpec()
        .build();
  }
}
