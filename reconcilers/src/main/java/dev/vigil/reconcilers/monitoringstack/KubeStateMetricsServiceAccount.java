package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** kube-state-metrics' identity, bound to {@link KubeStateMetricsClusterRole}. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = KubeStateMetricsDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class KubeStateMetricsServiceAccount
    extends ControlledDependentResource<ServiceAccount, MonitoringStack> {
  public KubeStateMetricsServiceAccount() {
    super(ServiceAccount.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(
        KubeStateMetricsDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected ServiceAccount desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(KubeStateMetricsDeployment.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT))
        .endMetadata()
        .build();
  }
}
