package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.digest.Sha256;
import dev.vigil.reconcilers.grafana.DashboardConfigMaps;
import dev.vigil.reconcilers.grafana.DatasourceInputs;
import dev.vigil.reconcilers.grafana.DatasourcesBuilder;
import dev.vigil.reconcilers.grafana.GrafanaProvisioning;
import dev.vigil.reconcilers.grafana.ProvisioningProblem;
import dev.vigil.reconcilers.grafana.ShippedDashboards;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import dev.vigil.reconcilers.objects.NamespacedOrder;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.victorialogs.VictoriaLogsNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a stack's Grafana is made from, computed once per reconcile when it is enabled: the
 * provisioning files, the dashboards packed into ConfigMaps, and the dashboards left out.
 *
 * @param datasources {@code datasources.yaml}
 * @param dashboardProvider {@code dashboards.yaml}
 * @param dashboards the data of each dashboards ConfigMap (file name → JSON), in order
 * @param dashboardCount dashboards loaded, Vigil's and the users'
 * @param problems dashboards left out, and why
 * @param plugins the Grafana plugins the data sources need beyond those Grafana bundles, sorted
 */
public record GrafanaPlan(
    MonitoringStack stack,
    String datasources,
    String dashboardProvider,
    List<Map<String, String>> dashboards,
    int dashboardCount,
    List<String> problems,
    List<String> plugins) {
  static final String CONTEXT_KEY = GrafanaPlan.class.getName();

  /** Dashboard ConfigMaps are listed this many at a time, never all at once. */
  static final long LIST_PAGE = 200;

  public GrafanaPlan {
    dashboards = List.copyOf(dashboards);
    problems = List.copyOf(problems);
    plugins = List.copyOf(plugins);
  }

  /**
   * @param client lists the dashboard ConfigMaps on demand (never cached)
   * @param tracingPipelines every TracingPipeline, from the reconciler's informer
   * @param logPipelines every LogPipeline, from the reconciler's informer
   */
  static GrafanaPlan of(
      MonitoringStack stack,
      MonitoringState state,
      KubernetesClient client,
      Collection<TracingPipeline> tracingPipelines,
      Collection<LogPipeline> logPipelines) {
    List<DatasourceInputs.JaegerBackend> jaegers = new ArrayList<>();
    ResourceSelector stackNamespaces = new ResourceSelector();
    stackNamespaces.namespaceSelector =
        stack.getSpec().monitorSelector == null
            ? null
            : stack.getSpec().monitorSelector.namespaceSelector;
    for (TracingPipeline pipeline : NamespacedOrder.sorted(tracingPipelines)) {
      if (JaegerConfigBuilder.enabled(pipeline)
          && state.selects(stack, stackNamespaces, pipeline)) {
        jaegers.add(
            new DatasourceInputs.JaegerBackend(
                pipeline.getMetadata().getNamespace(),
                pipeline.getMetadata().getName(),
                JaegerNames.queryUrl(pipeline)));
      }
    }
    // The LogPipelines' VictoriaLogs in the same namespaces, by the same rule (a tenant's stack:
    // its own namespace only).
    List<DatasourceInputs.LogBackend> logs = new ArrayList<>();
    for (LogPipeline pipeline : NamespacedOrder.sorted(logPipelines)) {
      if (VictoriaLogsNames.enabled(pipeline) && state.selects(stack, stackNamespaces, pipeline)) {
        logs.add(
            new DatasourceInputs.LogBackend(
                pipeline.getMetadata().getNamespace(),
                pipeline.getMetadata().getName(),
                VictoriaLogsNames.url(pipeline)));
      }
    }
    boolean thanos = PrometheusStatefulSet.thanosEnabled(stack);
    DatasourcesBuilder.Result built =
        DatasourcesBuilder.build(
            new DatasourceInputs(
                stack.getMetadata().getNamespace(),
                stack.getMetadata().getName(),
                thanos ? ThanosQueryService.url(stack) : PrometheusQueryService.url(stack),
                thanos,
                AlertmanagerConfigBuilder.enabled(stack) ? AlertmanagerPlan.url(stack) : null,
                jaegers,
                logs));
    String datasources = GrafanaProvisioning.render(built.datasources());
    DashboardConfigMaps.Selected selected = new DashboardConfigMaps.Selected();
    // Without a namespace selector only the stack's own namespace is read, not every namespace's
    // labelled ConfigMaps.
    boolean ownNamespaceOnly = dashboardNamespaces(stack).namespaceSelector == null;
    String page = null;
    do {
      var options = new ListOptionsBuilder().withLimit(LIST_PAGE).withContinue(page).build();
      ConfigMapList list =
          ownNamespaceOnly
              ? client
                  .configMaps()
                  .inNamespace(stack.getMetadata().getNamespace())
                  .withLabel(DashboardConfigMaps.LABEL, "true")
                  .list(options)
              : client
                  .configMaps()
                  .inAnyNamespace()
                  .withLabel(DashboardConfigMaps.LABEL, "true")
                  .list(options);
      for (ConfigMap configMap : list.getItems()) {
        if (state.selects(stack, stack.getSpec().grafana.dashboardSelector, configMap)) {
          selected.offer(configMap);
        }
      }
      page = list.getMetadata() == null ? null : list.getMetadata().getContinue();
    } while (page != null && !page.isEmpty());
    DashboardConfigMaps.Result users = selected.aggregate();
    Map<String, String> shipped = ShippedDashboards.all();
    return new GrafanaPlan(
        stack,
        datasources,
        GrafanaProvisioning.dashboardProvider(),
        List.of(shipped, users.files()),
        shipped.size() + users.count(),
        users.problems().stream().map(ProvisioningProblem::describe).toList(),
        built.plugins());
  }

  /**
   * The namespaces the stack's dashboard selector takes ConfigMaps from, without its label part:
   * what the dashboard ConfigMaps' events are mapped by.
   */
  static ResourceSelector dashboardNamespaces(MonitoringStack stack) {
    ResourceSelector namespaces = new ResourceSelector();
    ResourceSelector selector = stack.getSpec().grafana.dashboardSelector;
    namespaces.namespaceSelector = selector == null ? null : selector.namespaceSelector;
    return namespaces;
  }

  /** The Grafana folder of each dashboards ConfigMap, in order. */
  static final List<String> FOLDERS =
      List.of(GrafanaProvisioning.SHIPPED_FOLDER, GrafanaProvisioning.CONFIGMAP_FOLDER);

  static GrafanaPlan of(Context<MonitoringStack> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, GrafanaPlan.class);
  }

  /** Changes when the datasources do: Grafana reads them only at start. */
  String datasourcesHash() {
    return Sha256.shortHex(datasources + dashboardProvider);
  }
}
