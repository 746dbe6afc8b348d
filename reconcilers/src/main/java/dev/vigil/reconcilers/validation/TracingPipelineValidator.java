package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.tracingpipeline.GatewayReference;
import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicyFields;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingSubPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorSpanMetrics;
import dev.vigil.reconcilers.collector.ConfigProblem;
import dev.vigil.reconcilers.goregex.GoRegexp;
import dev.vigil.reconcilers.httpclient.HttpUrls;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a TracingPipeline's schema cannot check, for its reconciler and an admission webhook. */
public final class TracingPipelineValidator implements Validator<TracingPipeline> {
  @Override
  public List<Problem> problems(TracingPipeline pipeline) {
    List<String> problems = new ArrayList<>();
    GatewayReference gateway =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.gateway;
    if (gateway != null) {
      String namespace =
          Objects.requireNonNullElse(gateway.namespace, pipeline.getMetadata().getNamespace());
      if (Objects.equals(gateway.name, pipeline.getMetadata().getName())
          && namespace.equals(pipeline.getMetadata().getNamespace())) {
        problems.add(
            "spec.exporters.gateway names this pipeline itself: name another TracingPipeline in"
                + " gateway mode");
      }
    }
    problems.addAll(Quantities.problems("spec.resources", pipeline.getSpec().resources));
    if (pipeline.getSpec().exporters != null) {
      problems.addAll(
          DatadogChecks.problems("spec.exporters.datadog", pipeline.getSpec().exporters.datadog));
    }
    JaegerBackendSpec jaeger =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.jaeger;
    CollectorSpanMetrics.problems(pipeline.getSpec().spanMetrics).stream()
        .map(ConfigProblem::describe)
        .forEach(problems::add);
    if (jaeger != null) {
      if (jaeger.monitor != null
          && jaeger.monitor.prometheusUrl != null
          && !HttpUrls.isAbsoluteHttp(jaeger.monitor.prometheusUrl)) {
        problems.add(
            "spec.exporters.jaeger.monitor.prometheusUrl: \""
                + jaeger.monitor.prometheusUrl
                + "\" is not an absolute http(s) URL");
      }
      problems.addAll(Quantities.problems("spec.exporters.jaeger.size", jaeger.size));
      problems.addAll(Quantities.problems("spec.exporters.jaeger.resources", jaeger.resources));
    }
    TailSamplingSpec tail =
        pipeline.getSpec().processors == null || pipeline.getSpec().processors.sampling == null
            ? null
            : pipeline.getSpec().processors.sampling.tail;
    if (tail != null && tail.policies != null) {
      for (int i = 0; i < tail.policies.size(); i++) {
        TailSamplingPolicy policy = tail.policies.get(i);
        String field = "spec.processors.sampling.tail.policies[" + i + "]";
        regexProblems(field, policy, problems);
        if (policy != null && policy.and != null) {
          subPolicyRegexProblems(field + ".and", policy.and.subPolicies, problems);
        }
        if (policy != null && policy.composite != null) {
          subPolicyRegexProblems(field + ".composite", policy.composite.subPolicies, problems);
        }
      }
    }
    return Problem.of(problems);
  }

  private static void subPolicyRegexProblems(
      String field, List<TailSamplingSubPolicy> subPolicies, List<String> problems) {
    if (subPolicies != null) {
      for (int j = 0; j < subPolicies.size(); j++) {
        regexProblems(field + ".subPolicies[" + j + "]", subPolicies.get(j), problems);
      }
    }
  }

  /**
   * The tail-sampling processor compiles each value of a regex-matching string_attribute policy
   * with Go's regexp.MustCompile: one it refuses stops the collector at start.
   */
  private static void regexProblems(
      String field, TailSamplingPolicyFields policy, List<String> problems) {
    if (policy == null
        || policy.stringAttribute == null
        || !Boolean.TRUE.equals(policy.stringAttribute.enabledRegexMatching)
        || policy.stringAttribute.values == null) {
      return;
    }
    List<String> values = policy.stringAttribute.values;
    for (int k = 0; k < values.size(); k++) {
      String value = values.get(k);
      if (value == null) {
        continue;
      }
      int index = k;
      GoRegexp.check(value)
          .ifPresent(
              error ->
                  problems.add(
                      field
                          + ".stringAttribute.values["
                          + index
                          + "]: \""
                          + value
                          + "\" is not a regular expression the collector compiles: "
                          + error.reason()));
    }
  }
}
