package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stacks, monitors and policies the engine last saw, Vigil's own and prometheus-operator's
 * (converted), each kept by "namespace/name". Where a prometheus-operator object shares kind,
 * namespace and name with a Vigil one, their job names (or rule file) would be the same: Vigil's
 * wins, and the other is left out and logged once. Not thread-safe: the engine calls it under its
 * lock.
 */
final class WatchedObjects {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedObjects.class);

  private final Map<String, MonitoringStack> stacks = new TreeMap<>();
  private final Map<String, ServiceMonitor> serviceMonitors = new TreeMap<>();
  private final Map<String, PodMonitor> podMonitors = new TreeMap<>();
  private final Map<String, AlertPolicy> policies = new TreeMap<>();
  private final Map<String, ServiceMonitor> coreosServiceMonitors = new TreeMap<>();
  private final Map<String, PodMonitor> coreosPodMonitors = new TreeMap<>();
  private final Map<String, AlertPolicy> coreosPolicies = new TreeMap<>();

  /** prometheus-operator objects left out for a Vigil object of the same name, as logged. */
  private Set<String> loggedCollisions = Set.of();

  /**
   * What the stacks select from: every monitor and policy, Vigil's winning where both have one of
   * the same kind, namespace and name.
   */
  record Selectable(
      Collection<ServiceMonitor> serviceMonitors,
      Collection<PodMonitor> podMonitors,
      Collection<AlertPolicy> policies) {}

  /** The identity of a stack, monitor or policy in the engine: "Kind/namespace/name". */
  static String key(HasMetadata object) {
    String key = object.getKind() + "/" + Cache.metaNamespaceKeyFunc(object);
    // Kept apart from Vigil's: a stack's fingerprint changes when one replaces the other.
    return PrometheusOperatorObjects.isFrom(object)
        ? PrometheusOperatorObjects.GROUP + "/" + key
        : key;
  }

  /** A Vigil stack, monitor or policy, added or changed. */
  void put(HasMetadata object) {
    String key = Cache.metaNamespaceKeyFunc(object);
    if (object instanceof MonitoringStack stack) {
      stacks.put(key, stack);
    } else if (object instanceof ServiceMonitor monitor) {
      serviceMonitors.put(key, monitor);
    } else if (object instanceof PodMonitor monitor) {
      podMonitors.put(key, monitor);
    } else if (object instanceof AlertPolicy policy) {
      policies.put(key, policy);
    } else {
      throw new IllegalArgumentException("not a kind the engine keeps: " + key(object));
    }
  }

  /** A Vigil stack, monitor or policy that is gone. */
  void remove(HasMetadata object) {
    String key = Cache.metaNamespaceKeyFunc(object);
    if (object instanceof MonitoringStack) {
      stacks.remove(key);
    } else if (object instanceof ServiceMonitor) {
      serviceMonitors.remove(key);
    } else if (object instanceof PodMonitor) {
      podMonitors.remove(key);
    } else if (object instanceof AlertPolicy) {
      policies.remove(key);
    }
  }

  /** A prometheus-operator object, converted, or empty when gone or unreadable. */
  void putPrometheusOperator(
      PrometheusOperatorObjects.Kind kind, String key, Optional<HasMetadata> object) {
    if (object.orElse(null) instanceof ServiceMonitor monitor) {
      coreosServiceMonitors.put(key, monitor);
    } else if (object.orElse(null) instanceof PodMonitor monitor) {
      coreosPodMonitors.put(key, monitor);
    } else if (object.orElse(null) instanceof AlertPolicy policy) {
      coreosPolicies.put(key, policy);
    } else {
      switch (kind) {
        case SERVICE_MONITOR -> coreosServiceMonitors.remove(key);
        case POD_MONITOR -> coreosPodMonitors.remove(key);
        case PROMETHEUS_RULE -> coreosPolicies.remove(key);
      }
    }
  }

  /** The stacks by "namespace/name". */
  Map<String, MonitoringStack> stacks() {
    return stacks;
  }

  /** Every monitor and policy the stacks select from; logs each collision once, when it starts. */
  Selectable selectable() {
    Set<String> collisions = new TreeSet<>();
    Selectable all =
        new Selectable(
            merged(serviceMonitors, coreosServiceMonitors, collisions),
            merged(podMonitors, coreosPodMonitors, collisions),
            merged(policies, coreosPolicies, collisions));
    for (String collision : collisions) {
      if (!loggedCollisions.contains(collision)) {
        LOG.warn(
            "{} {} is left out: a Vigil object of the same kind, namespace and name has its job"
                + " names (or rule file)",
            PrometheusOperatorObjects.API_VERSION,
            collision);
      }
    }
    loggedCollisions = Set.copyOf(collisions);
    return all;
  }

  /** Vigil's own monitors and policies: the ones with a reconciler to tell. */
  List<HasMetadata> ownSelectable() {
    List<HasMetadata> own = new ArrayList<>(serviceMonitors.values());
    own.addAll(podMonitors.values());
    own.addAll(policies.values());
    return own;
  }

  /** The Vigil stack or monitor stored under a {@link #key}, or null. */
  HasMetadata get(String key) {
    String kind = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    return switch (kind) {
      case "MonitoringStack" -> stacks.get(name);
      case "ServiceMonitor" -> serviceMonitors.get(name);
      case "PodMonitor" -> podMonitors.get(name);
      default -> null;
    };
  }

  /**
   * Vigil's objects of one kind and prometheus-operator's of the same kind; where both have one of
   * the same namespace and name, Vigil's, and the other's "Kind namespace/name" goes into {@code
   * collisions}.
   */
  private static <T extends HasMetadata> Collection<T> merged(
      Map<String, T> own, Map<String, T> coreos, Set<String> collisions) {
    if (coreos.isEmpty()) {
      return own.values();
    }
    Map<String, T> all = new TreeMap<>(coreos);
    for (Map.Entry<String, T> entry : own.entrySet()) {
      T replaced = all.put(entry.getKey(), entry.getValue());
      if (replaced != null) {
        collisions.add(replaced.getKind() + " " + entry.getKey());
      }
    }
    return all.values();
  }
}
