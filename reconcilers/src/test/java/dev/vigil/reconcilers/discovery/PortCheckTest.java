package dev.vigil.reconcilers.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.discovery.DiscoveryJob.PortFilter;
import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import org.junit.jupiter.api.Test;

class PortCheckTest {
  final ClusterSnapshot snapshot = Fixtures.snapshot("checkout.yaml");

  @Test
  void servicePortNameThatExistsIsFine() {
    assertThat(
            PortCheck.problem(
                Fixtures.serviceJob(Role.ENDPOINTS, PortFilter.servicePortName("http")), snapshot))
        .isEmpty();
  }

  @Test
  void unknownServicePortNameNamesThePortsThatExist() {
    assertThat(
            PortCheck.problem(
                Fixtures.serviceJob(Role.ENDPOINTS, PortFilter.servicePortName("http-metrics")),
                snapshot))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("\"http-metrics\" is not a Service port name of the 1 Service(s)")
                    .endsWith("they have: http"));
  }

  @Test
  void podPortsByNameAndNumber() {
    assertThat(
            PortCheck.problem(Fixtures.podJob(PortFilter.containerPortName("metrics")), snapshot))
        .isEmpty();
    assertThat(PortCheck.problem(Fixtures.podJob(PortFilter.containerPortNumber(9090)), snapshot))
        .isEmpty();
    assertThat(PortCheck.problem(Fixtures.podJob(PortFilter.containerPortName("admin")), snapshot))
        .hasValueSatisfying(m -> assertThat(m).contains("container port name").contains("metrics"));
    assertThat(PortCheck.problem(Fixtures.podJob(PortFilter.containerPortNumber(1234)), snapshot))
        .hasValueSatisfying(m -> assertThat(m).contains("\"1234\" is not a container port"));
  }

  @Test
  void nothingSelectedIsNotAPortProblem() {
    assertThat(
            PortCheck.problem(
                Fixtures.serviceJob(Role.ENDPOINTS, PortFilter.servicePortName("x")),
                new InMemoryClusterSnapshot()))
        .isEmpty();
  }
}
