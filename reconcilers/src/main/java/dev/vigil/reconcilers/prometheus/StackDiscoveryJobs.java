package dev.vigil.reconcilers.prometheus;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.LabelSelection;
import dev.vigil.reconcilers.discovery.NamespaceSelection;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.selection.MonitorSelection;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The jobs a stack has of its own, not from a monitor: annotation discovery, and the node agent and
 * kube-state-metrics the stack runs. Their names are the same in every stack while what they select
 * is the stack's, so the operator's discovery keys them by stack.
 */
public final class StackDiscoveryJobs {
  /** What every job of a stack's own starts with; monitors' jobs never do. */
  public static final String PREFIX = "vigil/";

  public static final String ANNOTATED_PODS = PREFIX + "annotations/pods";
  public static final String ANNOTATED_SERVICES = PREFIX + "annotations/services";
  public static final String NODE_EXPORTER = PREFIX + "node-exporter";
  public static final String KUBE_STATE_METRICS = PREFIX + "kube-state-metrics";
  public static final String OTEL_COLLECTORS = PREFIX + "otel-collectors";
  public static final String SPAN_METRICS = PREFIX + "span-metrics";
  public static final String CONFIG_RELOADERS = PREFIX + "config-reloaders";

  /**
   * The {@code job} label of the config-reloader sidecars of the stack's Prometheus and
   * Alertmanager pods, and the name of their metrics port.
   */
  public static final String CONFIG_RELOADER = "config-reloader";

  public static final String RELOADER_PORT = "reloader";

  /** Component label of the collectors Vigil runs for TracingPipelines, and their metrics port. */
  public static final String OTEL_COLLECTOR_COMPONENT = "otel-collector";

  public static final String OTEL_COLLECTOR_PORT = "metrics";

  /**
   * Component label of the Jaeger backends Vigil runs for TracingPipelines, and the port on which
   * they serve the pipeline's span metrics (only when the pipeline derives them).
   */
  public static final String JAEGER_COMPONENT = "jaeger";

  public static final String SPAN_METRICS_PORT = "span-metrics";

  /** Component label of the stack's node-exporter pods, and their metrics port's name. */
  public static final String NODE_EXPORTER_COMPONENT = "node-exporter";

  public static final String NODE_EXPORTER_PORT = "metrics";

  /** Component label of the stack's kube-state-metrics pods, and their metrics port's name. */
  public static final String KUBE_STATE_METRICS_COMPONENT = "kube-state-metrics";

  public static final String KUBE_STATE_METRICS_PORT = "http-metrics";

  private StackDiscoveryJobs() {}

  /**
   * The stack's own discovery jobs, named as in its {@code prometheus.yml}; those that look in the
   * namespaces the stack's monitors come from look in its own namespace only when it is a tenant's.
   *
   * @throws IllegalArgumentException when the stack's monitorSelector is invalid
   */
  public static List<DiscoveryJob> of(MonitoringStack stack, Tenancy tenancy) {
    List<DiscoveryJob> jobs = new ArrayList<>();
    if (annotationDiscovery(stack)) {
      NamespaceSelection namespaces =
          MonitorSelection.of(stack.getSpec().monitorSelector, stack, tenancy).namespaces();
      jobs.add(DiscoveryJob.annotatedPods(ANNOTATED_PODS, namespaces));
      jobs.add(DiscoveryJob.annotatedServices(ANNOTATED_SERVICES, namespaces));
    }
    // The collectors of every TracingPipeline in the namespaces the stack's monitors come from:
    // self-monitoring without a monitor to write. Likewise the span metrics their Jaeger backends
    // serve.
    NamespaceSelection monitored =
        MonitorSelection.of(stack.getSpec().monitorSelector, stack, tenancy).namespaces();
    jobs.add(
        pipelinePods(OTEL_COLLECTORS, monitored, OTEL_COLLECTOR_COMPONENT, OTEL_COLLECTOR_PORT));
    jobs.add(pipelinePods(SPAN_METRICS, monitored, JAEGER_COMPONENT, SPAN_METRICS_PORT));
    jobs.add(configReloaders(stack));
    if (nodeAgent(stack)) {
      jobs.add(ownPods(stack, NODE_EXPORTER, NODE_EXPORTER_COMPONENT, NODE_EXPORTER_PORT));
    }
    if (kubeStateMetrics(stack)) {
      jobs.add(
          ownPods(
              stack, KUBE_STATE_METRICS, KUBE_STATE_METRICS_COMPONENT, KUBE_STATE_METRICS_PORT));
    }
    return jobs;
  }

  static boolean annotationDiscovery(MonitoringStack stack) {
    ScraperSpec scraper = stack.getSpec().scraper;
    return scraper != null
        && scraper.annotationDiscovery != null
        && Boolean.TRUE.equals(scraper.annotationDiscovery.enabled);
  }

  public static boolean nodeAgent(MonitoringStack stack) {
    return stack.getSpec().nodeAgent != null
        && Boolean.TRUE.equals(stack.getSpec().nodeAgent.enabled);
  }

  public static boolean kubeStateMetrics(MonitoringStack stack) {
    return stack.getSpec().kubeStateMetrics != null
        && Boolean.TRUE.equals(stack.getSpec().kubeStateMetrics.enabled);
  }

  /** Pod-role targets of Vigil's pods of one TracingPipeline component, on their named port. */
  private static DiscoveryJob pipelinePods(
      String name, NamespaceSelection namespaces, String component, String port) {
    return new DiscoveryJob(
        name,
        DiscoveryJob.Role.POD,
        namespaces,
        new DiscoveryJob.ByLabels(
            LabelSelection.of(
                new LabelSelectorBuilder()
                    .withMatchLabels(
                        Map.of(
                            StackLabels.MANAGED_BY,
                            StackLabels.VIGIL,
                            StackLabels.COMPONENT,
                            component))
                    .build())),
        DiscoveryJob.PortFilter.containerPortName(port),
        true,
        false);
  }

  /**
   * The config-reloader sidecars of the stack's own Prometheus and Alertmanager pods, on their
   * {@code reloader} port: their reload failures are what the operator-health dashboard shows.
   */
  private static DiscoveryJob configReloaders(MonitoringStack stack) {
    return new DiscoveryJob(
        CONFIG_RELOADERS,
        DiscoveryJob.Role.POD,
        NamespaceSelection.names(List.of(stack.getMetadata().getNamespace())),
        new DiscoveryJob.ByLabels(
            LabelSelection.of(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of(StackLabels.INSTANCE, stack.getMetadata().getName()))
                    .addNewMatchExpression()
                    .withKey(StackLabels.COMPONENT)
                    .withOperator("In")
                    .withValues(StackLabels.PROMETHEUS, "alertmanager")
                    .endMatchExpression()
                    .build())),
        DiscoveryJob.PortFilter.containerPortName(RELOADER_PORT),
        true,
        false);
  }

  /** Pod-role targets of the stack's own pods of one component, on their named port. */
  private static DiscoveryJob ownPods(
      MonitoringStack stack, String name, String component, String port) {
    return new DiscoveryJob(
        name,
        DiscoveryJob.Role.POD,
        NamespaceSelection.names(List.of(stack.getMetadata().getNamespace())),
        new DiscoveryJob.ByLabels(
            LabelSelection.of(
                new LabelSelectorBuilder()
                    .withMatchLabels(StackLabels.selector(stack, component, null))
                    .build())),
        DiscoveryJob.PortFilter.containerPortName(port),
        true,
        false);
  }
}
