package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import dev.vigil.reconcilers.objects.StackLabels;
import java.util.Map;
import java.util.TreeMap;

/** The labels of every object Vigil makes for a LogPipeline. */
final class LogLabels {
  static final String AGENT = "log-agent";
  static final String VICTORIA_LOGS = "victorialogs";

  /** Selects every object of one component of any pipeline, for the dependents' informers. */
  static final String AGENT_SELECTOR = StackLabels.VIGILS_COMPONENT + AGENT;

  static final String VICTORIA_LOGS_SELECTOR = StackLabels.VIGILS_COMPONENT + VICTORIA_LOGS;

  private LogLabels() {}

  static Map<String, String> of(LogPipeline pipeline, String component) {
    Map<String, String> labels = new TreeMap<>(selector(pipeline, component));
    labels.put(StackLabels.MANAGED_BY, StackLabels.VIGIL);
    labels.put(StackLabels.PART_OF, StackLabels.VIGIL);
    return labels;
  }

  /**
   * The labels selecting a component's pods; never change for a given object. The agents run in
   * another namespace than the pipeline's, so its namespace is one of them.
   */
  static Map<String, String> selector(LogPipeline pipeline, String component) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(StackLabels.INSTANCE, pipeline.getMetadata().getName());
    labels.put(StackLabels.COMPONENT, component);
    labels.put(ClusterAccess.NAMESPACE_LABEL, pipeline.getMetadata().getNamespace());
    return labels;
  }
}
