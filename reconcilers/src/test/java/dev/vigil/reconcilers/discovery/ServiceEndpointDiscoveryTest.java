package dev.vigil.reconcilers.discovery;

import static dev.vigil.reconcilers.discovery.Fixtures.addresses;
import static dev.vigil.reconcilers.discovery.Fixtures.byAddress;
import static dev.vigil.reconcilers.discovery.Fixtures.serviceJob;
import static dev.vigil.reconcilers.discovery.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.discovery.DiscoveryJob.ByLabels;
import dev.vigil.reconcilers.discovery.DiscoveryJob.PortFilter;
import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ServiceMonitor jobs: targets from EndpointSlices, in both label families. */
class ServiceEndpointDiscoveryTest {
  private static final String P = MetaLabels.PREFIX;

  @Test
  void endpointSliceFamilyHasExactlyPrometheusLabels() {
    List<TargetGroup> groups =
        TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot("checkout.yaml"));
    assertThat(groups).isEqualTo(Fixtures.expectedGroups("checkout.endpointslice.expected.yaml"));
  }

  @Test
  void endpointsFamilyHasExactlyPrometheusLabels() {
    List<TargetGroup> groups =
        TargetDiscovery.discover(serviceJob(Role.ENDPOINTS), snapshot("checkout.yaml"));
    assertThat(groups).isEqualTo(Fixtures.expectedGroups("checkout.endpoints.expected.yaml"));
  }

  @Test
  void sameInputGivesEqualOutputSortedByAddress() {
    DiscoveryJob job = serviceJob(Role.ENDPOINTSLICE);
    List<TargetGroup> first = TargetDiscovery.discover(job, snapshot("frontend.yaml"));
    List<TargetGroup> second = TargetDiscovery.discover(job, snapshot("frontend.yaml"));
    assertThat(second).isEqualTo(first);
    assertThat(first).isSortedAccordingTo(TargetDiscovery.ORDER);
    assertThat(addresses(first))
        .containsExactly(
            "10.0.2.1:15000",
            "10.0.2.1:8080",
            "10.0.2.1:8081",
            "10.0.2.1:9100",
            "10.0.2.2:8080",
            "10.0.2.2:8081",
            "10.0.2.2:9100",
            "10.0.2.3:8080",
            "10.0.2.3:9100",
            "10.0.2.5:8080",
            "10.0.2.5:9100",
            "10.0.2.6:8080",
            "10.0.2.6:9100");
  }

  @Test
  void notReadyAndTerminatingEndpointsStayWithTheirConditionLabels() {
    var targets =
        byAddress(
            TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot("frontend.yaml")));

    assertThat(targets.get("10.0.2.2:8080"))
        .containsEntry(P + "endpointslice_endpoint_conditions_ready", "false")
        .containsEntry(P + "endpointslice_endpoint_conditions_serving", "false")
        .containsEntry(P + "endpointslice_endpoint_conditions_terminating", "false")
        .containsEntry(P + "pod_ready", "false");
    assertThat(targets.get("10.0.2.3:8080"))
        .containsEntry(P + "endpointslice_endpoint_conditions_ready", "false")
        .containsEntry(P + "endpointslice_endpoint_conditions_serving", "true")
        .containsEntry(P + "endpointslice_endpoint_conditions_terminating", "true");
    // No conditions on the slice: no condition labels.
    assertThat(targets.get("10.0.2.6:8080"))
        .doesNotContainKeys(
            P + "endpointslice_endpoint_conditions_ready",
            P + "endpointslice_address_target_kind",
            P + "pod_name");
  }

  @Test
  void endpointsFamilyMarksNotReadyAndLeavesOutWhatTheEndpointsControllerLeavesOut() {
    var targets =
        byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTS), snapshot("frontend.yaml")));

    assertThat(targets.get("10.0.2.1:8080")).containsEntry(P + "endpoint_ready", "true");
    assertThat(targets.get("10.0.2.2:8080")).containsEntry(P + "endpoint_ready", "false");
    // Terminating and not ready: not in the Endpoints object, so neither are its extra ports.
    assertThat(targets.keySet()).noneMatch(a -> a.startsWith("10.0.2.3:"));
    // No conditions: ready.
    assertThat(targets.get("10.0.2.6:9100"))
        .containsEntry(P + "endpoint_ready", "true")
        .containsEntry(P + "endpoint_port_name", "metrics")
        .doesNotContainKey(P + "endpoint_address_target_kind");
    assertThat(targets.values())
        .allSatisfy(
            labels ->
                assertThat(labels.keySet())
                    .noneMatch(k -> k.startsWith(P + "endpointslice_"))
                    .contains(P + "endpoints_name", P + "service_name"));
  }

  @Test
  void publishedNotReadyTerminatingEndpointStaysInEndpointsFamily() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml");
    EndpointSlice slice = Fixtures.object("frontend.yaml", EndpointSlice.class, "frontend-8s7df");
    // With publishNotReadyAddresses the slice controller marks terminating endpoints ready.
    slice.getEndpoints().get(2).getConditions().setReady(true);
    snapshot.put(slice);

    var targets = byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTS), snapshot));

    assertThat(targets.get("10.0.2.3:8080")).containsEntry(P + "endpoint_ready", "true");
  }

  @Test
  void podsGiveExtraTargetsForContainerPortsNoSlicePortCovers() {
    var targets =
        byAddress(
            TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot("frontend.yaml")));

    assertThat(targets.get("10.0.2.1:8081"))
        .containsEntry(P + "pod_container_name", "app")
        .containsEntry(P + "pod_container_port_name", "admin")
        .containsEntry(P + "pod_container_port_number", "8081")
        .containsEntry(P + "pod_container_init", "false")
        .containsEntry(P + "pod_name", "frontend-1")
        .containsEntry(P + "endpointslice_name", "frontend-8s7df")
        .containsEntry(P + "service_name", "frontend")
        .doesNotContainKeys(
            P + "endpointslice_port_name",
            P + "endpointslice_endpoint_conditions_ready",
            P + "endpointslice_endpoint_node_name",
            P + "endpointslice_address_target_kind",
            P + "pod_container_id");
    assertThat(targets.get("10.0.2.1:15000"))
        .containsEntry(P + "pod_container_name", "proxy")
        .containsEntry(P + "pod_container_init", "true");
    // The container without ports gives no target; the direct target names the container that
    // declares the slice port's number.
    assertThat(targets.get("10.0.2.1:9100"))
        .containsEntry(P + "pod_container_name", "exporter")
        .containsEntry(P + "endpointslice_port_app_protocol", "http");
  }

  @Test
  void containerProtocolComesFromTheContainerOrFromTheEndpointsPort() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml");
    Pod pod = Fixtures.object("frontend.yaml", Pod.class, "frontend-1");
    pod.getSpec().getContainers().get(0).getPorts().get(0).setProtocol(null);
    snapshot.put(pod);

    var slices = byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot));
    var endpoints = byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTS), snapshot));

    assertThat(slices.get("10.0.2.1:8080")).doesNotContainKey(P + "pod_container_port_protocol");
    assertThat(endpoints.get("10.0.2.1:8080"))
        .containsEntry(P + "pod_container_port_protocol", "TCP");
  }

  @Test
  void podNotInTheCacheGivesATargetWithoutPodLabels() {
    var targets =
        byAddress(
            TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot("frontend.yaml")));

    assertThat(targets.get("10.0.2.5:8080"))
        .containsEntry(P + "endpointslice_address_target_kind", "Pod")
        .containsEntry(P + "endpointslice_address_target_name", "frontend-5-not-cached")
        .containsEntry(P + "service_name", "frontend");
    assertThat(targets.get("10.0.2.5:8080").keySet()).noneMatch(k -> k.startsWith(P + "pod_"));
  }

  @Test
  void portKeepsTheServicePortOfThatNameInEitherFamily() {
    PortFilter metrics = PortFilter.servicePortName("metrics");
    assertThat(
            addresses(
                TargetDiscovery.discover(
                    serviceJob(Role.ENDPOINTSLICE, metrics), snapshot("frontend.yaml"))))
        .containsExactly(
            "10.0.2.1:9100", "10.0.2.2:9100", "10.0.2.3:9100", "10.0.2.5:9100", "10.0.2.6:9100");
    assertThat(
            addresses(
                TargetDiscovery.discover(
                    serviceJob(Role.ENDPOINTS, metrics), snapshot("frontend.yaml"))))
        .containsExactly("10.0.2.1:9100", "10.0.2.2:9100", "10.0.2.5:9100", "10.0.2.6:9100");
  }

  @Test
  void targetPortByNameMatchesContainerPortsIncludingOnesTheServiceDoesNotExpose() {
    assertThat(
            addresses(
                TargetDiscovery.discover(
                    serviceJob(Role.ENDPOINTS, PortFilter.containerPortName("admin")),
                    snapshot("frontend.yaml"))))
        .containsExactly("10.0.2.1:8081", "10.0.2.2:8081");
    // Endpoints without a cached pod have no container labels, so a targetPort never keeps them.
    assertThat(
            addresses(
                TargetDiscovery.discover(
                    serviceJob(Role.ENDPOINTSLICE, PortFilter.containerPortName("metrics")),
                    snapshot("frontend.yaml"))))
        .containsExactly("10.0.2.1:9100", "10.0.2.2:9100", "10.0.2.3:9100");
  }

  @Test
  void targetPortByNumberMatchesTheContainerPortNumber() {
    assertThat(
            addresses(
                TargetDiscovery.discover(
                    serviceJob(Role.ENDPOINTSLICE, PortFilter.containerPortNumber(15000)),
                    snapshot("frontend.yaml"))))
        .containsExactly("10.0.2.1:15000");
  }

  @Test
  void filterRunningDropsFinishedPodsUnlessTurnedOff() {
    DiscoveryJob running = serviceJob(Role.ENDPOINTSLICE);
    DiscoveryJob all =
        new DiscoveryJob(
            running.name(),
            running.role(),
            running.namespaces(),
            running.selection(),
            running.port(),
            false,
            false);

    assertThat(addresses(TargetDiscovery.discover(running, snapshot("frontend.yaml"))))
        .noneMatch(a -> a.startsWith("10.0.2.4:"));
    assertThat(byAddress(TargetDiscovery.discover(all, snapshot("frontend.yaml"))))
        .hasEntrySatisfying(
            "10.0.2.4:8080", labels -> assertThat(labels).containsEntry(P + "pod_phase", "Failed"));
  }

  @Test
  void ipv6AddressesAreBracketedAsGoJoinHostPort() {
    var targets =
        byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot("ipv6.yaml")));

    assertThat(targets).containsOnlyKeys("[fd00:10::5]:8080", "[fd00:10::5]:9090", "10.0.3.7:8080");
    assertThat(targets.get("[fd00:10::5]:8080"))
        .containsEntry(P + "endpointslice_address_type", "IPv6")
        .containsEntry(P + "pod_ip", "fd00:10::5");
  }

  @Test
  void dualStackServiceGivesTargetsOnlyFromItsPrimaryFamilySlice() {
    for (Role role : List.of(Role.ENDPOINTS, Role.ENDPOINTSLICE)) {
      assertThat(addresses(TargetDiscovery.discover(serviceJob(role), snapshot("ipv6.yaml"))))
          .as("role %s", role)
          .contains("10.0.3.7:8080")
          .doesNotContain("[fd00:10::7]:8080");
    }
  }

  @Test
  void endpointSliceWithoutPortNumberGivesBareAddresses() {
    InMemoryClusterSnapshot snapshot = snapshot("ipv6.yaml");
    EndpointSlice slice = Fixtures.object("ipv6.yaml", EndpointSlice.class, "api-6v2q");
    slice.getPorts().get(0).setPort(null);
    snapshot.put(slice);

    var targets = byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot));

    // Go's JoinHostPort is skipped without a port: the IPv6 address stays unbracketed, and the
    // pod's ports are all extra targets since no slice port number covers them.
    assertThat(targets).containsKeys("fd00:10::5", "[fd00:10::5]:8080", "[fd00:10::5]:9090");
    assertThat(targets.get("fd00:10::5")).doesNotContainKey(P + "endpointslice_port");
  }

  @Test
  void emptySlicesGiveNoTargets() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml");
    EndpointSlice noPorts =
        new EndpointSliceBuilder(
                Fixtures.object("frontend.yaml", EndpointSlice.class, "frontend-8s7df"))
            .withPorts(List.of())
            .build();
    snapshot.put(noPorts);
    assertThat(TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot)).isEmpty();

    EndpointSlice noEndpoints = new EndpointSliceBuilder(noPorts).withEndpoints(List.of()).build();
    noEndpoints.setPorts(null);
    snapshot.put(noEndpoints);
    assertThat(TargetDiscovery.discover(serviceJob(Role.ENDPOINTS), snapshot)).isEmpty();
  }

  @Test
  void selectorPicksServicesByLabelsAndExpressions() {
    InMemoryClusterSnapshot snapshot = snapshot("checkout.yaml", "frontend.yaml");

    assertThat(servicesSelected(snapshot, Map.of("app", "frontend"), List.of()))
        .containsExactly("frontend");
    assertThat(
            servicesSelected(
                snapshot, Map.of(), List.of(expression("tier", "In", "web", "backend"))))
        .containsExactly("frontend");
    assertThat(servicesSelected(snapshot, Map.of(), List.of(expression("tier", "NotIn", "web"))))
        .containsExactly("checkout");
    assertThat(servicesSelected(snapshot, Map.of(), List.of(expression("tier", "Exists"))))
        .containsExactly("frontend");
    assertThat(servicesSelected(snapshot, Map.of(), List.of(expression("tier", "DoesNotExist"))))
        .containsExactly("checkout");
    assertThat(
            servicesSelected(
                snapshot, Map.of("app", "frontend"), List.of(expression("tier", "DoesNotExist"))))
        .isEmpty();
  }

  @Test
  void namespaceSelectorDefaultsToTheMonitorsNamespace() {
    InMemoryClusterSnapshot snapshot = snapshot("checkout.yaml", "frontend.yaml");
    var own = NamespaceSelection.ofMonitor(null, "shop");
    var names = new dev.vigil.api.v1alpha1.common.NamespaceSelector();
    names.matchNames = List.of("web", "absent");
    var any = new dev.vigil.api.v1alpha1.common.NamespaceSelector();
    any.any = true;
    any.matchNames = List.of("shop");

    assertThat(servicesIn(snapshot, own)).containsExactly("checkout");
    assertThat(servicesIn(snapshot, NamespaceSelection.ofMonitor(names, "shop")))
        .containsExactly("frontend");
    assertThat(servicesIn(snapshot, NamespaceSelection.ofMonitor(any, "shop")))
        .containsExactly("checkout", "frontend");
    assertThat(
            servicesIn(
                snapshot,
                NamespaceSelection.ofLabelSelector(
                    new LabelSelectorBuilder().addToMatchLabels("env", "prod").build(), "shop")))
        .containsExactly("frontend");
  }

  @Test
  void nodeMetadataIsAttachedToDirectTargetsOnly() {
    InMemoryClusterSnapshot snapshot = snapshot("frontend.yaml");
    snapshot.put(
        new NodeBuilder()
            .withNewMetadata()
            .withName("node-a")
            .addToLabels("topology.kubernetes.io/zone", "zone-1")
            .endMetadata()
            .build());
    DiscoveryJob base = serviceJob(Role.ENDPOINTSLICE);
    DiscoveryJob job =
        new DiscoveryJob(
            base.name(), base.role(), base.namespaces(), base.selection(), base.port(), true, true);

    var targets = byAddress(TargetDiscovery.discover(job, snapshot));

    assertThat(targets.get("10.0.2.1:8080"))
        .containsEntry(P + "node_name", "node-a")
        .containsEntry(P + "node_label_topology_kubernetes_io_zone", "zone-1")
        .containsEntry(P + "node_labelpresent_topology_kubernetes_io_zone", "true");
    // node-b is not cached; extra targets never carry node metadata.
    assertThat(targets.get("10.0.2.2:8080")).doesNotContainKey(P + "node_name");
    assertThat(targets.get("10.0.2.1:8081")).doesNotContainKey(P + "node_name");
  }

  @Test
  void headlessServiceMarksItsEndpointsObject() {
    InMemoryClusterSnapshot snapshot = snapshot("checkout.yaml");
    var service =
        Fixtures.object("checkout.yaml", io.fabric8.kubernetes.api.model.Service.class, "checkout");
    service.getSpec().setClusterIP("None");
    snapshot.put(service);

    var targets = byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTS), snapshot));

    assertThat(targets.get("10.0.1.5:8080"))
        .containsEntry(P + "endpoints_labelpresent_service_kubernetes_io_headless", "true")
        .doesNotContainKey(P + "endpoints_label_service_kubernetes_io_headless");
  }

  @Test
  void labelNamesAreSanitizedWithPresentTwinsAndEmptyValuesOmitted() {
    InMemoryClusterSnapshot snapshot = snapshot("checkout.yaml");
    Pod pod =
        new PodBuilder(Fixtures.object("checkout.yaml", Pod.class, "checkout-6d4b9-abcde"))
            .editMetadata()
            .addToLabels("example.com/tier-ünï", "gold")
            .addToAnnotations("example.com/empty", "")
            .endMetadata()
            .build();
    snapshot.put(pod);

    var labels =
        byAddress(TargetDiscovery.discover(serviceJob(Role.ENDPOINTSLICE), snapshot))
            .get("10.0.1.5:8080");

    assertThat(labels)
        .containsEntry(P + "pod_label_example_com_tier__n_", "gold")
        .containsEntry(P + "pod_labelpresent_example_com_tier__n_", "true")
        .containsEntry(P + "pod_annotationpresent_example_com_empty", "true")
        .doesNotContainKey(P + "pod_annotation_example_com_empty");
  }

  private static List<String> servicesSelected(
      InMemoryClusterSnapshot snapshot,
      Map<String, String> matchLabels,
      List<io.fabric8.kubernetes.api.model.LabelSelectorRequirement> expressions) {
    LabelSelection selection =
        LabelSelection.of(
            new LabelSelectorBuilder()
                .withMatchLabels(matchLabels)
                .withMatchExpressions(expressions)
                .build());
    DiscoveryJob job =
        new DiscoveryJob(
            "j",
            Role.ENDPOINTS,
            NamespaceSelection.all(),
            new ByLabels(selection),
            PortFilter.ANY,
            true,
            false);
    return serviceNames(TargetDiscovery.discover(job, snapshot));
  }

  private static List<String> servicesIn(
      InMemoryClusterSnapshot snapshot, NamespaceSelection namespaces) {
    DiscoveryJob job =
        new DiscoveryJob(
            "j",
            Role.ENDPOINTS,
            namespaces,
            new ByLabels(LabelSelection.EVERYTHING),
            PortFilter.ANY,
            true,
            false);
    return serviceNames(TargetDiscovery.discover(job, snapshot));
  }

  private static List<String> serviceNames(List<TargetGroup> groups) {
    return groups.stream()
        .map(g -> g.labels().get(P + "service_name"))
        .distinct()
        .sorted()
        .toList();
  }

  static io.fabric8.kubernetes.api.model.LabelSelectorRequirement expression(
      String key, String operator, String... values) {
    return new io.fabric8.kubernetes.api.model.LabelSelectorRequirement(
        key, operator, List.of(values));
  }
}
