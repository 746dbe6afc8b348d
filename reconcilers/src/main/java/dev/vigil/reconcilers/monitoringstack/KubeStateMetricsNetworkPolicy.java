package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * Who may reach the stack's kube-state-metrics: the stack's Prometheus pods, on its metrics and
 * telemetry ports, and the stack's additional peers.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = KubeStateMetricsNetworkPolicy.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class KubeStateMetricsNetworkPolicy
    extends ControlledDependentResource<NetworkPolicy, MonitoringStack> {
  static final String SELECTOR =
      StackLabels.VIGILS_COMPONENT + StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT;

  public KubeStateMetricsNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(
        KubeStateMetricsDeployment.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return policy(stack);
  }

  /** The policy; pure. */
  static NetworkPolicy policy(MonitoringStack stack) {
    return NetworkPolicies.of(
            stack,
            StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT,
            KubeStateMetricsDeployment.name(stack))
        .allow(
            List.of(NetworkPolicies.podsOf(stack, PrometheusStatefulSet.COMPONENT)),
            KubeStateMetricsDeployment.PORT,
            KubeStateMetricsDeployment.TELEMETRY_PORT)
        .build(stack.getSpec().networkPolicy);
  }
}
