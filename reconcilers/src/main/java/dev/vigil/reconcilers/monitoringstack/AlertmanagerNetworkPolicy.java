package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.IngressPolicy;
import dev.vigil.reconcilers.objects.PodParts;
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
 * Who may reach the stack's Alertmanager: its Prometheus pods (alerts) and Grafana (when it runs)
 * on the web port, the stack's additional peers there too, and the other Alertmanager replicas on
 * the gossip port, TCP and UDP.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = AlertmanagerNetworkPolicy.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AlertmanagerNetworkPolicy
    extends ControlledDependentResource<NetworkPolicy, MonitoringStack> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + AlertmanagerStatefulSet.COMPONENT;

  public AlertmanagerNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(AlertmanagerPlan.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return policy(stack);
  }

  /** The policy; pure. */
  static NetworkPolicy policy(MonitoringStack stack) {
    List<NetworkPolicyPeer> clients = new ArrayList<>();
    clients.add(NetworkPolicies.podsOf(stack, PrometheusStatefulSet.COMPONENT));
    if (GrafanaEnabled.enabled(stack)) {
      clients.add(NetworkPolicies.podsOf(stack, GrafanaDeployment.COMPONENT));
    }
    return NetworkPolicies.of(
            stack, AlertmanagerStatefulSet.COMPONENT, AlertmanagerPlan.name(stack))
        .allow(clients, AlertmanagerPlan.WEB_PORT)
        // the config-reloader sidecar's /metrics, scraped by the stack's Prometheus
        .allow(
            List.of(NetworkPolicies.podsOf(stack, PrometheusStatefulSet.COMPONENT)),
            PodParts.RELOADER_PORT)
        .allowPeers(
            List.of(NetworkPolicies.podsOf(stack, AlertmanagerStatefulSet.COMPONENT)),
            List.of(
                IngressPolicy.port(AlertmanagerPlan.MESH_PORT, IngressPolicy.TCP),
                IngressPolicy.port(AlertmanagerPlan.MESH_PORT, IngressPolicy.UDP)))
        .build(stack.getSpec().networkPolicy);
  }
}
