package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineStatus;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import dev.vigil.reconcilers.validation.TracingPipelineValidator;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reconciles TracingPipelines: OpenTelemetry collectors (a gateway Deployment or an agent
 * DaemonSet) on the configuration the renderers make, the read-only RBAC k8s_attributes needs, a
 * Jaeger backend when asked, and a status listing what applications should send to.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(
          type = CollectorConfigMap.class,
          reconcilePrecondition = PipelineConditions.Runnable.class),
      @Dependent(type = CollectorServiceAccount.class),
      @Dependent(
          name = CollectorClusterRole.NAME,
          type = CollectorClusterRole.class,
          reconcilePrecondition = PipelineConditions.K8sAttributesClusterWide.class),
      // A binding to a role that does not exist yet is refused (404): the role first.
      @Dependent(
          type = CollectorClusterRoleBinding.class,
          reconcilePrecondition = PipelineConditions.K8sAttributesClusterWide.class,
          dependsOn = CollectorClusterRole.NAME),
      @Dependent(
          name = CollectorRole.NAME,
          type = CollectorRole.class,
          reconcilePrecondition = PipelineConditions.K8sAttributesInNamespace.class),
      @Dependent(
          type = CollectorRoleBinding.class,
          reconcilePrecondition = PipelineConditions.K8sAttributesInNamespace.class,
          dependsOn = CollectorRole.NAME),
      @Dependent(
          type = CollectorDeployment.class,
          reconcilePrecondition = PipelineConditions.Gateway.class),
      @Dependent(
          type = CollectorDaemonSet.class,
          reconcilePrecondition = PipelineConditions.Agent.class),
      @Dependent(
          type = CollectorService.class,
          reconcilePrecondition = PipelineConditions.Runnable.class),
      @Dependent(
          type = CollectorPodDisruptionBudget.class,
          reconcilePrecondition = PipelineConditions.HighlyAvailableGateway.class),
      @Dependent(
          type = CollectorAutoscaler.class,
          reconcilePrecondition = PipelineConditions.Autoscaled.class),
      @Dependent(
          type = JaegerConfigMap.class,
          reconcilePrecondition = PipelineConditions.JaegerBackend.class),
      @Dependent(
          type = JaegerVolumeClaim.class,
          reconcilePrecondition = PipelineConditions.JaegerOnDisk.class),
      @Dependent(
          type = JaegerDeployment.class,
          reconcilePrecondition = PipelineConditions.JaegerBackend.class),
      @Dependent(
          type = JaegerService.class,
          reconcilePrecondition = PipelineConditions.JaegerBackend.class),
      @Dependent(
          type = CollectorNetworkPolicy.class,
          reconcilePrecondition = PipelineConditions.CollectorIsolated.class),
      @Dependent(
          type = JaegerNetworkPolicy.class,
          reconcilePrecondition = PipelineConditions.JaegerIsolated.class)
    })
@ControllerConfiguration(name = "tracingpipeline", fieldManager = "vigil")
public class TracingPipelineReconciler
    extends ValidatingReconciler<TracingPipeline, TracingPipelineStatus>
    implements Cleaner<TracingPipeline> {
  public static final String REASON_RUNNING = "Running";
  public static final String REASON_PROGRESSING = "Progressing";
  public static final String REASON_PARTS_LEFT_OUT = "ConfigPartsLeftOut";
  public static final String REASON_NOTHING_TO_RUN = "NothingToRun";

  private final Tenancy tenancy;

  /** The MonitoringStacks, for the query URL a Jaeger backend's Monitor reads span metrics from. */
  private InformerEventSource<MonitoringStack, TracingPipeline> stacks;

  /**
   * @param tenancy whether a pipeline's collectors may read the whole cluster (in a platform
   *     namespace) or its namespace only
   */
  public TracingPipelineReconciler(Clock clock, Tenancy tenancy) {
    super(clock, new TracingPipelineValidator(), TracingPipeline::new, TracingPipelineStatus::new);
    this.tenancy = tenancy;
  }

  @Override
  public List<EventSource<?, TracingPipeline>> prepareEventSources(
      EventSourceContext<TracingPipeline> context) {
    stacks = stacks(context);
    return List.of(stacks);
  }

  /**
   * A stack whose query URL appears or changes re-renders the Jaeger backend of every pipeline
   * whose Monitor names it, so a pipeline applied before its stack gets its Monitor within seconds.
   */
  private static InformerEventSource<MonitoringStack, TracingPipeline> stacks(
      EventSourceContext<TracingPipeline> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(MonitoringStack.class, TracingPipeline.class)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                stack ->
                    context
                        .getPrimaryCache()
                        .list(pipeline -> JaegerConfigBuilder.monitors(pipeline, stack))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(queryUrl(newer), queryUrl(older)))
            .build(),
        context);
  }

  private static String queryUrl(MonitoringStack stack) {
    return stack.getStatus() == null ? null : stack.getStatus().queryUrl;
  }

  @Override
  protected Readiness act(
      TracingPipeline pipeline,
      Context<TracingPipeline> context,
      TracingPipelineStatus status,
      Conditions conditions) {
    CollectorPlan plan =
        CollectorPlan.of(
            pipeline,
            context.getClient(),
            (namespace, name) ->
                stacks
                    .get(new ResourceID(name, namespace))
                    .map(TracingPipelineReconciler::queryUrl),
            tenancy);
    var workflow = context.managedWorkflowAndDependentResourceContext();
    workflow.put(CollectorPlan.CONTEXT_KEY, plan);
    workflow.reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();

    List<String> problems = plan.problems();
    if (plan.collectorConfig() == null) {
      String message =
          "Nothing to run: no receiver or no exporter could be rendered"
              + (problems.isEmpty() ? "." : ": " + String.join("; ", problems));
      warnOnce(pipeline, context, REASON_NOTHING_TO_RUN, message);
      return Readiness.notReady(REASON_NOTHING_TO_RUN, message);
    }
    status.endpoints = endpoints(pipeline, plan.collector().ports());
    int[] replicas = replicas(pipeline, context);
    status.replicas = replicas[0];
    status.readyReplicas = replicas[1];
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems);
      warnOnce(pipeline, context, REASON_PARTS_LEFT_OUT, message);
      return Readiness.notReady(REASON_PARTS_LEFT_OUT, message);
    }
    if (replicas[0] == 0 || replicas[1] < replicas[0]) {
      return Readiness.notReady(
          REASON_PROGRESSING,
          "Waiting for collectors to be ready (" + replicas[1] + "/" + replicas[0] + ").");
    }
    return Readiness.ready(
        REASON_RUNNING,
        replicas[1] + " collector(s) ready; send spans to " + status.endpoints.otlpGrpc + ".");
  }

  @Override
  public DeleteControl cleanup(TracingPipeline pipeline, Context<TracingPipeline> context) {
    // The ClusterRole and its binding cannot be owned by a namespaced pipeline: delete them here.
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    return DeleteControl.defaultDelete();
  }

  /**
   * What applications send to, and the Jaeger UI; each only when enabled: {@code status.endpoints}
   * of {@code pipeline} whose collectors listen on {@code listening} ({@link
   * CollectorConfigBuilder.Result#ports()}). Pure.
   */
  public static TracingPipelineStatus.Endpoints endpoints(
      TracingPipeline pipeline, List<CollectorConfigBuilder.ListenPort> listening) {
    Map<String, Integer> ports =
        listening.stream()
            .collect(
                Collectors.toMap(
                    CollectorConfigBuilder.ListenPort::name,
                    CollectorConfigBuilder.ListenPort::port));
    String host =
        CollectorPlan.collectorName(pipeline)
            + "."
            + pipeline.getMetadata().getNamespace()
            + ".svc";
    TracingPipelineStatus.Endpoints endpoints = new TracingPipelineStatus.Endpoints();
    endpoints.otlpGrpc =
        ports.containsKey("otlp-grpc") ? host + ":" + ports.get("otlp-grpc") : null;
    endpoints.otlpHttp =
        ports.containsKey("otlp-http") ? "http://" + host + ":" + ports.get("otlp-http") : null;
    endpoints.jaegerGrpc =
        ports.containsKey("jaeger-grpc") ? host + ":" + ports.get("jaeger-grpc") : null;
    endpoints.jaegerThriftHttp =
        ports.containsKey("jaeger-thrift")
            ? "http://" + host + ":" + ports.get("jaeger-thrift") + "/api/traces"
            : null;
    endpoints.jaegerThriftCompact =
        ports.containsKey("jaeger-compact") ? host + ":" + ports.get("jaeger-compact") : null;
    endpoints.jaegerThriftBinary =
        ports.containsKey("jaeger-binary") ? host + ":" + ports.get("jaeger-binary") : null;
    endpoints.zipkin =
        ports.containsKey("zipkin")
            ? "http://" + host + ":" + ports.get("zipkin") + "/api/v2/spans"
            : null;
    endpoints.jaegerUi =
        JaegerConfigBuilder.enabled(pipeline) ? JaegerService.uiUrl(pipeline) : null;
    return endpoints;
  }

  /** Desired and ready collector pods, from the Deployment or DaemonSet. */
  private static int[] replicas(TracingPipeline pipeline, Context<TracingPipeline> context) {
    String name = CollectorPlan.collectorName(pipeline);
    if (CollectorPlan.gateway(pipeline)) {
      return context
          .getSecondaryResourcesAsStream(Deployment.class)
          .filter(d -> d.getMetadata().getName().equals(name) && d.getStatus() != null)
          .map(
              d ->
                  new int[] {
                    d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
                    d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas()
                  })
          .findFirst()
          .orElse(new int[] {0, 0});
    }
    return context
        .getSecondaryResourcesAsStream(DaemonSet.class)
        .filter(d -> d.getMetadata().getName().equals(name) && d.getStatus() != null)
        .map(
            d ->
                new int[] {
                  d.getStatus().getDesiredNumberScheduled() == null
                      ? 0
                      : d.getStatus().getDesiredNumberScheduled(),
                  d.getStatus().getNumberReady() == null ? 0 : d.getStatus().getNumberReady()
                })
        .findFirst()
        .orElse(new int[] {0, 0});
  }
}
