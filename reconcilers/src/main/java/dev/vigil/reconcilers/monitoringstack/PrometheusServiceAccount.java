package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The ServiceAccount of a stack's Prometheus pods. Prometheus itself needs no API access (Vigil
 * discovers its targets); the account only lets the reloader read the config Secrets, through
 * {@link ReloaderRole}.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusServiceAccount.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusServiceAccount
    extends ControlledDependentResource<ServiceAccount, MonitoringStack> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + PrometheusStatefulSet.COMPONENT;

  public PrometheusServiceAccount() {
    super(ServiceAccount.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-prometheus";
  }

  @Override
  protected ServiceAccount desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, PrometheusStatefulSet.COMPONENT))
        .endMetadata()
        .withAutomountServiceAccountToken(false)
        .build();
  }
}
