package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.discovery.ClusterSnapshot;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.selection.MonitorSelection;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which monitors and policies each stack selects, the part prometheus-operator keeps in its
 * resource selector: a stack's {@code monitorSelector} picks ServiceMonitors and PodMonitors by
 * their labels and their namespace's name or labels ({@link MonitorSelection}), its {@code
 * policySelector} AlertPolicies alike. A stack whose monitorSelector cannot be read is left out, as
 * its reconciler reports; one whose policySelector cannot be read selects no policy. A tenant's
 * stack selects in its own namespace only ({@link Tenancy}). Pure: reads only what it is given, and
 * namespace labels from the snapshot.
 */
final class StackSelection {
  private static final Logger LOG = LoggerFactory.getLogger(StackSelection.class);

  private StackSelection() {}

  /** What one stack selects, each list in the order of the objects' keys. */
  record Selected(
      List<ServiceMonitor> serviceMonitors,
      List<PodMonitor> podMonitors,
      List<AlertPolicy> policies) {
    /** The monitors: ServiceMonitors, then PodMonitors. */
    List<HasMetadata> monitors() {
      List<HasMetadata> monitors = new ArrayList<>(serviceMonitors);
      monitors.addAll(podMonitors);
      return monitors;
    }

    /** The monitors, then the policies. */
    List<HasMetadata> all() {
      List<HasMetadata> all = monitors();
      all.addAll(policies);
      return all;
    }
  }

  /**
   * What each stack selects, by stack key "namespace/name", in the order of the keys; stacks whose
   * monitorSelector cannot be read are absent.
   */
  static Map<String, Selected> of(
      Map<String, MonitoringStack> stacks,
      WatchedObjects.Selectable from,
      ClusterSnapshot snapshot,
      Tenancy tenancy) {
    Map<String, Selected> selected = new TreeMap<>();
    for (Map.Entry<String, MonitoringStack> entry : stacks.entrySet()) {
      MonitoringStack stack = entry.getValue();
      MonitorSelection monitors;
      try {
        monitors = MonitorSelection.of(stack.getSpec().monitorSelector, stack, tenancy);
      } catch (IllegalArgumentException e) {
        LOG.debug("stack {} has an invalid monitorSelector: {}", entry.getKey(), e.getMessage());
        continue;
      }
      List<AlertPolicy> policies = List.of();
      try {
        MonitorSelection policySelection =
            MonitorSelection.of(stack.getSpec().policySelector, stack, tenancy);
        policies = matching(from.policies(), p -> policySelection.selects(p, snapshot));
      } catch (IllegalArgumentException e) {
        LOG.debug("stack {} has an invalid policySelector: {}", entry.getKey(), e.getMessage());
      }
      selected.put(
          entry.getKey(),
          new Selected(
              matching(from.serviceMonitors(), m -> monitors.selects(m, snapshot)),
              matching(from.podMonitors(), m -> monitors.selects(m, snapshot)),
              policies));
    }
    return selected;
  }

  /**
   * The stacks selecting each monitor and policy: stack keys by {@link WatchedObjects#key}, for
   * objects at least one stack selects.
   */
  static Map<String, Set<String>> selectingStacks(Map<String, Selected> selections) {
    Map<String, Set<String>> selecting = new HashMap<>();
    for (Map.Entry<String, Selected> stack : selections.entrySet()) {
      for (HasMetadata object : stack.getValue().all()) {
        selecting
            .computeIfAbsent(WatchedObjects.key(object), k -> new TreeSet<>())
            .add(stack.getKey());
      }
    }
    return selecting;
  }

  private static <T> List<T> matching(Collection<T> objects, Predicate<T> selects) {
    return objects.stream().filter(selects).toList();
  }
}
