package dev.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.reconcilers.sharding.SeriesBalancer;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Plan;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Settings;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Target;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The workload {@link SeriesShardingBenchmark} documents is the one it generates, and the figures
 * docs/performance.md quotes beside its table hold.
 */
class SeriesShardingBenchmarkTest {
  @Test
  void workloadMatchesItsDescription() {
    assertThat(SeriesShardingBenchmark.seriesOfRank(1)).isEqualTo(50_000);
    assertThat(SeriesShardingBenchmark.seriesOfRank(2)).isEqualTo(23_326);
    assertThat(SeriesShardingBenchmark.seriesOfRank(10)).isEqualTo(3_972);
    assertThat(SeriesShardingBenchmark.seriesOfRank(2_205)).isGreaterThan(10);
    assertThat(SeriesShardingBenchmark.seriesOfRank(2_206)).isEqualTo(10);
    assertThat(SeriesShardingBenchmark.seriesOfRank(100_000)).isEqualTo(10);

    List<Target> targets = SeriesShardingBenchmark.rendezvousStart(100_000, 10);
    assertThat(targets.stream().mapToLong(Target::series).sum()).isEqualTo(1_275_651);
    assertThat(targets.stream().map(Target::key).distinct().count()).isEqualTo(100_000);
    assertThat(SeriesShardingBenchmark.rendezvousStart(100_000, 10)).isEqualTo(targets);

    Set<Target> before = new HashSet<>(targets);
    List<Target> churned = SeriesShardingBenchmark.churn(targets);
    assertThat(churned).hasSize(100_000);
    assertThat(churned.stream().filter(t -> !before.contains(t))).hasSize(1_000);
  }

  /** The 100-shard figures docs/performance.md quotes: a target heavier than the mean stays. */
  @Test
  void onAHundredShardsTheHeaviestTargetBoundsTheBalance() {
    long head = 0;
    for (int rank = 1; rank <= 10; rank++) {
      head += SeriesShardingBenchmark.seriesOfRank(rank);
    }
    assertThat(head).isEqualTo(134_009);

    List<Target> targets = SeriesShardingBenchmark.rendezvousStart(100_000, 100);
    Settings unbounded = new Settings(0.10, 0.05, 1_000_000);
    Plan plan = SeriesBalancer.plan(targets, 100, unbounded);
    assertThat(plan.imbalanceBefore()).isCloseTo(4.7794, within(1e-4));
    assertThat(plan.imbalanceAfter()).isCloseTo(3.9196, within(1e-4));
    assertThat(plan.moves()).hasSize(1_016);
    assertThat(plan.unfinished(unbounded)).isFalse();
    assertThat(SeriesBalancer.plan(apply(targets, plan), 100, Settings.DEFAULT, true).moves())
        .isEmpty();
  }

  private static List<Target> apply(List<Target> targets, Plan plan) {
    Map<String, Integer> to = new HashMap<>();
    plan.moves().forEach(move -> to.put(move.key(), move.to()));
    return targets.stream()
        .map(t -> new Target(t.key(), to.getOrDefault(t.key(), t.shard()), t.series()))
        .toList();
  }
}
