package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Grafana is the stack's UI: its port is open to any source (users come through an ingress
 * controller, a load balancer or a port-forward), and no other port is.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = GrafanaNetworkPolicy.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class GrafanaNetworkPolicy
    extends ControlledDependentResource<NetworkPolicy, MonitoringStack> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + GrafanaDeployment.COMPONENT;

  public GrafanaNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(GrafanaDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return policy(stack);
  }

  /** The policy; pure. */
  static NetworkPolicy policy(MonitoringStack stack) {
    return NetworkPolicies.of(stack, GrafanaDeployment.COMPONENT, GrafanaDeployment.name(stack))
        .allowAnyone(GrafanaDeployment.PORT)
        .build(stack.getSpec().networkPolicy);
  }
}
