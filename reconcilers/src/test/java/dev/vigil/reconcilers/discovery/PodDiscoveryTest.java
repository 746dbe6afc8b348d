package dev.vigil.reconcilers.discovery;

import static dev.vigil.reconcilers.discovery.Fixtures.addresses;
import static dev.vigil.reconcilers.discovery.Fixtures.byAddress;
import static dev.vigil.reconcilers.discovery.Fixtures.podJob;
import static dev.vigil.reconcilers.discovery.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.discovery.DiscoveryJob.ByLabels;
import dev.vigil.reconcilers.discovery.DiscoveryJob.PortFilter;
import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PodMonitor jobs: pod-role targets. */
class PodDiscoveryTest {
  private static final String P = MetaLabels.PREFIX;

  @Test
  void podRoleHasExactlyPrometheusLabels() {
    List<TargetGroup> groups =
        TargetDiscovery.discover(podJob(PortFilter.ANY), snapshot("checkout.yaml"));
    assertThat(groups).isEqualTo(Fixtures.expectedGroups("checkout.pod.expected.yaml"));
  }

  @Test
  void everyDeclaredPortAndEveryPortlessContainerIsATarget() {
    var targets =
        byAddress(TargetDiscovery.discover(podJob(PortFilter.ANY), snapshot("ipv6.yaml")));

    assertThat(targets).containsOnlyKeys("[fd00:10::5]:8080", "[fd00:10::5]:9090", "fd00:10::5");
    // A container without ports: the bare pod IP (IPv6 unbracketed), no port labels.
    assertThat(targets.get("fd00:10::5"))
        .containsEntry(P + "pod_container_name", "portless")
        .containsEntry(P + "pod_container_init", "false")
        .doesNotContainKeys(P + "pod_container_port_number", P + "pod_container_port_name");
  }

  @Test
  void containerIdsComeFromStatusesAndInitContainersAreMarked() {
    var targets =
        byAddress(TargetDiscovery.discover(podJob(PortFilter.ANY), snapshot("frontend.yaml")));

    assertThat(targets.get("10.0.2.1:15000"))
        .containsEntry(P + "pod_container_name", "proxy")
        .containsEntry(P + "pod_container_id", "containerd://proxy1")
        .containsEntry(P + "pod_container_init", "true");
    assertThat(targets.get("10.0.2.1"))
        .containsEntry(P + "pod_container_name", "logshipper")
        .containsEntry(P + "pod_container_id", "containerd://log1");
    // frontend-2 has no container statuses yet: no id label.
    assertThat(targets.get("10.0.2.2:8080")).doesNotContainKey(P + "pod_container_id");
    assertThat(targets.get("10.0.2.2:8080")).containsEntry(P + "pod_ready", "false");
  }

  @Test
  void portPortNumberAndTargetPortKeepTheMatchingContainerPorts() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml");

    assertThat(
            addresses(
                TargetDiscovery.discover(podJob(PortFilter.containerPortName("admin")), snapshot)))
        .containsExactly("10.0.2.1:8081", "10.0.2.2:8081");
    assertThat(
            addresses(
                TargetDiscovery.discover(podJob(PortFilter.containerPortNumber(9100)), snapshot)))
        .containsExactly("10.0.2.1:9100", "10.0.2.2:9100", "10.0.2.3:9100");

    var endpoint = new dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint();
    endpoint.targetPort = new io.fabric8.kubernetes.api.model.IntOrString("http");
    assertThat(PortFilter.ofPodMetricsEndpoint(endpoint))
        .isEqualTo(PortFilter.containerPortName("http"));
    endpoint.targetPort = new io.fabric8.kubernetes.api.model.IntOrString(8080);
    assertThat(PortFilter.ofPodMetricsEndpoint(endpoint))
        .isEqualTo(PortFilter.containerPortNumber(8080));
    endpoint.portNumber = 9100;
    assertThat(PortFilter.ofPodMetricsEndpoint(endpoint))
        .isEqualTo(PortFilter.containerPortNumber(9100));
    endpoint.port = "metrics";
    assertThat(PortFilter.ofPodMetricsEndpoint(endpoint))
        .isEqualTo(PortFilter.containerPortName("metrics"));
  }

  @Test
  void filterRunningDropsSucceededAndFailedPods() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml");
    DiscoveryJob running = podJob(PortFilter.ANY);
    DiscoveryJob all =
        new DiscoveryJob(
            running.name(),
            Role.POD,
            running.namespaces(),
            running.selection(),
            PortFilter.ANY,
            false,
            false);

    assertThat(addresses(TargetDiscovery.discover(running, snapshot)))
        .noneMatch(a -> a.startsWith("10.0.2.4"));
    assertThat(addresses(TargetDiscovery.discover(all, snapshot))).contains("10.0.2.4:8080");
  }

  @Test
  void podsWithoutIpGiveNoTargets() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml");
    Pod pending = Fixtures.object("frontend.yaml", Pod.class, "frontend-2");
    pending.getStatus().setPodIP(null);
    snapshot.put(pending);

    assertThat(addresses(TargetDiscovery.discover(podJob(PortFilter.ANY), snapshot)))
        .noneMatch(a -> a.startsWith("10.0.2.2"));
  }

  @Test
  void selectorPicksPodsByTheirLabels() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml", "checkout.yaml");
    DiscoveryJob job =
        new DiscoveryJob(
            "podMonitor/shop/checkout/0",
            Role.POD,
            NamespaceSelection.all(),
            new ByLabels(
                LabelSelection.of(
                    new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("app.kubernetes.io/name")
                        .withOperator("Exists")
                        .endMatchExpression()
                        .build())),
            PortFilter.ANY,
            true,
            false);

    assertThat(addresses(TargetDiscovery.discover(job, snapshot)))
        .containsExactly("10.0.1.5:8080", "10.0.1.5:9090");
  }

  @Test
  void nodeMetadataNeedsTheNodeInTheCache() {
    InMemoryClusterSnapshot snapshot = snapshot("checkout.yaml");
    DiscoveryJob base = podJob(PortFilter.ANY);
    DiscoveryJob job =
        new DiscoveryJob(
            base.name(), Role.POD, base.namespaces(), base.selection(), base.port(), true, true);

    assertThat(TargetDiscovery.discover(job, snapshot)).isEmpty();

    snapshot.put(
        new NodeBuilder()
            .withNewMetadata()
            .withName("node-a")
            .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
            .endMetadata()
            .build());
    assertThat(byAddress(TargetDiscovery.discover(job, snapshot)).get("10.0.1.5:8080"))
        .containsEntry(P + "node_name", "node-a")
        .containsEntry(P + "node_annotation_node_alpha_kubernetes_io_ttl", "0")
        .containsEntry(P + "node_annotationpresent_node_alpha_kubernetes_io_ttl", "true");
  }
}
