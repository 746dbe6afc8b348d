package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackStatus;
import dev.vigil.api.v1alpha1.monitoringstack.ShardAutoscalingSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardStatus;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.discovery.NamespaceSelection;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.ShardAutoscaling;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.references.ReferenceWatches;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.rules.ExpressionCheck;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import dev.vigil.reconcilers.selection.MonitorSelection;
import dev.vigil.reconcilers.sharding.ShardedJob;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import dev.vigil.reconcilers.validation.MonitoringStackValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reconciles MonitoringStacks: from the stack and the monitors it selects, the Prometheus shards
 * (config Secrets, StatefulSets, Services, PDBs), the reloader's access, Thanos when asked, and a
 * status saying what runs and what it scrapes.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = ServiceDiscoveryTokenSecret.class),
      @Dependent(type = PrometheusConfigSecret.class),
      @Dependent(type = PrometheusCredentialsSecret.class),
      @Dependent(type = PrometheusRuleConfigMap.class),
      @Dependent(type = PrometheusServiceAccount.class),
      @Dependent(name = ReloaderRole.NAME, type = ReloaderRole.class),
      // A binding to a role that does not exist yet is refused (404): roles first.
      @Dependent(type = ReloaderRoleBinding.class, dependsOn = ReloaderRole.NAME),
      @Dependent(type = PrometheusGoverningService.class),
      @Dependent(type = PrometheusStatefulSet.class),
      @Dependent(type = PrometheusPodDisruptionBudget.class),
      @Dependent(type = PrometheusQueryService.class),
      @Dependent(
          type = AlertmanagerConfigSecret.class,
          reconcilePrecondition = AlertmanagerEnabled.class),
      @Dependent(
          type = AlertmanagerCredentialsSecret.class,
          reconcilePrecondition = AlertmanagerEnabled.class),
      @Dependent(
          type = AlertmanagerService.class,
          reconcilePrecondition = AlertmanagerEnabled.class),
      @Dependent(
          type = AlertmanagerStatefulSet.class,
          reconcilePrecondition = AlertmanagerEnabled.class),
      @Dependent(
          type = AlertmanagerPodDisruptionBudget.class,
          reconcilePrecondition = AlertmanagerHighlyAvailable.class),
      @Dependent(
          type = NodeExporterDaemonSet.class,
          reconcilePrecondition = NodeAgentEnabled.class),
      @Dependent(
          type = KubeStateMetricsServiceAccount.class,
          reconcilePrecondition = KubeStateMetricsEnabled.class),
      @Dependent(
          name = KubeStateMetricsClusterRole.NAME,
          type = KubeStateMetricsClusterRole.class,
          reconcilePrecondition = KubeStateMetricsClusterWide.class),
      @Dependent(
          type = KubeStateMetricsClusterRoleBinding.class,
          reconcilePrecondition = KubeStateMetricsClusterWide.class,
          dependsOn = KubeStateMetricsClusterRole.NAME),
      @Dependent(
          name = KubeStateMetricsRole.NAME,
          type = KubeStateMetricsRole.class,
          reconcilePrecondition = KubeStateMetricsNamespaced.class),
      @Dependent(
          type = KubeStateMetricsRoleBinding.class,
          reconcilePrecondition = KubeStateMetricsNamespaced.class,
          dependsOn = KubeStateMetricsRole.NAME),
      @Dependent(
          type = KubeStateMetricsDeployment.class,
          reconcilePrecondition = KubeStateMetricsEnabled.class),
      @Dependent(
          type = GrafanaAdminSecret.class,
          reconcilePrecondition = GrafanaNeedsAdminSecret.class),
      @Dependent(
          type = GrafanaProvisioningConfigMap.class,
          reconcilePrecondition = GrafanaEnabled.class),
      @Dependent(
          type = GrafanaDashboardsConfigMap.class,
          reconcilePrecondition = GrafanaEnabled.class),
      @Dependent(type = GrafanaVolumeClaim.class, reconcilePrecondition = GrafanaOnDisk.class),
      @Dependent(type = GrafanaDeployment.class, reconcilePrecondition = GrafanaEnabled.class),
      @Dependent(type = GrafanaService.class, reconcilePrecondition = GrafanaEnabled.class),
      @Dependent(type = ThanosQueryDeployment.class, reconcilePrecondition = ThanosEnabled.class),
      @Dependent(type = ThanosQueryService.class, reconcilePrecondition = ThanosEnabled.class),
      @Dependent(
          type = PrometheusNetworkPolicy.class,
          reconcilePrecondition = NetworkPolicies.Enabled.class),
      @Dependent(
          type = AlertmanagerNetworkPolicy.class,
          reconcilePrecondition = NetworkPolicies.ForAlertmanager.class),
      @Dependent(
          type = GrafanaNetworkPolicy.class,
          reconcilePrecondition = NetworkPolicies.ForGrafana.class),
      @Dependent(
          type = KubeStateMetricsNetworkPolicy.class,
          reconcilePrecondition = NetworkPolicies.ForKubeStateMetrics.class),
      @Dependent(
          type = ThanosQueryNetworkPolicy.class,
          reconcilePrecondition = NetworkPolicies.ForThanosQuery.class)
    })
// Referenced Secrets are read by name on demand and watched by name (ReferenceWatches), never
// listed: watching every Secret is what makes other operators run out of memory.
@ControllerConfiguration(
    name = "monitoringstack",
    fieldManager = "vigil",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class MonitoringStackReconciler
    extends ValidatingReconciler<MonitoringStack, MonitoringStackStatus>
    implements Cleaner<MonitoringStack> {
  public static final String REASON_RUNNING = "Running";
  public static final String REASON_PROGRESSING = "Progressing";
  public static final String REASON_PARTS_LEFT_OUT = "ConfigPartsLeftOut";

  /**
   * Where the stack may select from: every namespace its selectors name (a platform stack), or its
   * own namespace only (a tenant's stack, docs/tenancy.md).
   */
  public static final String NAMESPACE_SCOPE = "NamespaceScope";

  public static final String REASON_PLATFORM_STACK = "PlatformStack";
  public static final String REASON_TENANT_STACK = "TenantStack";

  public static final String DASHBOARDS = "Dashboards";
  public static final String REASON_DASHBOARDS_LOADED = "Loaded";
  public static final String REASON_DASHBOARDS_SKIPPED = "DashboardsSkipped";

  private final MonitoringState state;
  private final DeploymentSettings settings;
  private final ExpressionCheck expressions;

  /** Discovery's changes to what a stack selects, at most one event per stack and 2 s. */
  private final SimpleInboundEventSource<MonitoringStack> discoveryChanges;

  private final ReferenceWatches<MonitoringStack> references = new ReferenceWatches<>();
  private InformerEventSource<TracingPipeline, MonitoringStack> tracingPipelines;
  private InformerEventSource<LogPipeline, MonitoringStack> logPipelines;

  /**
   * @param expressions checks every rule's PromQL before it ships
   */
  public MonitoringStackReconciler(
      Clock clock,
      MonitoringState state,
      DeploymentSettings settings,
      ExpressionCheck expressions) {
    super(clock, new MonitoringStackValidator(), MonitoringStack::new, MonitoringStackStatus::new);
    this.state = state;
    this.settings = settings;
    this.expressions = expressions;
    this.discoveryChanges = new StackDiscoveryEvents(state);
  }

  @Override
  public List<EventSource<?, MonitoringStack>> prepareEventSources(
      EventSourceContext<MonitoringStack> context) {
    tracingPipelines = pipelines(TracingPipeline.class, context);
    logPipelines = pipelines(LogPipeline.class, context);
    return List.of(
        discoveryChanges,
        references,
        tracingPipelines,
        logPipelines,
        new DashboardConfigMapEvents(context, state));
  }

  /**
   * The pipelines whose backends a stack's Grafana lists as data sources: a pipeline created,
   * deleted or changed (a new generation, not a status update) re-renders the provisioning of every
   * stack that runs a Grafana, within a second instead of at the next periodic reconcile.
   */
  private static <P extends HasMetadata> InformerEventSource<P, MonitoringStack> pipelines(
      Class<P> type, EventSourceContext<MonitoringStack> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, MonitoringStack.class)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                pipeline ->
                    context
                        .getPrimaryCache()
                        .list(GrafanaEnabled::enabled)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter(
                (newer, older) ->
                    !Objects.equals(
                        newer.getMetadata().getGeneration(), older.getMetadata().getGeneration()))
            .build(),
        context);
  }

  /** kube-state-metrics' cluster RBAC cannot be owned by a namespaced stack: deleted here. */
  @Override
  public DeleteControl cleanup(MonitoringStack stack, Context<MonitoringStack> context) {
    references.forget(ResourceID.fromResource(stack));
    if (stack.getMetadata().getUid() != null) {
      scaled.remove(stack.getMetadata().getUid());
    }
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    return DeleteControl.defaultDelete();
  }

  /** Says whether the stack is the platform's or a tenant's, and what a tenant's stack ignores. */
  private void scope(
      MonitoringStack stack, Context<MonitoringStack> context, Conditions conditions) {
    String namespace = stack.getMetadata().getNamespace();
    if (settings.tenancy().isPlatform(namespace)) {
      conditions.set(
          NAMESPACE_SCOPE,
          Conditions.TRUE,
          REASON_PLATFORM_STACK,
          settings.tenancy().namespaceOptIn()
              ? "A platform stack: it selects monitors and policies where its selectors say, in its"
                  + " own namespace and in namespaces annotated "
                  + NamespaceSelection.OptedIn.SELECTABLE_BY
                  + ": "
                  + namespace
                  + "/"
                  + stack.getMetadata().getName()
                  + " (or *)."
              : "A platform stack: it selects monitors and policies wherever its selectors say.");
      return;
    }
    List<String> ignored = new ArrayList<>();
    if (MonitorSelection.confined(stack.getSpec().monitorSelector, stack, settings.tenancy())) {
      ignored.add("spec.monitorSelector.namespaceSelector");
    }
    if (MonitorSelection.confined(stack.getSpec().policySelector, stack, settings.tenancy())) {
      ignored.add("spec.policySelector.namespaceSelector");
    }
    String message =
        "A tenant's stack: "
            + namespace
            + " is not one of the operator's platform namespaces, so the stack selects monitors"
            + " and policies in "
            + namespace
            + " only"
            + (ignored.isEmpty() ? "." : "; " + String.join(" and ", ignored) + " are ignored.")
            + " A platform admin can add the namespace to --platform-namespaces.";
    conditions.set(NAMESPACE_SCOPE, Conditions.TRUE, REASON_TENANT_STACK, message);
    if (!ignored.isEmpty()) {
      warnOnce(stack, context, NAMESPACE_SCOPE, REASON_TENANT_STACK, message);
    }
  }

  /** The workflow runs only for a valid stack, so a bad spec never deploys anything. */
  @Override
  protected Readiness act(
      MonitoringStack stack,
      Context<MonitoringStack> context,
      MonitoringStackStatus status,
      Conditions conditions) {
    String scaled = autoscale(stack, context, status);
    ReferencedValues values = new ReferencedValues(context.getClient());
    ShardRetention retention =
        ShardRetention.of(stack, Shards.of(stack), shardsRunning(context), clock.instant());
    ScraperPlan plan =
        ScraperPlan.of(
            stack,
            settings,
            state.serviceMonitors(stack),
            state.podMonitors(stack),
            StackRules.of(state.policies(stack), expressions, NamespaceEnforcement.of(stack)),
            values,
            retention.shards());
    var workflow = context.managedWorkflowAndDependentResourceContext();
    workflow.put(ScraperPlan.CONTEXT_KEY, plan);
    workflow.put(RETENTION_KEY, retention);
    status.retainedShards = retention.retained().isEmpty() ? null : retention.retained();
    status.selector = servingSelector(stack, plan.shards());
    scope(stack, context, conditions);
    AlertmanagerPlan alerting = null;
    if (AlertmanagerConfigBuilder.enabled(stack)) {
      alerting = AlertmanagerPlan.of(stack, state.policies(stack), values);
      workflow.put(AlertmanagerPlan.CONTEXT_KEY, alerting);
      status.alertmanagerUrl = AlertmanagerPlan.url(stack);
    }
    // A rotated token or receiver key reaches the credentials Secrets as soon as it changes.
    references.watch(context, stack, values.objectsRead());
    if (GrafanaEnabled.enabled(stack)) {
      GrafanaPlan grafana =
          GrafanaPlan.of(
              stack,
              state,
              context.getClient(),
              tracingPipelines.list().toList(),
              logPipelines.list().toList());
      workflow.put(GrafanaPlan.CONTEXT_KEY, grafana);
      status.grafanaUrl = GrafanaService.url(stack);
      status.dashboards = grafana.dashboardCount();
      if (grafana.problems().isEmpty()) {
        conditions.set(
            DASHBOARDS,
            Conditions.TRUE,
            REASON_DASHBOARDS_LOADED,
            grafana.dashboardCount() + " dashboard(s) provisioned.");
      } else {
        // A bad dashboard ConfigMap is skipped; the rest load and the stack stays Ready.
        String message =
            "Skipped: " + firstProblems(grafana.problems()) + "; the other dashboards load.";
        conditions.set(DASHBOARDS, Conditions.FALSE, REASON_DASHBOARDS_SKIPPED, message);
        warnOnce(stack, context, DASHBOARDS, REASON_DASHBOARDS_SKIPPED, message);
      }
    }
    workflow.reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();

    Map<String, StatefulSet> statefulSets = new HashMap<>();
    context
        .getSecondaryResourcesAsStream(StatefulSet.class)
        .forEach(s -> statefulSets.put(s.getMetadata().getName(), s));
    MonitoringState.StackTargets scraped = state.targets(stack, plan.jobs());
    int[] targets = scraped.perShard();
    int replicas =
        stack.getSpec().scraper == null || stack.getSpec().scraper.replicas == null
            ? 1
            : stack.getSpec().scraper.replicas;
    List<String> waiting = new ArrayList<>();
    status.shards = plan.shards();
    status.monitors = plan.monitors();
    status.policies = plan.rules().policies();
    status.rules = plan.rules().rules();
    status.targets = 0;
    for (int shard = 0; shard < plan.shards(); shard++) {
      ShardStatus shardStatus = new ShardStatus();
      shardStatus.shard = shard;
      shardStatus.targets = shard < targets.length ? targets[shard] : 0;
      shardStatus.readyReplicas =
          readyReplicas(statefulSets.get(PrometheusStatefulSet.name(stack, shard)));
      if (shardStatus.readyReplicas < replicas) {
        waiting.add("shard " + shard + " " + shardStatus.readyReplicas + "/" + replicas);
      }
      status.targets += shardStatus.targets;
      status.shardStatuses.add(shardStatus);
    }
    Optional<MonitoringState.ShardSeries> series = state.series(stack);
    if (series.isPresent()) {
      long[] perShard = series.get().perShard();
      for (ShardStatus shardStatus : status.shardStatuses) {
        if (shardStatus.shard < perShard.length && perShard[shardStatus.shard] >= 0) {
          shardStatus.series = perShard[shardStatus.shard];
        }
      }
      status.movedTargets = series.get().moved();
    }
    status.queryUrl =
        PrometheusStatefulSet.thanosEnabled(stack)
            ? ThanosQueryService.url(stack)
            : PrometheusQueryService.url(stack);
    if (PrometheusStatefulSet.thanosEnabled(stack)) {
      // The query URL names Thanos Query: the stack is not ready to answer before it is.
      Deployment query =
          context
              .getSecondaryResourcesAsStream(Deployment.class)
              .filter(d -> d.getMetadata().getName().equals(ThanosQueryDeployment.name(stack)))
              .findFirst()
              .orElse(null);
      int ready =
          readyReplicas(
              query == null || query.getStatus() == null
                  ? null
                  : query.getStatus().getReadyReplicas());
      if (ready < ThanosQueryDeployment.replicas(stack)) {
        waiting.add("thanos query " + ready + "/" + ThanosQueryDeployment.replicas(stack));
      }
    }

    if (alerting != null) {
      int ready = readyReplicas(statefulSets.get(AlertmanagerPlan.name(stack)));
      if (ready < AlertmanagerPlan.replicas(stack)) {
        waiting.add("alertmanager " + ready + "/" + AlertmanagerPlan.replicas(stack));
      }
    }
    List<String> stackProblems = new ArrayList<>(plan.stackProblems());
    if (alerting != null) {
      stackProblems.addAll(alerting.stackProblems());
    }
    if (!stackProblems.isEmpty()) {
      String message = String.join("; ", stackProblems);
      warnOnce(stack, context, REASON_PARTS_LEFT_OUT, message);
      return Readiness.notReady(REASON_PARTS_LEFT_OUT, message);
    }
    int leftOut = plan.problems().size() - plan.stackProblems().size();
    String scraping =
        "scraping "
            + status.targets
            + " targets of "
            + plan.monitors()
            + " monitors over "
            + plan.shards()
            + " shard(s)"
            + (leftOut == 0
                ? ""
                : "; "
                    + leftOut
                    + " monitor problem(s) left parts out, see the monitors' Accepted"
                    + " condition")
            + ShardedJob.unevaluatedNote(scraped.unevaluated())
            + retention.note();
    scraping += scaled;
    if (!waiting.isEmpty()) {
      return Readiness.notReady(
          REASON_PROGRESSING,
          "Waiting for pods to be ready (" + String.join(", ", waiting) + "); " + scraping + ".");
    }
    return Readiness.ready(REASON_RUNNING, "Prometheus is " + scraping + ".");
  }

  /**
   * Applies {@code scraper.autoscaling} to the stack's last complete series reading: a new count is
   * recorded in the status (and in this reconcile's copy of the stack, so every object made below
   * has it) with its time, and told in an Event. Says what autoscaling decided, for Ready; empty
   * without autoscaling.
   */
  private String autoscale(
      MonitoringStack stack, Context<MonitoringStack> context, MonitoringStackStatus status) {
    ShardAutoscalingSpec policy =
        stack.getSpec().scraper == null ? null : stack.getSpec().scraper.autoscaling;
    MonitoringStackStatus was = stack.getStatus();
    status.shardsChangedAt = was == null ? null : was.shardsChangedAt;
    if (policy == null) {
      return "";
    }
    String uid = stack.getMetadata().getUid();
    Scaled last = uid == null ? null : scaled.get(uid);
    if (last != null
        && (status.shardsChangedAt == null
            || Instant.parse(status.shardsChangedAt).isBefore(Instant.parse(last.at())))) {
      // A copy from before this reconciler's last decision was written back: take that decision.
      if (stack.getStatus() == null) {
        stack.setStatus(new MonitoringStackStatus());
      }
      stack.getStatus().shards = last.shards();
      status.shardsChangedAt = last.at();
    }
    int current = Shards.of(stack);
    Optional<MonitoringState.ShardSeries> series = state.series(stack);
    if (series.isEmpty() || !series.get().complete() || series.get().perShard().length != current) {
      return "; autoscaling waits for a reading of every shard";
    }
    Instant now = clock.instant();
    ShardAutoscaling.Decision decision =
        ShardAutoscaling.decide(
            policy,
            current,
            series.get().total(),
            status.shardsChangedAt == null ? null : Instant.parse(status.shardsChangedAt),
            now);
    if (decision.shards() != current) {
      if (stack.getStatus() == null) {
        stack.setStatus(new MonitoringStackStatus());
      }
      stack.getStatus().shards = decision.shards();
      status.shardsChangedAt = now.truncatedTo(ChronoUnit.SECONDS).toString();
      if (uid != null) {
        scaled.put(uid, new Scaled(decision.shards(), status.shardsChangedAt));
      }
      tell(stack, context, REASON_SHARDS_SCALED, "Autoscaling: " + decision.why() + ".");
    }
    return "; autoscaling: " + decision.why();
  }

  public static final String REASON_SHARDS_SCALED = "ShardsScaled";

  /**
   * Each stack's last autoscaling decision, by uid: a reconcile that runs on a copy of the stack
   * older than the status that decision wrote (the next event came before the write was seen) takes
   * it instead of deciding, and telling, again.
   */
  private final Map<String, Scaled> scaled = new ConcurrentHashMap<>();

  private record Scaled(int shards, String at) {}

  /** Where {@link #act} leaves the reconcile's {@link ShardRetention} for {@link #reconcile}. */
  private static final String RETENTION_KEY = ShardRetention.class.getName();

  /**
   * As every Vigil reconciler, and again when the first retained shard's window ends, so it is
   * deleted then and not at the next periodic reconcile.
   */
  @Override
  public UpdateControl<MonitoringStack> reconcile(
      MonitoringStack stack, Context<MonitoringStack> context) {
    UpdateControl<MonitoringStack> control = super.reconcile(stack, context);
    var retention =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(RETENTION_KEY, ShardRetention.class);
    if (retention.isEmpty()) {
      // An invalid spec deploys and deletes nothing: the retained shards and their windows stay,
      // as does the count autoscaling chose.
      control.getResource().ifPresent(patch -> keepShardRecords(stack, patch));
      return control;
    }
    retention
        .get()
        .nextDeadline()
        // A moment past the deadline, so the reconcile finds the window over.
        .ifPresent(wait -> control.rescheduleAfter(wait.toMillis() + 100));
    return control;
  }

  /** A failed reconcile deletes nothing either: its status keeps the retained shards' windows. */
  @Override
  public ErrorStatusUpdateControl<MonitoringStack> updateErrorStatus(
      MonitoringStack stack, Context<MonitoringStack> context, Exception e) {
    ErrorStatusUpdateControl<MonitoringStack> control = super.updateErrorStatus(stack, context, e);
    control.getResource().ifPresent(patch -> keepShardRecords(stack, patch));
    return control;
  }

  /**
   * What a reconcile that did not run the workflow carries over: the retained shards' windows and
   * the count autoscaling chose (without which the stack would fall back to {@code
   * scraper.shards}).
   */
  private static void keepShardRecords(MonitoringStack stack, MonitoringStack patch) {
    if (stack.getStatus() != null && patch.getStatus() != null) {
      patch.getStatus().retainedShards = stack.getStatus().retainedShards;
      patch.getStatus().shards = stack.getStatus().shards;
      patch.getStatus().shardsChangedAt = stack.getStatus().shardsChangedAt;
    }
  }

  /** The shards of the stack whose Prometheus StatefulSet exists, in service or not. */
  private static List<Integer> shardsRunning(Context<MonitoringStack> context) {
    List<Integer> shards = new ArrayList<>();
    context
        .getSecondaryResourcesAsStream(StatefulSet.class)
        .map(s -> s.getMetadata().getLabels())
        .filter(
            l -> l != null && PrometheusStatefulSet.COMPONENT.equals(l.get(StackLabels.COMPONENT)))
        .map(l -> l.get(StackLabels.SHARD))
        .filter(shard -> shard != null && shard.matches("[0-9]{1,3}"))
        .forEach(shard -> shards.add(Integer.parseInt(shard)));
    return shards;
  }

  /**
   * The label selector of the Prometheus pods of the shards in service, the scale subresource's
   * selector: an HorizontalPodAutoscaler averages the metrics of these pods, not of retained shards
   * that scrape nothing.
   */
  static String servingSelector(MonitoringStack stack, int shards) {
    StringBuilder selector = new StringBuilder();
    StackLabels.selector(stack, PrometheusStatefulSet.COMPONENT, null)
        .forEach((k, v) -> selector.append(k).append('=').append(v).append(','));
    selector.append(StackLabels.SHARD).append(" in (");
    for (int shard = 0; shard < shards; shard++) {
      selector.append(shard == 0 ? "" : ",").append(shard);
    }
    return selector.append(')').toString();
  }

  /** How many problems a condition lists; a namespace of broken dashboards must not flood it. */
  static final int PROBLEMS_LISTED = 10;

  /** The first {@link #PROBLEMS_LISTED} problems, and how many more there are. */
  static String firstProblems(List<String> problems) {
    if (problems.size() <= PROBLEMS_LISTED) {
      return String.join("; ", problems);
    }
    return String.join("; ", problems.subList(0, PROBLEMS_LISTED))
        + "; and "
        + (problems.size() - PROBLEMS_LISTED)
        + " more";
  }

  private static int readyReplicas(StatefulSet statefulSet) {
    return readyReplicas(
        statefulSet == null || statefulSet.getStatus() == null
            ? null
            : statefulSet.getStatus().getReadyReplicas());
  }

  /** The status' readyReplicas, which the API server leaves out while it is 0. */
  private static int readyReplicas(Integer readyReplicas) {
    return readyReplicas == null ? 0 : readyReplicas;
  }
}
