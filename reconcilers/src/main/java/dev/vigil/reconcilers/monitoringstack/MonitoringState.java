package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the operator's one set of discovery watches knows about stacks, monitors and policies, as
 * the reconcilers read it: which monitors and policies each stack selects and how many targets the
 * monitors have. The operator implements it; reconcilers never watch Pods or EndpointSlices
 * themselves.
 */
public interface MonitoringState {
  /** Whether every watch has listed once; before that, selections may be incomplete. */
  boolean hasSynced();

  /** Every MonitoringStack, by namespace and name. */
  List<MonitoringStack> stacks();

  /** The ServiceMonitors the stack selects, by namespace and name. */
  List<ServiceMonitor> serviceMonitors(MonitoringStack stack);

  /** The PodMonitors the stack selects, by namespace and name. */
  List<PodMonitor> podMonitors(MonitoringStack stack);

  /** The AlertPolicies the stack's policySelector selects, by namespace and name. */
  List<AlertPolicy> policies(MonitoringStack stack);

  /** Whether the stack's policySelector takes the policy in (its labels, its namespace's). */
  boolean selectsPolicy(MonitoringStack stack, AlertPolicy policy);

  /** Whether the stack's monitorSelector takes the monitor in (its labels, its namespace's). */
  boolean selects(MonitoringStack stack, HasMetadata monitor);

  /**
   * Whether a selector of the stack (its {@code grafana.dashboardSelector}, say) takes an object
   * in, with the same defaults as {@code monitorSelector}: labels of the object, labels of its
   * namespace, the stack's own namespace when no namespaceSelector is given.
   */
  boolean selects(MonitoringStack stack, ResourceSelector selector, HasMetadata object);

  /** Targets served to each shard of the stack now; index = shard. */
  int[] targetsPerShard(MonitoringStack stack);

  /** Targets discovered for the monitor's jobs, before sharding. */
  int targets(HasMetadata monitor);

  /**
   * Endpoints whose port names no port of what the monitor selects, each a sentence starting with
   * the field, e.g. {@code spec.endpoints[0].port: "metrics" is not a Service port name ...}.
   */
  List<String> portProblems(HasMetadata monitor);

  /**
   * Registers a listener, called with every stack and monitor whose answers above changed (its
   * selection, its targets), so their reconcilers run again.
   */
  void onChange(Consumer<HasMetadata> listener);
}
