package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.NodeAgentSpec;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.objects.Workload;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * node-exporter on every node: the host's /proc, /sys and root mounted read-only, host network and
 * PID namespace so it reports the node and not its own pod, tolerating every taint unless the stack
 * says otherwise. The stack scrapes it as {@code vigil/node-exporter}, labelled with the node.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = NodeExporterDaemonSet.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class NodeExporterDaemonSet extends ControlledDependentResource<DaemonSet, MonitoringStack> {
  static final String SELECTOR =
      StackLabels.VIGILS_COMPONENT + StackDiscoveryJobs.NODE_EXPORTER_COMPONENT;
  public static final String IMAGE = "quay.io/prometheus/node-exporter:v1.12.1";
  static final int PORT = 9100;

  public NodeExporterDaemonSet() {
    super(DaemonSet.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-node-exporter";
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected DaemonSet desired(MonitoringStack stack, Context<MonitoringStack> context) {
    NodeAgentSpec spec = stack.getSpec().nodeAgent;
    PodSpec pod =
        new PodSpecBuilder()
            .withHostNetwork(true)
            .withHostPID(true)
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(PodParts.nonRoot(PodParts.NOBODY).build())
            .withTolerations(
                spec.tolerations != null
                    ? spec.tolerations
                    : List.of(new TolerationBuilder().withOperator("Exists").build()))
            .addNewContainer()
            .withName("node-exporter")
            .withImage(spec.image == null ? IMAGE : spec.image)
            .withArgs(
                "--web.listen-address=:" + PORT,
                "--path.procfs=/host/proc",
                "--path.sysfs=/host/sys",
                "--path.rootfs=/host/root",
                "--path.udev.data=/host/root/run/udev/data",
                "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/.+)($|/)")
            .addNewPort()
            .withName(StackDiscoveryJobs.NODE_EXPORTER_PORT)
            .withContainerPort(PORT)
            .endPort()
            .withResources(DefaultResources.NODE_EXPORTER.or(spec.resources))
            .withVolumeMounts(
                PodParts.mount("proc", "/host/proc", true),
                PodParts.mount("sys", "/host/sys", true),
                PodParts.mount("root", "/host/root", true))
            .withReadinessProbe(PodParts.probe("/", PORT, 10, 3))
            .withLivenessProbe(PodParts.probe("/", PORT, 10, 6))
            .withSecurityContext(PodParts.restricted())
            .endContainer()
            .addNewVolume()
            .withName("proc")
            .withNewHostPath()
            .withPath("/proc")
            .endHostPath()
            .endVolume()
            .addNewVolume()
            .withName("sys")
            .withNewHostPath()
            .withPath("/sys")
            .endHostPath()
            .endVolume()
            .addNewVolume()
            .withName("root")
            .withNewHostPath()
            .withPath("/")
            .endHostPath()
            .endVolume()
            .build();
    return Workload.of(stack, StackDiscoveryJobs.NODE_EXPORTER_COMPONENT, name(stack))
        .daemonSet(pod);
  }
}
