package dev.vigil.reconcilers.servicemonitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.validation.Problem;
import dev.vigil.reconcilers.validation.ServiceMonitorValidator;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regressions found by the bad-input property tests: a ServiceMonitor without endpoints, or with a
 * null one (stored by a schema-less API server), is reported instead of throwing in validation, and
 * discovery skips the hole instead of failing every count.
 */
class MonitorEndpointsTest {
  static ServiceMonitor monitor(List<Endpoint> endpoints) {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("shop").build());
    monitor.setSpec(new ServiceMonitorSpec());
    monitor.getSpec().selector = new LabelSelector();
    monitor.getSpec().endpoints = endpoints;
    return monitor;
  }

  @Test
  void missingEndpointsAreReported() {
    ServiceMonitorValidator validator = new ServiceMonitorValidator();
    assertThat(Problem.messages(validator.validate(monitor(null))))
        .containsExactly("spec.endpoints is empty: list at least one endpoint to scrape");
    assertThat(Problem.messages(validator.validate(monitor(List.of()))))
        .containsExactly("spec.endpoints is empty: list at least one endpoint to scrape");
  }

  @Test
  void discoverySkipsANullEndpoint() {
    Endpoint endpoint = new Endpoint();
    endpoint.port = "http";
    List<DiscoveryJob> jobs =
        DiscoveryJob.forServiceMonitor(monitor(new ArrayList<>(Arrays.asList(null, endpoint))));
    assertThat(jobs).extracting(DiscoveryJob::name).containsExactly("serviceMonitor/shop/m/1");
  }
}
