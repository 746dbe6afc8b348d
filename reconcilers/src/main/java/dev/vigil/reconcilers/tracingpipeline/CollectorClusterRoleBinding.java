package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Grants {@link CollectorClusterRole} to this pipeline's collectors only. */
// Cluster-scoped: its informer watches the whole cluster even when the operator watches a list
// of namespaces, or it would never see the object it made and create it again and again.
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class CollectorClusterRoleBinding
    extends CRUDNoGCKubernetesDependentResource<ClusterRoleBinding, TracingPipeline> {
  public CollectorClusterRoleBinding() {
    super(ClusterRoleBinding.class);
  }

  /** By name, without the plan: the pipeline's cleanup deletes it with no plan computed. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(CollectorClusterRole.name(pipeline), null);
  }

  @Override
  protected ClusterRoleBinding desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(CollectorClusterRole.name(pipeline))
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .addToAnnotations(
            "monitoring.vigil.dev/pipeline", CollectorClusterRole.pipelineKey(pipeline))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(CollectorClusterRole.name(pipeline))
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(CollectorPlan.collectorName(pipeline))
        .withNamespace(pipeline.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
