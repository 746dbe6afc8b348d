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

/** Grafana's UI and API inside the cluster: the stack's {@code status.grafanaUrl}. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = GrafanaDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class GrafanaService extends ControlledDependentResource<Service, MonitoringStack> {
  public GrafanaService() {
    super(Service.class);
  }

  public static String url(MonitoringStack stack) {
    return "http://"
        + GrafanaDeployment.name(stack)
        + "."
        + stack.getMetadata().getNamespace()
        + ".svc:"
        + GrafanaDeployment.PORT;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(GrafanaDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(GrafanaDeployment.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, GrafanaDeployment.COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withSelector(StackLabels.selector(stack, GrafanaDeployment.COMPONENT, null))
        .withPorts(PrometheusGoverningService.port("http", GrafanaDeployment.PORT))
        .endSpec()
        .build();
  }
}
