package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec;
import dev.vigil.api.v1alpha1.logpipeline.LogPipelineStatus;
import dev.vigil.reconcilers.collector.LogAgentConfigBuilder;
import dev.vigil.reconcilers.references.ReferenceWatches;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import dev.vigil.reconcilers.validation.LogPipelineValidator;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reconciles LogPipelines: node agents (a collector DaemonSet in the agents' namespace) on the
 * configuration {@link LogPlan} renders, the read access their {@code k8s_attributes} needs, a
 * VictoriaLogs when asked, and a status with the agents, the backends and where to query. The
 * namespaces a label selector picks are resolved from a watch of the namespaces, so a namespace
 * labelled later is read from then on.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = AgentConfigMap.class, reconcilePrecondition = LogConditions.Runnable.class),
      @Dependent(
          type = AgentCredentials.class,
          reconcilePrecondition = LogConditions.Credentials.class),
      @Dependent(
          type = AgentServiceAccount.class,
          reconcilePrecondition = LogConditions.Runnable.class),
      @Dependent(
          name = AgentClusterRole.NAME,
          type = AgentClusterRole.class,
          reconcilePrecondition = LogConditions.ClusterWide.class),
      @Dependent(
          type = AgentClusterRoleBinding.class,
          reconcilePrecondition = LogConditions.ClusterWide.class,
          dependsOn = AgentClusterRole.NAME),
      @Dependent(
          name = AgentRole.NAME,
          type = AgentRole.class,
          reconcilePrecondition = LogConditions.InNamespace.class),
      @Dependent(
          type = AgentRoleBinding.class,
          reconcilePrecondition = LogConditions.InNamespace.class,
          dependsOn = AgentRole.NAME),
      @Dependent(
          type = VictoriaLogsStatefulSet.class,
          reconcilePrecondition = LogConditions.VictoriaLogs.class),
      @Dependent(
          type = VictoriaLogsService.class,
          reconcilePrecondition = LogConditions.VictoriaLogs.class),
      @Dependent(type = AgentDaemonSet.class, reconcilePrecondition = LogConditions.Runnable.class)
    })
@ControllerConfiguration(name = "logpipeline", fieldManager = "vigil")
public class LogPipelineReconciler extends ValidatingReconciler<LogPipeline, LogPipelineStatus>
    implements Cleaner<LogPipeline> {
  public static final String REASON_RUNNING = "Running";
  public static final String REASON_PROGRESSING = "Progressing";
  public static final String REASON_PARTS_LEFT_OUT = "ConfigPartsLeftOut";
  public static final String REASON_NOTHING_TO_RUN = "NothingToRun";

  private static final String AGENTS_NAMESPACE_KEY = "logpipeline.agentsNamespace";

  private final Tenancy tenancy;
  private final String agentsNamespace;
  private final ReferenceWatches<LogPipeline> references = new ReferenceWatches<>();
  private InformerEventSource<Namespace, LogPipeline> namespaces;

  /**
   * @param tenancy whether a pipeline may read other namespaces' logs (in a platform namespace) or
   *     its own only
   * @param agentsNamespace where every pipeline's agents run: the operator's own namespace, a
   *     platform namespace that admits host paths
   */
  public LogPipelineReconciler(Clock clock, Tenancy tenancy, String agentsNamespace) {
    super(clock, new LogPipelineValidator(), LogPipeline::new, LogPipelineStatus::new);
    this.tenancy = tenancy;
    this.agentsNamespace = Objects.requireNonNull(agentsNamespace, "agentsNamespace");
  }

  /** The agents' namespace, which the objects made there read from the reconcile's context. */
  static String agentsNamespace(Context<LogPipeline> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(AGENTS_NAMESPACE_KEY, String.class);
  }

  @Override
  public List<EventSource<?, LogPipeline>> prepareEventSources(
      EventSourceContext<LogPipeline> context) {
    // A namespace's labels decide whether a selector picks it: a change re-renders the pipelines
    // that select namespaces by label or read them all (new namespaces' files match their glob).
    namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, LogPipeline.class)
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    namespace ->
                        context
                            .getPrimaryCache()
                            .list(LogPipelineReconciler::selectsNamespacesByLabel)
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(namespaces, references);
  }

  private static boolean selectsNamespacesByLabel(LogPipeline pipeline) {
    LogPipelineSpec spec = pipeline.getSpec();
    return spec != null
        && spec.select != null
        && spec.select.namespaces != null
        && spec.select.namespaces.selector != null;
  }

  @Override
  protected Readiness act(
      LogPipeline pipeline,
      Context<LogPipeline> context,
      LogPipelineStatus status,
      Conditions conditions) {
    ReferencedValues values = new ReferencedValues(context.getClient());
    LogPlan plan =
        LogPlan.of(
            pipeline,
            values,
            namespaces.list().toList(),
            agentsNamespace,
            tenancy.isPlatform(pipeline.getMetadata().getNamespace()));
    var workflow = context.managedWorkflowAndDependentResourceContext();
    workflow.put(LogPlan.CONTEXT_KEY, plan);
    workflow.put(AGENTS_NAMESPACE_KEY, agentsNamespace);
    workflow.reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();
    references.watch(context, pipeline, values.objectsRead());

    List<String> problems = plan.problems();
    status.namespaces = plan.namespaces() == null ? List.of("*") : List.copyOf(plan.namespaces());
    if (plan.agentConfig() == null) {
      String message =
          "Nothing to run: no backend could be rendered"
              + (problems.isEmpty() ? "." : ": " + String.join("; ", problems));
      warnOnce(pipeline, context, REASON_NOTHING_TO_RUN, message);
      return Readiness.notReady(REASON_NOTHING_TO_RUN, message);
    }
    status.backends = backends(pipeline, plan);
    status.queryUrl =
        LogPlan.victoriaLogs(pipeline) == null
            ? null
            : LogPlan.victoriaLogsUrl(pipeline) + "/select/logsql/query";
    status.agents = new LogPipelineStatus.Agents();
    status.agents.daemonSet = agentsNamespace + "/" + LogPlan.agentName(pipeline);
    DaemonSet agents =
        context
            .getSecondaryResourcesAsStream(DaemonSet.class)
            .filter(d -> d.getMetadata().getName().equals(LogPlan.agentName(pipeline)))
            .findFirst()
            .orElse(null);
    int desired = 0;
    int ready = 0;
    if (agents != null && agents.getStatus() != null) {
      desired = Objects.requireNonNullElse(agents.getStatus().getDesiredNumberScheduled(), 0);
      ready = Objects.requireNonNullElse(agents.getStatus().getNumberReady(), 0);
    }
    status.agents.desired = desired;
    status.agents.ready = ready;
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems);
      warnOnce(pipeline, context, REASON_PARTS_LEFT_OUT, message);
      return Readiness.notReady(REASON_PARTS_LEFT_OUT, message);
    }
    if (desired == 0 || ready < desired) {
      return Readiness.notReady(
          REASON_PROGRESSING,
          "Waiting for the agents to be ready (" + ready + "/" + desired + ").");
    }
    if (LogPlan.victoriaLogs(pipeline) != null && !victoriaLogsReady(pipeline, context)) {
      return Readiness.notReady(REASON_PROGRESSING, "Waiting for VictoriaLogs to be ready.");
    }
    return Readiness.ready(
        REASON_RUNNING,
        ready
            + " agent(s) ready, sending to "
            + status.backends.stream().map(b -> b.name).collect(Collectors.joining(", "))
            + ".");
  }

  @Override
  public DeleteControl cleanup(LogPipeline pipeline, Context<LogPipeline> context) {
    // The agents' objects are in another namespace and the ClusterRole in none: delete them here.
    references.forget(ResourceID.fromResource(pipeline));
    context.managedWorkflowAndDependentResourceContext().put(AGENTS_NAMESPACE_KEY, agentsNamespace);
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    return DeleteControl.defaultDelete();
  }

  private static List<LogPipelineStatus.Backend> backends(LogPipeline pipeline, LogPlan plan) {
    List<LogPipelineStatus.Backend> backends = new ArrayList<>();
    plan.agent()
        .config()
        .exporters()
        .forEach(
            (id, exporter) -> {
              LogPipelineStatus.Backend backend = new LogPipelineStatus.Backend();
              backend.name = LogAgentConfigBuilder.backendName(id);
              backend.endpoint =
                  exporter instanceof dev.vigil.reconcilers.collector.CollectorConfig.OtlpExporter o
                      ? o.endpoint()
                      : null;
              backends.add(backend);
            });
    return backends;
  }

  private static boolean victoriaLogsReady(LogPipeline pipeline, Context<LogPipeline> context) {
    return context
        .getSecondaryResourcesAsStream(StatefulSet.class)
        .filter(s -> s.getMetadata().getName().equals(LogPlan.victoriaLogsName(pipeline)))
        .anyMatch(
            s ->
                s.getStatus() != null
                    && Objects.requireNonNullElse(s.getStatus().getReadyReplicas(), 0) >= 1);
  }
}
