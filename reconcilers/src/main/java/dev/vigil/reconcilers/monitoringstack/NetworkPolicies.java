package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.objects.IngressPolicy;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * When each of a stack's NetworkPolicies exists (the stack's {@code networkPolicy.enabled}, and the
 * component it guards running), and the pieces they are built from: a policy per component, named
 * after its workload, selecting its pods by the labels the workload selects them by. Turning the
 * switch or the component off deletes the policy.
 */
final class NetworkPolicies {
  private NetworkPolicies() {}

  static boolean enabled(MonitoringStack stack) {
    return IngressPolicy.enabled(stack.getSpec().networkPolicy);
  }

  /** The policy of one component of the stack, for the pods of {@code component}. */
  static IngressPolicy of(MonitoringStack stack, String component, String name) {
    return new IngressPolicy(
        name,
        stack.getMetadata().getNamespace(),
        StackLabels.of(stack, component),
        StackLabels.selector(stack, component, null));
  }

  /** The pods of one component of this stack (every shard, every replica). */
  static NetworkPolicyPeer podsOf(MonitoringStack stack, String component) {
    return IngressPolicy.pods(StackLabels.selector(stack, component, null));
  }

  /** The switch on: Prometheus's policy. */
  public static class Enabled implements Condition<Object, MonitoringStack> {
    @Override
    public boolean isMet(
        DependentResource<Object, MonitoringStack> d,
        MonitoringStack stack,
        Context<MonitoringStack> c) {
      return enabled(stack);
    }
  }

  /** The switch on and Alertmanager running. */
  public static class ForAlertmanager implements Condition<Object, MonitoringStack> {
    @Override
    public boolean isMet(
        DependentResource<Object, MonitoringStack> d,
        MonitoringStack stack,
        Context<MonitoringStack> c) {
      return enabled(stack) && AlertmanagerConfigBuilder.enabled(stack);
    }
  }

  /** The switch on and Grafana running. */
  public static class ForGrafana implements Condition<Object, MonitoringStack> {
    @Override
    public boolean isMet(
        DependentResource<Object, MonitoringStack> d,
        MonitoringStack stack,
        Context<MonitoringStack> c) {
      return enabled(stack) && GrafanaEnabled.enabled(stack);
    }
  }

  /** The switch on and kube-state-metrics running. */
  public static class ForKubeStateMetrics implements Condition<Object, MonitoringStack> {
    @Override
    public boolean isMet(
        DependentResource<Object, MonitoringStack> d,
        MonitoringStack stack,
        Context<MonitoringStack> c) {
      return enabled(stack) && StackDiscoveryJobs.kubeStateMetrics(stack);
    }
  }

  /** The switch on and Thanos running. */
  public static class ForThanosQuery implements Condition<Object, MonitoringStack> {
    @Override
    public boolean isMet(
        DependentResource<Object, MonitoringStack> d,
        MonitoringStack stack,
        Context<MonitoringStack> c) {
      return enabled(stack) && PrometheusStatefulSet.thanosEnabled(stack);
    }
  }
}
