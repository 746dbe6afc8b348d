package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import dev.vigil.reconcilers.dependents.ClusterRoleBindingDependent;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Grants {@link CollectorClusterRole} to this pipeline's collectors only. */
// Cluster-scoped: its informer watches the whole cluster even when the operator watches a list
// of namespaces, or it would never see the object it made and create it again and again.
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class CollectorClusterRoleBinding extends ClusterRoleBindingDependent<TracingPipeline> {
  @Override
  protected ClusterAccess access(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return CollectorClusterRole.clusterAccess(pipeline);
  }
}
