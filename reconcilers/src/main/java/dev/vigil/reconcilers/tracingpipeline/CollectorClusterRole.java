package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import dev.vigil.reconcilers.dependents.ClusterRoleDependent;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;

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
public class CollectorClusterRole extends ClusterRoleDependent<TracingPipeline> {
  /** Its name in the workflow, for the binding that depends on it. */
  static final String NAME = "collector-cluster-role";

  /**
   * Named by {@link ClusterAccess#name}, unique across the cluster. The access of the pipeline's
   * collectors' ServiceAccount, for this role and {@link CollectorClusterRoleBinding}; annotated
   * with the pipeline, which a cluster-scoped object cannot name in an owner reference.
   */
  static ClusterAccess clusterAccess(TracingPipeline pipeline) {
    return new ClusterAccess(
        pipeline.getMetadata().getNamespace(),
        CollectorPlan.collectorName(pipeline),
        PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR),
        Map.of(
            "monitoring.vigil.dev/pipeline",
            pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName()));
  }

  @Override
  protected ClusterAccess access(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return clusterAccess(pipeline);
  }

  /** What the collector's configuration needs, as its builder says. */
  @Override
  protected List<PolicyRule> rules(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return CollectorPlan.of(context).collector().kubernetesAccess();
  }
}
