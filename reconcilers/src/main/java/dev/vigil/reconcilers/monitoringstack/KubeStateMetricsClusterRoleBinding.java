package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Grants {@link KubeStateMetricsClusterRole} to the stack's kube-state-metrics only. */
// Cluster-scoped: its informer watches the whole cluster even when the operator watches a list
// of namespaces, or it would never see the object it made and create it again and again.
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = KubeStateMetricsDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class KubeStateMetricsClusterRoleBinding
    extends CRUDNoGCKubernetesDependentResource<ClusterRoleBinding, MonitoringStack> {
  public KubeStateMetricsClusterRoleBinding() {
    super(ClusterRoleBinding.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(KubeStateMetricsClusterRole.name(stack), null);
  }

  @Override
  protected ClusterRoleBinding desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(KubeStateMetricsClusterRole.name(stack))
        .withLabels(StackLabels.of(stack, StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(KubeStateMetricsClusterRole.name(stack))
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(KubeStateMetricsDeployment.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
