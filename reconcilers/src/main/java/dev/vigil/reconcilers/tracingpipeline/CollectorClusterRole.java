package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * What the k8s_attributes processor reads to label spans with their pod, namespace and workload
 * (pods and namespaces; ReplicaSets, Jobs or Nodes only when the metadata asked for needs them),
 * get, list and watch only. Cluster-scoped, so it cannot be owned by the pipeline: the pipeline's
 * cleanup deletes it.
 */
// Cluster-scoped: its informer watches the whole cluster even when the operator watches a list
// of namespaces, or it would never see the object it made and create it again and again.
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class CollectorClusterRole
    extends CRUDNoGCKubernetesDependentResource<ClusterRole, TracingPipeline> {
  /** Its name in the workflow, for the binding that depends on it. */
  static final String NAME = "collector-cluster-role";

  public CollectorClusterRole() {
    super(ClusterRole.class);
  }

  /** Unique per pipeline across the cluster. */
  static String name(TracingPipeline pipeline) {
    return "vigil-"
        + pipeline.getMetadata().getNamespace()
        + "-"
        + CollectorPlan.collectorName(pipeline);
  }

  /** By name, without the plan: the pipeline's cleanup deletes it with no plan computed. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(name(pipeline), null);
  }

  @Override
  protected ClusterRole desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name(pipeline))
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .addToLabels(StackLabels.INSTANCE, pipeline.getMetadata().getName())
        .addToAnnotations("monitoring.vigil.dev/pipeline", pipelineKey(pipeline))
        .endMetadata()
        .withRules(CollectorPlan.of(context).collector().kubernetesAccess())
        .build();
  }

  static String pipelineKey(TracingPipeline pipeline) {
    return pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
  }
}
