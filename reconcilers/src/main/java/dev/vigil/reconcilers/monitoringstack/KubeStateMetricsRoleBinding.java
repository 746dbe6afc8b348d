package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.RoleGrant;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Grants {@link KubeStateMetricsRole} to a tenant stack's kube-state-metrics only. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = KubeStateMetricsDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class KubeStateMetricsRoleBinding
    extends ControlledDependentResource<RoleBinding, MonitoringStack> {
  public KubeStateMetricsRoleBinding() {
    super(RoleBinding.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(
        KubeStateMetricsDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected RoleBinding desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return RoleGrant.of(
        KubeStateMetricsDeployment.name(stack),
        stack.getMetadata().getNamespace(),
        StackLabels.of(stack, StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT),
        KubeStateMetricsDeployment.name(stack));
  }
}
