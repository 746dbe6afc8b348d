package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/** The Jaeger v2 backend's configuration (storage, query, OTLP ingest); no credentials. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = JaegerConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class JaegerConfigMap extends ControlledDependentResource<ConfigMap, TracingPipeline> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + PipelineLabels.JAEGER;
  static final String KEY = "jaeger.yaml";

  public JaegerConfigMap() {
    super(ConfigMap.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.jaegerName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected ConfigMap desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(CollectorPlan.jaegerName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.JAEGER))
        .endMetadata()
        .withData(Map.of(KEY, CollectorPlan.of(context).jaegerConfig()))
        .build();
  }
}
