package dev.vigil.reconcilers.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.common.AttachMetadata;
import dev.vigil.api.v1alpha1.common.NamespaceSelector;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.reconcilers.discovery.DiscoveryJob.PortFilter;
import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryJobTest {
  @Test
  void serviceMonitorGivesOneJobPerEndpointNamedAsPrometheusOperatorNamesThem() {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("checkout").build());
    ServiceMonitorSpec spec = new ServiceMonitorSpec();
    spec.selector = new LabelSelectorBuilder().addToMatchLabels("app", "checkout").build();
    Endpoint byPort = new Endpoint();
    byPort.port = "http-metrics";
    Endpoint byTargetPortName = new Endpoint();
    byTargetPortName.targetPort = new IntOrString("metrics");
    byTargetPortName.filterRunning = false;
    Endpoint byTargetPortNumber = new Endpoint();
    byTargetPortNumber.targetPort = new IntOrString(9090);
    spec.endpoints = List.of(byPort, byTargetPortName, byTargetPortNumber, new Endpoint());
    monitor.setSpec(spec);

    List<DiscoveryJob> jobs = DiscoveryJob.forServiceMonitor(monitor);

    assertThat(jobs)
        .extracting(DiscoveryJob::name)
        .containsExactly(
            "serviceMonitor/shop/checkout/0",
            "serviceMonitor/shop/checkout/1",
            "serviceMonitor/shop/checkout/2",
            "serviceMonitor/shop/checkout/3");
    assertThat(jobs)
        .extracting(DiscoveryJob::port)
        .containsExactly(
            PortFilter.servicePortName("http-metrics"),
            PortFilter.containerPortName("metrics"),
            PortFilter.containerPortNumber(9090),
            PortFilter.ANY);
    assertThat(jobs)
        .extracting(DiscoveryJob::filterRunning)
        .containsExactly(true, false, true, true);
    assertThat(jobs.get(0).role()).isEqualTo(Role.ENDPOINTS);
    assertThat(jobs.get(0).namespaces()).isEqualTo(NamespaceSelection.names(List.of("shop")));
    assertThat(jobs.get(0).attachNodeMetadata()).isFalse();

    spec.serviceDiscoveryRole = ServiceMonitorSpec.ServiceDiscoveryRole.EndpointSlice;
    spec.namespaceSelector = new NamespaceSelector();
    spec.namespaceSelector.any = true;
    spec.attachMetadata = new AttachMetadata();
    spec.attachMetadata.node = true;
    DiscoveryJob slices = DiscoveryJob.forServiceMonitor(monitor).get(0);
    assertThat(slices.role()).isEqualTo(Role.ENDPOINTSLICE);
    assertThat(slices.namespaces()).isEqualTo(NamespaceSelection.all());
    assertThat(slices.attachNodeMetadata()).isTrue();
  }

  @Test
  void podMonitorGivesPodRoleJobs() {
    PodMonitor monitor = new PodMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("workers").build());
    PodMonitorSpec spec = new PodMonitorSpec();
    spec.selector = new LabelSelectorBuilder().addToMatchLabels("app", "worker").build();
    PodMetricsEndpoint endpoint = new PodMetricsEndpoint();
    endpoint.portNumber = 9090;
    spec.podMetricsEndpoints = List.of(endpoint);
    monitor.setSpec(spec);

    DiscoveryJob job = DiscoveryJob.forPodMonitor(monitor).get(0);

    assertThat(job.name()).isEqualTo("podMonitor/shop/workers/0");
    assertThat(job.role()).isEqualTo(Role.POD);
    assertThat(job.port()).isEqualTo(PortFilter.containerPortNumber(9090));
  }

  @Test
  void anInvalidSelectorIsRefusedNamingTheField() {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("bad").build());
    ServiceMonitorSpec spec = new ServiceMonitorSpec();
    spec.selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("In")
            .endMatchExpression()
            .build();
    spec.endpoints = List.of(new Endpoint());
    monitor.setSpec(spec);

    assertThatThrownBy(() -> DiscoveryJob.forServiceMonitor(monitor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec.selector.matchExpressions[0]: operator In needs at least one value");
  }

  @Test
  void aMonitorWithoutSpecIsRefusedAsInvalidNotWithANullPointer() {
    ServiceMonitor serviceMonitor = new ServiceMonitor();
    serviceMonitor.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("no-spec").build());
    PodMonitor podMonitor = new PodMonitor();
    podMonitor.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("no-spec").build());

    assertThatThrownBy(() -> DiscoveryJob.forServiceMonitor(serviceMonitor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec: missing");
    assertThatThrownBy(() -> DiscoveryJob.forPodMonitor(podMonitor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec: missing");
  }

  @Test
  void equalMonitorsGiveEqualJobs() {
    PodMonitor a = new PodMonitor();
    a.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("m").build());
    a.setSpec(new PodMonitorSpec());
    a.getSpec().selector = new LabelSelectorBuilder().addToMatchLabels("k", "v").build();
    a.getSpec().podMetricsEndpoints = List.of(new PodMetricsEndpoint());
    assertThat(DiscoveryJob.forPodMonitor(a)).isEqualTo(DiscoveryJob.forPodMonitor(a));
  }
}
