package dev.vigil.reconcilers.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigInputs;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigRenderer;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigInputs;
import dev.vigil.reconcilers.collector.CollectorConfigRenderer;
import dev.vigil.reconcilers.collector.LogAgentConfigBuilder;
import dev.vigil.reconcilers.collector.LogAgentInputs;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerConfigRenderer;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import dev.vigil.reconcilers.prometheus.PrometheusConfigInputs;
import dev.vigil.reconcilers.prometheus.PrometheusConfigRenderer;
import dev.vigil.reconcilers.prometheus.RuleFileRenderer;
import dev.vigil.reconcilers.rules.PolicyRules;
import dev.vigil.reconcilers.rules.PromQLExpressionCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a custom resource holds — the schema bypassed, as the mock server or an old
 * CRD would let through — Vigil's renderers never throw: every part they cannot render becomes a
 * problem, and what they render can be written. 2,000 objects come from {@link
 * CustomResourceGenerator} (the examples, varied and mutated), from a fixed seed so a failure can
 * be replayed.
 */
class MutatedObjectsTest {
  static final long SEED = 20261125L;
  static final int OBJECTS = 2000;

  @Test
  void renderersNeverThrowOnMutatedObjects() {
    CustomResourceGenerator generator = new CustomResourceGenerator(SEED);
    int rendered = 0;
    int unreadable = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      CustomResourceGenerator.Generated generated = generator.next(i, "shop", "o" + i, 1.0);
      HasMetadata object = generated.typedOrNull();
      if (object == null) {
        unreadable++; // the API server would refuse it too: wrong JSON types
        continue;
      }
      try {
        render(object);
        rendered++;
      } catch (RuntimeException e) {
        StackTraceElement[] at = e.getStackTrace();
        failures.add(
            generated + ": " + e + " at " + List.of(at).subList(0, Math.min(8, at.length)));
      }
    }
    System.out.printf(
        "mutated objects: %d rendered, %d unreadable (wrong JSON types)%n", rendered, unreadable);
    assertThat(failures).as("objects a renderer threw on").isEmpty();
    assertThat(rendered).as("objects rendered (unreadable: %d)", unreadable).isGreaterThan(1000);
  }

  /** Every renderer the object reaches, as the reconcilers call them. */
  static void render(HasMetadata object) {
    PrometheusConfigInputs inputs = PrometheusConfigInputs.of("http://vigil:8080", "/token");
    if (object instanceof MonitoringStack stack) {
      if (stack.getSpec() == null) {
        stack.setSpec(new MonitoringStackSpec());
      }
      int shards =
          stack.getSpec().scraper == null || stack.getSpec().scraper.shards == null
              ? 1
              : stack.getSpec().scraper.shards;
      for (int shard = 0; shard < Math.min(shards, 3); shard++) {
        PrometheusConfigRenderer.renderString(
            PrometheusConfigBuilder.build(stack, shard, List.of(), List.of(), inputs).config());
      }
      AlertmanagerConfigRenderer.renderString(
          AlertmanagerConfigBuilder.build(stack, List.of(), AlertmanagerConfigInputs.of())
              .config());
    } else if (object instanceof ServiceMonitor monitor) {
      PrometheusConfigRenderer.renderString(
          PrometheusConfigBuilder.build(stack(), 0, List.of(monitor), List.of(), inputs).config());
    } else if (object instanceof PodMonitor monitor) {
      PrometheusConfigRenderer.renderString(
          PrometheusConfigBuilder.build(stack(), 0, List.of(), List.of(monitor), inputs).config());
    } else if (object instanceof AlertPolicy policy) {
      RuleFileRenderer.render(PolicyRules.build(policy, new PromQLExpressionCheck()).file());
      AlertmanagerConfigRenderer.renderString(
          AlertmanagerConfigBuilder.build(stack(), List.of(policy), AlertmanagerConfigInputs.of())
              .config());
    } else if (object instanceof LogPipeline pipeline) {
      if (pipeline.getSpec() == null) {
        pipeline.setSpec(new dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec());
      }
      var agent =
          LogAgentConfigBuilder.build(
              pipeline,
              new LogAgentInputs(
                  new java.util.TreeSet<>(List.of("shop")),
                  null,
                  "vigil-system",
                  "vigil-logs-shop",
                  "http://logs-victorialogs.shop.svc:9428",
                  null,
                  true));
      if (agent.config() != null) {
        CollectorConfigRenderer.renderString(agent.config());
      }
    } else if (object instanceof TracingPipeline pipeline) {
      var collector =
          CollectorConfigBuilder.build(
              pipeline,
              new CollectorConfigInputs(null, null, JaegerNames.collectorEndpoint(pipeline)));
      if (collector.config() != null) {
        CollectorConfigRenderer.renderString(collector.config());
      }
      var jaeger = JaegerConfigBuilder.build(pipeline);
      if (jaeger.config() != null) {
        JaegerConfigRenderer.renderString(jaeger.config());
      }
    }
  }

  static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    return stack;
  }
}
