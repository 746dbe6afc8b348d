package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import java.util.ArrayList;
import java.util.List;

/** What a ServiceMonitor's schema cannot check, for its reconciler and an admission webhook. */
public final class ServiceMonitorValidator implements Validator<ServiceMonitor> {
  @Override
  public List<Problem> problems(ServiceMonitor monitor) {
    List<String> problems = new ArrayList<>();
    if (monitor.getSpec().endpoints == null || monitor.getSpec().endpoints.isEmpty()) {
      return Problem.of(List.of("spec.endpoints is empty: list at least one endpoint to scrape"));
    }
    problems.addAll(
        Quantities.problems(
            "spec.nativeHistogramMinBucketFactor",
            monitor.getSpec().nativeHistogramMinBucketFactor));
    for (int i = 0; i < monitor.getSpec().endpoints.size(); i++) {
      problems.addAll(
          RelabelValidator.endpointProblems(
              "spec.endpoints[" + i + "]", monitor.getSpec().endpoints.get(i)));
    }
    return Problem.of(problems);
  }
}
