package dev.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.promql.PromQL;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

class PromQLBenchmarkTest {
  @Test
  void everyTypicalRuleIsValidAndCountedOnce() throws NoSuchMethodException {
    assertThat(PromQLBenchmark.TYPICAL_RULES)
        .allSatisfy(e -> assertThat(PromQL.check(e)).isEmpty());
    int perInvocation =
        PromQLBenchmark.class
            .getMethod("parseTypicalRules", org.openjdk.jmh.infra.Blackhole.class)
            .getAnnotation(OperationsPerInvocation.class)
            .value();
    assertThat(PromQLBenchmark.TYPICAL_RULES).hasSize(perInvocation);
  }
}
