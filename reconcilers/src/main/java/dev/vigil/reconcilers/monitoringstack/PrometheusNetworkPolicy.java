package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.IngressPolicy;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.Shards;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who may reach the stack's Prometheus pods (every shard): its Grafana and Thanos Query (when they
 * run) and its other Prometheus pods on the web port, Thanos Query on the sidecars' gRPC port, and
 * the stack's additional peers. The reloader reaches Prometheus on the pod's loopback, which no
 * policy filters; Prometheus' own traffic out (scrapes, service discovery from the operator, remote
 * write, alerts) is egress, which the policy leaves alone.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusNetworkPolicy.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusNetworkPolicy
    extends ControlledDependentResource<NetworkPolicy, MonitoringStack> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + PrometheusStatefulSet.COMPONENT;

  public PrometheusNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** {@code <stack>-prometheus}: one policy for the pods of every shard. */
  static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-" + PrometheusStatefulSet.COMPONENT;
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return policy(stack, ScraperPlan.of(context).settings().operatorNamespace());
  }

  /** The operator's pods, as the manifests and the chart label them. */
  static final Map<String, String> OPERATOR_POD_LABELS =
      Map.of("app.kubernetes.io/name", "vigil", "app.kubernetes.io/component", "operator");

  /**
   * The policy; pure.
   *
   * @param operatorNamespace where the operator runs: it reads the shards' series when the stack
   *     balances series or autoscales
   */
  static NetworkPolicy policy(MonitoringStack stack, String operatorNamespace) {
    List<NetworkPolicyPeer> queriers = new ArrayList<>();
    queriers.add(NetworkPolicies.podsOf(stack, PrometheusStatefulSet.COMPONENT));
    if (GrafanaEnabled.enabled(stack)) {
      queriers.add(NetworkPolicies.podsOf(stack, GrafanaDeployment.COMPONENT));
    }
    boolean thanos = PrometheusStatefulSet.thanosEnabled(stack);
    if (thanos) {
      queriers.add(NetworkPolicies.podsOf(stack, ThanosQueryDeployment.COMPONENT));
    }
    IngressPolicy policy =
        NetworkPolicies.of(stack, PrometheusStatefulSet.COMPONENT, name(stack))
            .allow(queriers, PrometheusStatefulSet.WEB_PORT)
            // the config-reloader sidecar's /metrics, scraped by the stack's Prometheus
            .allow(
                List.of(NetworkPolicies.podsOf(stack, PrometheusStatefulSet.COMPONENT)),
                PodParts.RELOADER_PORT);
    if (Shards.seriesRead(stack)) {
      policy.allow(
          List.of(IngressPolicy.podsInNamespace(operatorNamespace, OPERATOR_POD_LABELS)),
          PrometheusStatefulSet.WEB_PORT);
    }
    if (thanos) {
      policy.allow(
          List.of(NetworkPolicies.podsOf(stack, ThanosQueryDeployment.COMPONENT)),
          PrometheusStatefulSet.THANOS_GRPC_PORT);
    }
    return policy.build(stack.getSpec().networkPolicy);
  }
}
