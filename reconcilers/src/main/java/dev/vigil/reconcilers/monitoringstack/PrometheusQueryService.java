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

/**
 * A ClusterIP Service in front of every Prometheus pod of the stack, for queries and the UI. With
 * several shards each query reaches one shard only; Thanos Query gives the view over all of them.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusQueryService.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusQueryService extends ControlledDependentResource<Service, MonitoringStack> {
  static final String COMPONENT = "prometheus-query";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public PrometheusQueryService() {
    super(Service.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-prometheus";
  }

  /** The in-cluster URL of this Service. */
  public static String url(MonitoringStack stack) {
    return "http://"
        + name(stack)
        + "."
        + stack.getMetadata().getNamespace()
        + ".svc:"
        + PrometheusStatefulSet.WEB_PORT;
  }

  @Override
  protected Service desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withSelector(StackLabels.selector(stack, PrometheusStatefulSet.COMPONENT, null))
        .withPorts(PrometheusGoverningService.port("web", PrometheusStatefulSet.WEB_PORT))
        .endSpec()
        .build();
  }
}
