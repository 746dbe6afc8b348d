package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import java.util.Map;
import java.util.TreeMap;

/** The labels of every object Vigil makes for a TracingPipeline. */
final class PipelineLabels {
  static final String COLLECTOR = StackDiscoveryJobs.OTEL_COLLECTOR_COMPONENT;
  static final String JAEGER = StackDiscoveryJobs.JAEGER_COMPONENT;

  private PipelineLabels() {}

  static Map<String, String> of(TracingPipeline pipeline, String component) {
    Map<String, String> labels = new TreeMap<>(selector(pipeline, component));
    labels.put(StackLabels.MANAGED_BY, StackLabels.VIGIL);
    labels.put(StackLabels.PART_OF, StackLabels.VIGIL);
    return labels;
  }

  /** The labels selecting a component's pods; never change for a given object. */
  static Map<String, String> selector(TracingPipeline pipeline, String component) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(StackLabels.INSTANCE, pipeline.getMetadata().getName());
    labels.put(StackLabels.COMPONENT, component);
    return labels;
  }
}
