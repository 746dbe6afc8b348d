package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.KubeStateMetricsSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.objects.Workload;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * kube-state-metrics, limited to the resources its ClusterRole (or, for a tenant's stack, its Role
 * in the stack's namespace) lets it list, never Secrets or ConfigMaps. The stack scrapes it as
 * {@code vigil/kube-state-metrics} with honor_labels.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = KubeStateMetricsDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class KubeStateMetricsDeployment
    extends ControlledDependentResource<Deployment, MonitoringStack> {
  static final String SELECTOR =
      StackLabels.VIGILS_COMPONENT + StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT;
  public static final String IMAGE =
      "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0";
  static final int PORT = 8080;
  static final int TELEMETRY_PORT = 8081;

  public KubeStateMetricsDeployment() {
    super(Deployment.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-kube-state-metrics";
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  /** A tenant's kube-state-metrics lists in its own namespace only, and nothing cluster-scoped. */
  static java.util.List<String> args(MonitoringStack stack, boolean clusterWide) {
    java.util.List<String> args = new java.util.ArrayList<>();
    args.add("--port=" + PORT);
    args.add("--telemetry-port=" + TELEMETRY_PORT);
    args.add("--resources=" + String.join(",", KubeStateMetricsClusterRole.resources(clusterWide)));
    if (!clusterWide) {
      args.add("--namespaces=" + stack.getMetadata().getNamespace());
    }
    return args;
  }

  @Override
  protected Deployment desired(MonitoringStack stack, Context<MonitoringStack> context) {
    KubeStateMetricsSpec spec = stack.getSpec().kubeStateMetrics;
    PodSpec pod =
        new PodSpecBuilder()
            .withServiceAccountName(name(stack))
            .withSecurityContext(PodParts.nonRoot(PodParts.NOBODY).build())
            .addNewContainer()
            .withName("kube-state-metrics")
            .withImage(spec.image == null ? IMAGE : spec.image)
            .withArgs(args(stack, KubeStateMetricsClusterRole.clusterWide(stack, context)))
            .addNewPort()
            .withName(StackDiscoveryJobs.KUBE_STATE_METRICS_PORT)
            .withContainerPort(PORT)
            .endPort()
            .addNewPort()
            .withName("telemetry")
            .withContainerPort(TELEMETRY_PORT)
            .endPort()
            .withResources(DefaultResources.KUBE_STATE_METRICS.or(spec.resources))
            .withReadinessProbe(PodParts.probe("/", TELEMETRY_PORT, 10, 3))
            .withLivenessProbe(PodParts.probe("/livez", PORT, 10, 6))
            .withSecurityContext(PodParts.restricted())
            .endContainer()
            .build();
    return Workload.of(stack, StackDiscoveryJobs.KUBE_STATE_METRICS_COMPONENT, name(stack))
        .deployment(1, pod);
  }
}
