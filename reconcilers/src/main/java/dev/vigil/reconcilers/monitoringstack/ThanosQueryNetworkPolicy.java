package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.IngressPolicy;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may reach the stack's Thanos Query: its Grafana (when it runs) on the HTTP port, and the
 * stack's additional peers on the HTTP and gRPC ports (a Thanos Query of your own fanning out to
 * this one).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ThanosQueryNetworkPolicy.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class ThanosQueryNetworkPolicy
    extends ControlledDependentResource<NetworkPolicy, MonitoringStack> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + ThanosQueryDeployment.COMPONENT;

  public ThanosQueryNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(ThanosQueryDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return policy(stack);
  }

  /** The policy; pure. */
  static NetworkPolicy policy(MonitoringStack stack) {
    List<NetworkPolicyPeer> clients = new ArrayList<>();
    if (GrafanaEnabled.enabled(stack)) {
      clients.add(NetworkPolicies.podsOf(stack, GrafanaDeployment.COMPONENT));
    }
    IngressPolicy policy =
        NetworkPolicies.of(
            stack, ThanosQueryDeployment.COMPONENT, ThanosQueryDeployment.name(stack));
    if (!clients.isEmpty()) {
      policy.allow(clients, ThanosQueryDeployment.HTTP_PORT);
    }
    return policy
        .forAdditionalPeers(ThanosQueryDeployment.HTTP_PORT, ThanosQueryDeployment.GRPC_PORT)
        .build(stack.getSpec().networkPolicy);
  }
}
