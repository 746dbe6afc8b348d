package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigInputs;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigRenderer;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblem;
import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.validation.MonitoringStackValidator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a stack's Alertmanager is made from, computed once per reconcile when it is enabled: its
 * {@code alertmanager.yml}, the credential values it mounts (base64, byte for byte as stored), and
 * what was left out.
 */
public record AlertmanagerPlan(
    MonitoringStack stack,
    String config,
    SortedMap<MountedKey, String> credentials,
    List<ObjectProblem> problems) {
  static final String CONTEXT_KEY = AlertmanagerPlan.class.getName();

  public static final int WEB_PORT = 9093;
  static final int MESH_PORT = 9094;

  public AlertmanagerPlan {
    credentials = Collections.unmodifiableSortedMap(new TreeMap<>(credentials));
    problems = List.copyOf(problems);
  }

  static AlertmanagerPlan of(
      MonitoringStack stack, List<AlertPolicy> policies, ReferencedValues values) {
    BuiltConfig<AlertmanagerConfig> result =
        AlertmanagerConfigBuilder.build(stack, policies, new AlertmanagerConfigInputs(values));
    SortedMap<MountedKey, String> credentials = new TreeMap<>();
    result.mountedKeys().forEach(key -> credentials.put(key, values.encoded(key).orElse("")));
    return new AlertmanagerPlan(
        stack,
        AlertmanagerConfigRenderer.renderString(result.config()),
        credentials,
        result.problems());
  }

  static AlertmanagerPlan of(Context<MonitoringStack> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, AlertmanagerPlan.class);
  }

  /** The schema's bound on Alertmanager replicas. */
  static final int MAX_REPLICAS = MonitoringStackValidator.MAX_ALERTMANAGER_REPLICAS;

  /**
   * Replicas within the schema's bounds; beyond them (schema bypassed) the stack is reported
   * invalid, and meanwhile nothing lists a million Alertmanager addresses.
   */
  static int replicas(MonitoringStack stack) {
    AlertmanagerSpec spec = stack.getSpec().alertmanager;
    return spec == null || spec.replicas == null
        ? 1
        : Math.max(1, Math.min(MAX_REPLICAS, spec.replicas));
  }

  /** {@code <stack>-alertmanager}: the StatefulSet and its governing Service. */
  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-alertmanager";
  }

  /** {@code host:port} of every replica, which every Prometheus shard sends its alerts to. */
  public static List<String> replicaAddresses(MonitoringStack stack) {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; AlertmanagerConfigBuilder.enabled(stack) && i < replicas(stack); i++) {
      addresses.add(replicaHost(stack, i) + ":" + WEB_PORT);
    }
    return addresses;
  }

  static String replicaHost(MonitoringStack stack, int replica) {
    return name(stack)
        + "-"
        + replica
        + "."
        + name(stack)
        + "."
        + stack.getMetadata().getNamespace()
        + ".svc";
  }

  public static String url(MonitoringStack stack) {
    return "http://" + name(stack) + "." + stack.getMetadata().getNamespace() + ".svc:" + WEB_PORT;
  }

  /** Problems of the stack's own Alertmanager settings, as sentences. */
  List<String> stackProblems() {
    return problems.stream()
        .filter(p -> "MonitoringStack".equals(p.kind()))
        .map(ObjectProblem::message)
        .toList();
  }
}
