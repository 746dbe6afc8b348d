package dev.vigil.reconcilers.monitors;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import dev.vigil.api.v1alpha1.common.NamespaceSelector;
import dev.vigil.api.v1alpha1.common.StackBinding;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblem;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.prometheus.HttpServiceDiscovery;
import dev.vigil.reconcilers.prometheus.PrometheusConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import dev.vigil.reconcilers.prometheus.PrometheusConfigInputs;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.selection.MonitorJobs;
import dev.vigil.reconcilers.sharding.ShardedJob;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.StackBindings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stacks make of a ServiceMonitor or PodMonitor, for its status: for each stack that
 * selects it, Accepted or the reason it was left out (the same checks the stack's own reconcile
 * makes); which stacks it is not selected by; how many targets it has. Answers "why is my monitor
 * not picked up" in {@code kubectl get}.
 */
public final class MonitorAcceptance {
  public static final String REASON_ACCEPTED = "Accepted";
  public static final String REASON_REJECTED = "Rejected";
  public static final String REASON_NOT_SELECTED = "NotSelected";
  public static final String REASON_NO_TARGETS = "NoTargets";
  public static final String REASON_UNKNOWN_PORT = "UnknownPort";
  public static final String REASON_SCRAPED = "TargetsFound";

  private final MonitoringState state;
  private final DeploymentSettings settings;
  private final Clock clock;

  public MonitorAcceptance(MonitoringState state, DeploymentSettings settings, Clock clock) {
    this.state = state;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Fills bindings and targets of {@code status} and sets the monitor's Accepted condition.
   *
   * @param previous the monitor's current status, or null, so unchanged conditions keep their
   *     transition times
   * @return what the monitor's Ready condition says
   */
  public Readiness judge(
      HasMetadata monitor,
      MonitorStatus previous,
      MonitorStatus status,
      Conditions conditions,
      ReferencedValues values) {
    long generation =
        monitor.getMetadata().getGeneration() == null ? 0 : monitor.getMetadata().getGeneration();
    List<String> notSelecting = new ArrayList<>();
    List<String> rejections = new ArrayList<>();
    int accepted = 0;
    for (MonitoringStack stack : state.stacks()) {
      String stackName = stack.getMetadata().getNamespace() + "/" + stack.getMetadata().getName();
      if (!state.selects(stack, monitor)) {
        notSelecting.add(stackName);
        continue;
      }
      StackBinding binding = new StackBinding();
      binding.namespace = stack.getMetadata().getNamespace();
      binding.name = stack.getMetadata().getName();
      Conditions bindingConditions =
          new Conditions(
              StackBindings.previousConditions(
                  previous == null ? null : previous.bindings, binding.namespace, binding.name),
              generation,
              clock);
      List<String> problems = problems(stack, monitor, values);
      if (problems.isEmpty()) {
        accepted++;
        bindingConditions.set(
            Conditions.ACCEPTED,
            Conditions.TRUE,
            REASON_ACCEPTED,
            "In the configuration of every shard of the stack.");
      } else {
        String message = String.join("; ", problems);
        rejections.add(stackName + ": " + message);
        bindingConditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_REJECTED, message);
      }
      binding.conditions = bindingConditions.build();
      status.bindings.add(binding);
    }
    MonitoringState.MonitorTargets targets =
        accepted == 0 ? MonitoringState.MonitorTargets.NONE : state.targets(monitor);
    status.targets = targets.scraped();

    if (status.bindings.isEmpty()) {
      String message =
          notSelecting.isEmpty()
              ? "No MonitoringStack exists in the watched namespaces."
              : "No MonitoringStack selects this monitor; the monitorSelector (labels of the"
                  + " monitor, labels of its namespace) of "
                  + String.join(", ", notSelecting)
                  + " does not match it.";
      conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_NOT_SELECTED, message);
      return Readiness.notReady(REASON_NOT_SELECTED, message);
    }
    List<String> portProblems = state.portProblems(monitor);
    if (accepted > 0 && !portProblems.isEmpty()) {
      // The job stays in the configuration, without targets: it scrapes as soon as the port exists.
      String message = String.join("; ", portProblems);
      conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_UNKNOWN_PORT, message);
      return Readiness.notReady(REASON_UNKNOWN_PORT, message);
    }
    if (accepted == 0) {
      String message = "Left out by every stack that selects it: " + String.join("; ", rejections);
      conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_REJECTED, message);
      return Readiness.notReady(REASON_REJECTED, message);
    }
    conditions.set(
        Conditions.ACCEPTED,
        Conditions.TRUE,
        REASON_ACCEPTED,
        "Accepted by "
            + accepted
            + " of the "
            + status.bindings.size()
            + " stack(s) that select it"
            + (rejections.isEmpty() ? "." : "; left out by " + String.join("; ", rejections))
            + confinement(monitor));
    String unevaluated = ShardedJob.unevaluatedNote(targets.unevaluated());
    if (status.targets == 0 && targets.discovered() > 0) {
      return Readiness.notReady(
          REASON_NO_TARGETS,
          "No targets: the endpoints' relabelings drop all "
              + targets.discovered()
              + " discovered target(s). Check the keep and drop rules against the targets'"
              + " __meta_kubernetes_* labels."
              + unevaluated);
    }
    if (status.targets == 0) {
      return Readiness.notReady(
          REASON_NO_TARGETS,
          "No targets: nothing in the selected namespaces matches the selector with a ready or"
              + " serving endpoint on the monitor's ports. Check the selector, namespaceSelector"
              + " and port names against the Services or Pods you mean.");
    }
    return Readiness.ready(
        REASON_SCRAPED,
        status.targets
            + " target(s) scraped, of "
            + targets.discovered()
            + " discovered"
            + (targets.discovered() > status.targets ? " (the rest dropped by relabeling)" : "")
            + unevaluated
            + ".");
  }

  /**
   * A note when the monitor is a tenant's with a namespaceSelector reaching beyond its namespace,
   * which discovery sets aside (docs/tenancy.md); empty otherwise.
   */
  private String confinement(HasMetadata monitor) {
    NamespaceSelector selector =
        monitor instanceof ServiceMonitor serviceMonitor
            ? serviceMonitor.getSpec().namespaceSelector
            : ((PodMonitor) monitor).getSpec().namespaceSelector;
    return MonitorJobs.confined(monitor, selector, settings.tenancy())
        ? " spec.namespaceSelector is ignored: outside the operator's platform namespaces a"
            + " monitor discovers targets in its own namespace ("
            + monitor.getMetadata().getNamespace()
            + ") only."
        : "";
  }

  /**
   * Why the stack would leave the monitor out of its configuration, or an empty list when it takes
   * it in: the checks the stack's own build makes, for one monitor.
   */
  private List<String> problems(
      MonitoringStack stack, HasMetadata monitor, ReferencedValues values) {
    PrometheusConfigInputs inputs =
        new PrometheusConfigInputs(
            settings.serviceDiscoveryUrl(),
            HttpServiceDiscovery.TOKEN_FILE,
            settings.serviceDiscoveryTls() ? HttpServiceDiscovery.CA_FILE : null,
            List.of(),
            List.of(),
            values,
            values,
            settings.tenancy());
    BuiltConfig<PrometheusConfig> result =
        PrometheusConfigBuilder.build(
            stack,
            0,
            monitor instanceof ServiceMonitor s ? List.of(s) : List.of(),
            monitor instanceof PodMonitor p ? List.of(p) : List.of(),
            inputs);
    return result.problems().stream()
        .filter(p -> p.kind().equals(monitor.getKind()))
        .map(ObjectProblem::message)
        .toList();
  }
}
