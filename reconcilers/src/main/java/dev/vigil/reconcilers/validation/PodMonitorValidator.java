package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import java.util.ArrayList;
import java.util.List;

/** What a PodMonitor's schema cannot check, for its reconciler and an admission webhook. */
public final class PodMonitorValidator implements Validator<PodMonitor> {
  @Override
  public List<Problem> problems(PodMonitor monitor) {
    List<String> problems = new ArrayList<>();
    if (monitor.getSpec().podMetricsEndpoints == null
        || monitor.getSpec().podMetricsEndpoints.isEmpty()) {
      return Problem.of(
          List.of("spec.podMetricsEndpoints is empty: list at least one endpoint to scrape"));
    }
    problems.addAll(
        Quantities.problems(
            "spec.nativeHistogramMinBucketFactor",
            monitor.getSpec().nativeHistogramMinBucketFactor));
    for (int i = 0; i < monitor.getSpec().podMetricsEndpoints.size(); i++) {
      problems.addAll(
          RelabelValidator.endpointProblems(
              "spec.podMetricsEndpoints[" + i + "]", monitor.getSpec().podMetricsEndpoints.get(i)));
    }
    return Problem.of(problems);
  }
}
