package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * What a tenant's kube-state-metrics may list and watch: the namespaced objects of {@link
 * KubeStateMetricsClusterRole}, in the stack's own namespace only (docs/tenancy.md).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = KubeStateMetricsDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class KubeStateMetricsRole extends ControlledDependentResource<Role, MonitoringStack> {
  /** Its name in the workflow, for the binding that depends on it. */
  static final String NAME = "kube-state-metrics-role";

  public KubeStateMetricsRole() {
    super(Role.class);
  }

  /** By name alone: deleting it when the stack becomes the platform's needs no plan. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(
        KubeStateMetricsDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Role desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName(KubeStateMetricsDeployment.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT))
        .endMetadata()
        .withRules(KubeStateMetricsClusterRole.listAndWatch(false))
        .build();
  }
}
