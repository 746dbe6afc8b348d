package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The Service of Thanos Query: the stack's query URL when Thanos is on. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ThanosQueryDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class ThanosQueryService extends ControlledDependentResource<Service, MonitoringStack> {
  public ThanosQueryService() {
    super(Service.class);
  }

  public static String url(MonitoringStack stack) {
    return "http://"
        + ThanosQueryDeployment.name(stack)
        + "."
        + stack.getMetadata().getNamespace()
        + ".svc:"
        + ThanosQueryDeployment.HTTP_PORT;
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(ThanosQueryDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ThanosQueryDeployment.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, ThanosQueryDeployment.COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withSelector(StackLabels.selector(stack, ThanosQueryDeployment.COMPONENT, null))
        .withPorts(
            PrometheusGoverningService.port("http", ThanosQueryDeployment.HTTP_PORT),
            PrometheusGoverningService.port("grpc", ThanosQueryDeployment.GRPC_PORT))
        .endSpec()
        .build();
  }
}
