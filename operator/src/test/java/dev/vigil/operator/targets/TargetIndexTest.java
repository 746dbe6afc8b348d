package dev.vigil.operator.targets;

import static dev.vigil.operator.targets.EngineObjects.serviceMonitor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The snapshot and index behind their own lock, and the port problems computed from them again only
 * after either the monitor or the snapshot changed.
 */
class TargetIndexTest {
  static final ServiceMonitor WRONG_PORT =
      serviceMonitor(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: ServiceMonitor
          metadata: {name: checkout, namespace: shop}
          spec:
            selector: {matchLabels: {app: checkout}}
            endpoints: [{port: http-metrics}, {port: metrics}]
          """);

  @Test
  void aKindDiscoveryDoesNotReadIsRefusedAndChangesNothing() {
    TargetIndex index = new TargetIndex();
    ConfigMap map = new ConfigMap();
    map.setMetadata(new ObjectMeta());
    map.getMetadata().setName("x");
    map.getMetadata().setNamespace("shop");
    assertThatThrownBy(() -> index.put(map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ConfigMap");
    assertThat(index.changes()).isZero();
  }

  @Test
  void everyChangeOfTheSnapshotIsCounted() {
    TargetIndex index = new TargetIndex();
    List<HasMetadata> world = JobPlanTest.TargetIndexWorld.objects();
    world.forEach(index::put);
    assertThat(index.changes()).isEqualTo(world.size());
    index.delete(world.get(world.size() - 1));
    assertThat(index.changes()).isEqualTo(world.size() + 1);
  }

  @Test
  void portProblemsNameTheEndpointAndAreComputedAgainOnlyAfterAChange() {
    TargetIndex index = new TargetIndex();
    JobPlanTest.TargetIndexWorld.objects().forEach(index::put);
    PortProblemCache cache = new PortProblemCache(index, Tenancy.SINGLE_TEAM);
    String key = WatchedObjects.key(WRONG_PORT);

    List<String> problems = cache.of(key, WRONG_PORT);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("spec.endpoints[1].port: ").contains("metrics");
    assertThat(cache.of(key, WRONG_PORT)).isSameAs(problems);

    // The Service gains the port: computed again, and the problem is gone.
    Service service =
        (Service)
            JobPlanTest.TargetIndexWorld.objects().stream()
                .filter(o -> o instanceof Service)
                .findFirst()
                .orElseThrow();
    service.getSpec().getPorts().add(new io.fabric8.kubernetes.api.model.ServicePort());
    service.getSpec().getPorts().get(1).setName("metrics");
    service.getSpec().getPorts().get(1).setPort(9090);
    index.put(service);
    assertThat(cache.of(key, WRONG_PORT)).isEmpty();
  }
}
