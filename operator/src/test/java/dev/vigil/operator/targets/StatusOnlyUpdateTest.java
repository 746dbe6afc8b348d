package dev.vigil.operator.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression found by the bad-input property test on the mock server: every status write of a
 * monitor, policy or stack recomputed every stack's selection (stacks × monitors each time), which
 * stalled discovery and the reconcilers waiting on it when a thousand objects arrived. Only spec
 * (generation) and label changes recompute now.
 */
class StatusOnlyUpdateTest {
  static ServiceMonitor monitor(long generation, Map<String, String> labels, String version) {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder()
            .withName("m")
            .withNamespace("shop")
            .withGeneration(generation)
            .withLabels(labels)
            .withResourceVersion(version)
            .build());
    return monitor;
  }

  @Test
  void aStatusWriteIsStatusOnlyASpecOrLabelChangeIsNot() {
    Map<String, String> team = Map.of("team", "platform");
    assertThat(ClusterWatches.statusOnly(monitor(1, team, "10"), monitor(1, team, "11"))).isTrue();
    assertThat(ClusterWatches.statusOnly(monitor(1, team, "10"), monitor(2, team, "11"))).isFalse();
    assertThat(
            ClusterWatches.statusOnly(
                monitor(1, team, "10"), monitor(1, Map.of("team", "other"), "11")))
        .isFalse();
    ServiceMonitor noGeneration = monitor(1, team, "11");
    noGeneration.getMetadata().setGeneration(null);
    assertThat(ClusterWatches.statusOnly(monitor(1, team, "10"), noGeneration)).isFalse();
  }
}
