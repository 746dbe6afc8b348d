package dev.vigil.benchmarks;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import dev.vigil.reconcilers.monitoringstack.StackRules;
import dev.vigil.reconcilers.rules.ExpressionCheck;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A stack's rules from 500 AlertPolicies of 10 rules each (5,000 rules): every rule built with its
 * labels (and, namespace-enforced, its expression rewritten), every policy's file rendered, and the
 * files packed into ConfigMaps, as each reconcile of the stack does. Expressions are taken as valid
 * here; checking them is {@code PromQLBenchmark}'s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class RuleRenderingBenchmark implements BenchmarkFigures {
  static final int POLICIES = 500;
  static final int RULES_PER_POLICY = 10;
  private static final ExpressionCheck ANY = expression -> Optional.empty();
  private static final NamespaceEnforcement ENFORCED =
      new NamespaceEnforcement("namespace", List.of());

  private List<AlertPolicy> policies;

  @Setup
  public void makePolicies() {
    policies = policies();
  }

  @Benchmark
  @PerformanceTarget("< 500 ms")
  public StackRules render5000Rules() {
    return StackRules.of(policies, ANY, NamespaceEnforcement.NONE);
  }

  /**
   * The same with {@code enforcedNamespaceLabel: namespace}: every expression parsed and edited.
   */
  @Benchmark
  @PerformanceTarget("< 500 ms")
  public StackRules render5000RulesNamespaceEnforced() {
    return StackRules.of(policies, ANY, ENFORCED);
  }

  @Override
  public List<ResultTable.Row> figures() {
    StackRules rules = StackRules.of(policies(), ANY, NamespaceEnforcement.NONE);
    String params = "policies=" + POLICIES + ", rules=" + POLICIES * RULES_PER_POLICY;
    long bytes =
        rules.configMaps().stream()
            .flatMap(m -> m.values().stream())
            .mapToLong(String::length)
            .sum();
    return List.of(
        new ResultTable.Row(
            "RuleRenderingBenchmark: rule ConfigMaps", params, "" + rules.configMaps().size(), ""),
        new ResultTable.Row(
            "RuleRenderingBenchmark: rule files",
            params,
            String.format(Locale.ROOT, "%.1f", bytes / 1024.0),
            "KiB"));
  }

  static List<AlertPolicy> policies() {
    List<AlertPolicy> policies = new ArrayList<>();
    for (int p = 0; p < POLICIES; p++) {
      AlertPolicy policy = new AlertPolicy();
      policy.setMetadata(
          new ObjectMetaBuilder().withName("team-" + p).withNamespace("ns-" + p % 50).build());
      policy.setSpec(new AlertPolicySpec());
      RuleGroup group = new RuleGroup();
      group.name = "service.rules";
      group.rules = new ArrayList<>();
      for (int r = 0; r < RULES_PER_POLICY; r++) {
        Rule rule = new Rule();
        if (r % 3 == 0) {
          rule.record = "job:http_requests:rate5m_" + r;
          rule.expr =
              new IntOrString(
                  "sum by (job) (rate(http_requests_total{job=\"svc-" + p + "\"}[5m]))");
        } else {
          rule.alert = "HighErrorRatio" + r;
          rule.expr =
              new IntOrString(
                  "sum(rate(http_requests_total{job=\"svc-"
                      + p
                      + "\",code=~\"5..\"}[5m])) / sum(rate(http_requests_total{job=\"svc-"
                      + p
                      + "\"}[5m])) > 0.05");
          rule.forDuration = "10m";
          rule.labels = Map.of("severity", r % 2 == 0 ? "page" : "warning");
          rule.annotations =
              Map.of("summary", "{{ $labels.job }} fails {{ $value | humanizePercentage }}");
        }
        group.rules.add(rule);
      }
      policy.getSpec().groups = List.of(group);
      policies.add(policy);
    }
    return policies;
  }
}
