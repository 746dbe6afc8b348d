package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The headless Service governing each shard's StatefulSet: stable pod DNS names, and the SRV
 * records through which Thanos Query finds every shard's sidecars.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusGoverningService.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusGoverningService
    extends ControlledDependentResource<Service, MonitoringStack>
    implements CRUDKubernetesBulkDependentResource<Service, MonitoringStack> {
  public static final String COMPONENT = "prometheus-shard";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public PrometheusGoverningService() {
    super(Service.class);
  }

  public static String name(MonitoringStack stack, int shard) {
    return PrometheusStatefulSet.name(stack, shard);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    ScraperPlan plan = ScraperPlan.of(context);
    List<Service> desired = new ArrayList<>();
    for (int shard : plan.runningShards()) {
      List<ServicePort> ports = new ArrayList<>();
      ports.add(port("web", PrometheusStatefulSet.WEB_PORT));
      if (PrometheusStatefulSet.thanosEnabled(stack)) {
        ports.add(port("grpc", PrometheusStatefulSet.THANOS_GRPC_PORT));
      }
      desired.add(
          new ServiceBuilder()
              .withNewMetadata()
              .withName(name(stack, shard))
              .withNamespace(stack.getMetadata().getNamespace())
              .withLabels(StackLabels.ofShard(stack, COMPONENT, shard))
              .endMetadata()
              .withNewSpec()
              .withClusterIP("None")
              .withSelector(StackLabels.selector(stack, PrometheusStatefulSet.COMPONENT, shard))
              .withPorts(ports)
              .endSpec()
              .build());
    }
    return ShardObjects.byId(desired);
  }

  @Override
  public Map<ResourceID, Service> getSecondaryResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return ShardObjects.byId(eventSource().orElseThrow().getSecondaryResources(stack));
  }

  static ServicePort port(String name, int port) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withNewTargetPort(name)
        .withProtocol("TCP")
        .build();
  }
}
