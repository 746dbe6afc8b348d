package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.logpipeline.LogAgentSpec;
import dev.vigil.api.v1alpha1.logpipeline.LogBackendsSpec;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec;
import dev.vigil.api.v1alpha1.logpipeline.MultilineRule;
import dev.vigil.reconcilers.discovery.LabelSelection;
import dev.vigil.reconcilers.goregex.GoRegexp;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a LogPipeline's schema cannot check, and what its CEL rules say again for an API server that
 * skipped them: a backend, label selectors that select, RE2 first-line patterns (the collector
 * compiles them with Go's regexp and refuses its whole configuration over one), and quantities.
 */
public final class LogPipelineValidator implements Validator<LogPipeline> {
  @Override
  public List<Problem> problems(LogPipeline pipeline) {
    LogPipelineSpec spec = pipeline.getSpec();
    List<String> problems = new ArrayList<>();
    LogBackendsSpec backends = spec.backends;
    if (backends == null
        || (backends.victoriaLogs == null
            && (backends.otlp == null || backends.otlp.isEmpty())
            && backends.datadog == null
            && backends.debug == null)) {
      problems.add("spec.backends: configure at least one of victoriaLogs, otlp, datadog or debug");
    }
    if (backends != null && backends.datadog != null) {
      problems.addAll(DatadogChecks.problems("spec.backends.datadog", backends.datadog));
    }
    if (spec.select != null) {
      if (spec.select.namespaces != null) {
        selectorProblem(
            "spec.select.namespaces.selector", spec.select.namespaces.selector, problems);
      }
      selectorProblem("spec.select.pods", spec.select.pods, problems);
    }
    List<MultilineRule> rules = spec.multiline == null ? List.of() : spec.multiline;
    // Each container's lines are joined by one rule at most: a rule naming no container takes
    // every container the others do not name.
    Set<String> named = new HashSet<>();
    int catchAlls = 0;
    for (int i = 0; i < rules.size(); i++) {
      MultilineRule rule = rules.get(i);
      if (rule == null || rule.containers == null || rule.containers.isEmpty()) {
        catchAlls++;
        continue;
      }
      for (String container : rule.containers) {
        if (container != null && !named.add(container)) {
          problems.add(
              "spec.multiline["
                  + i
                  + "].containers: "
                  + container
                  + " is named by another rule too; give each container one rule");
        }
      }
    }
    if (catchAlls > 1) {
      problems.add(
          "spec.multiline: "
              + catchAlls
              + " rules name no container; only one may (it takes every container the others do"
              + " not name)");
    }
    for (int i = 0; i < rules.size(); i++) {
      MultilineRule rule = rules.get(i);
      String field = "spec.multiline[" + i + "].firstLinePattern";
      if (rule == null || rule.firstLinePattern == null || rule.firstLinePattern.isEmpty()) {
        problems.add(field + " is empty: give a regular expression matching a record's first line");
        continue;
      }
      GoRegexp.check(rule.firstLinePattern)
          .ifPresent(
              e ->
                  problems.add(
                      field + " is not an RE2 regular expression, as Go reads it: " + e.message()));
    }
    LogAgentSpec agent = spec.agent;
    if (agent != null) {
      problems.addAll(Quantities.problems("spec.agent.resources", agent.resources));
    }
    if (backends != null && backends.victoriaLogs != null) {
      problems.addAll(
          Quantities.problems("spec.backends.victoriaLogs.size", backends.victoriaLogs.size));
      problems.addAll(
          Quantities.problems(
              "spec.backends.victoriaLogs.resources", backends.victoriaLogs.resources));
    }
    return Problem.of(problems);
  }

  private static void selectorProblem(String field, LabelSelector selector, List<String> problems) {
    try {
      LabelSelection.of(selector);
    } catch (IllegalArgumentException e) {
      problems.add(field + "." + e.getMessage());
    }
  }
}
