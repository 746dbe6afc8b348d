package dev.vigil.reconcilers.discovery;

import static dev.vigil.reconcilers.discovery.Fixtures.addresses;
import static dev.vigil.reconcilers.discovery.Fixtures.byAddress;
import static dev.vigil.reconcilers.discovery.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Annotation discovery: pods and Services annotated {@code prometheus.io/scrape: "true"}. */
class AnnotationDiscoveryTest {
  private static final String P = MetaLabels.PREFIX;
  private static final DiscoveryJob PODS =
      DiscoveryJob.annotatedPods("kubernetes-pods", NamespaceSelection.all());
  private static final DiscoveryJob SERVICES =
      DiscoveryJob.annotatedServices("kubernetes-service-endpoints", NamespaceSelection.all());

  @Test
  void annotatedPodsGiveOneTargetPerDeclaredPortOrTheAnnotatedPort() {
    var targets = byAddress(TargetDiscovery.discover(PODS, snapshot("annotated.yaml")));

    assertThat(targets)
        .containsOnlyKeys(
            "10.0.4.1:8080",
            "10.0.4.1:8081",
            "10.0.4.2:8081",
            "10.0.4.3:9999",
            "10.0.4.4:8080",
            "10.0.4.4:8081");
    assertThat(targets.get("10.0.4.2:8081"))
        .containsEntry(P + "pod_container_port_name", "admin")
        .containsEntry(P + "pod_annotation_prometheus_io_path", "/admin/metrics")
        .containsEntry(P + "pod_annotation_prometheus_io_scheme", "https")
        .containsEntry(P + "pod_annotation_prometheus_io_port", "8081")
        .containsEntry(P + "pod_annotationpresent_prometheus_io_scrape", "true");
    // A port no container declares: the pod's labels, no container labels.
    assertThat(targets.get("10.0.4.3:9999"))
        .containsEntry(P + "pod_name", "undeclared-port")
        .containsEntry(P + "namespace", "apps")
        .doesNotContainKeys(P + "pod_container_name", P + "pod_container_port_number");
  }

  @Test
  void annotatedServicesGiveTheirEndpointsWithEndpointsRoleLabels() {
    List<TargetGroup> groups =
        TargetDiscovery.discover(SERVICES, snapshot("checkout.yaml", "frontend.yaml"));

    assertThat(addresses(groups)).containsExactly("10.0.1.5:8080", "10.0.1.5:9090");
    assertThat(groups.get(0).labels())
        .containsEntry(P + "service_annotation_prometheus_io_scrape", "true")
        .containsEntry(P + "endpoints_name", "checkout")
        .containsEntry(P + "endpoint_port_name", "http");
  }

  @Test
  void annotationJobsLookOnlyInTheirNamespaces() {
    DiscoveryJob elsewhere =
        DiscoveryJob.annotatedPods("kubernetes-pods", NamespaceSelection.names(List.of("shop")));
    assertThat(TargetDiscovery.discover(elsewhere, snapshot("annotated.yaml"))).isEmpty();
  }
}
