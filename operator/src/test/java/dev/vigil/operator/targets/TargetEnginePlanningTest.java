package dev.vigil.operator.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine plans on its own thread, once for every change that came while the last plan was asked
 * for or being made: a burst of monitor edits is one plan per plan's time, not one per edit.
 */
class TargetEnginePlanningTest {
  static final MonitoringStack STACK =
      EngineObjects.stack(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: MonitoringStack
          metadata: {name: platform, namespace: shop, uid: u1, generation: 1}
          spec: {scraper: {shards: 2}, monitorSelector: {}}
          """);

  static PodMonitor monitor(int interval) {
    return EngineObjects.podMonitor(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: checkout, namespace: shop, generation: %d}
        spec:
          selector: {matchLabels: {app: checkout}}
          podMetricsEndpoints: [{port: metrics, interval: %ds}]
        """
            .formatted(interval, interval));
  }

  @Test
  void changesThatComeWhileAPlanIsAskedForAreTakenInByOnePlan() {
    try (TargetEngine engine = new TargetEngine(null, Set.of())) {
      engine.deliver(EngineObjects.namespace("shop", Map.of()));
      engine.deliver(STACK);
      engine.deliver(monitor(10));
      long plans = engine.plans();
      long changes = engine.planChanges();
      assertThat(engine.podMonitors(STACK)).hasSize(1);

      // The planner needs the engine's lock: while it is held, every edit waits for one plan.
      synchronized (engine) {
        for (int interval = 11; interval <= 110; interval++) {
          engine.changed(monitor(interval));
        }
        assertThat(engine.podMonitors(STACK).get(0).getSpec().podMetricsEndpoints.get(0).interval)
            .as("the plan is not made on the caller's thread")
            .isEqualTo("10s");
      }
      engine.awaitPlanned();

      assertThat(engine.planChanges() - changes).isEqualTo(100);
      assertThat(engine.plans() - plans).as("plans for 100 edits").isEqualTo(1);
      assertThat(engine.podMonitors(STACK).get(0).getSpec().podMetricsEndpoints.get(0).interval)
          .isEqualTo("110s");
    }
  }

  @Test
  void eachChangeAloneIsPlannedAndDeliverReturnsOnceItIs() {
    try (TargetEngine engine = new TargetEngine(null, Set.of())) {
      engine.deliver(EngineObjects.namespace("shop", Map.of()));
      engine.deliver(STACK);
      for (int interval = 10; interval < 13; interval++) {
        long plans = engine.plans();
        engine.deliver(monitor(interval));
        assertThat(engine.plans() - plans).isEqualTo(1);
        assertThat(engine.podMonitors(STACK).get(0).getSpec().podMetricsEndpoints.get(0).interval)
            .isEqualTo(interval + "s");
      }
      engine.gone(monitor(12));
      engine.awaitPlanned();
      assertThat(engine.podMonitors(STACK)).isEmpty();
    }
  }
}
