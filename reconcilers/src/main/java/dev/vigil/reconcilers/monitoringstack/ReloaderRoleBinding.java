package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.RoleGrant;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Grants {@link ReloaderRole} to the stack's Prometheus ServiceAccount. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ReloaderRole.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class ReloaderRoleBinding extends ControlledDependentResource<RoleBinding, MonitoringStack> {
  public ReloaderRoleBinding() {
    super(RoleBinding.class);
  }

  @Override
  protected RoleBinding desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return RoleGrant.of(
        ReloaderRole.name(stack),
        stack.getMetadata().getNamespace(),
        StackLabels.of(stack, ReloaderRole.COMPONENT),
        PrometheusServiceAccount.name(stack));
  }
}
