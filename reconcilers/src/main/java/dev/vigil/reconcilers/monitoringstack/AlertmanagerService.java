package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The headless Service governing the Alertmanager StatefulSet: each replica's DNS name, which
 * Prometheus sends alerts to and the replicas gossip on. Not-ready pods are published so a cluster
 * can form before it is ready.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = AlertmanagerService.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AlertmanagerService extends ControlledDependentResource<Service, MonitoringStack> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + AlertmanagerStatefulSet.COMPONENT;

  public AlertmanagerService() {
    super(Service.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(AlertmanagerPlan.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(AlertmanagerPlan.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, AlertmanagerStatefulSet.COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(StackLabels.selector(stack, AlertmanagerStatefulSet.COMPONENT, null))
        .withPorts(
            PrometheusGoverningService.port("web", AlertmanagerPlan.WEB_PORT),
            PrometheusGoverningService.port("mesh-tcp", AlertmanagerPlan.MESH_PORT),
            new ServicePortBuilder()
                .withName("mesh-udp")
                .withPort(AlertmanagerPlan.MESH_PORT)
                .withNewTargetPort("mesh-udp")
                .withProtocol("UDP")
                .build())
        .endSpec()
        .build();
  }
}
