package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** At most one Alertmanager replica down at a time, when there are several. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = AlertmanagerStatefulSet.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AlertmanagerPodDisruptionBudget
    extends ControlledDependentResource<PodDisruptionBudget, MonitoringStack> {
  public AlertmanagerPodDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(AlertmanagerPlan.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected PodDisruptionBudget desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(AlertmanagerPlan.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, AlertmanagerStatefulSet.COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(StackLabels.selector(stack, AlertmanagerStatefulSet.COMPONENT, null))
        .endSelector()
        .endSpec()
        .build();
  }
}
