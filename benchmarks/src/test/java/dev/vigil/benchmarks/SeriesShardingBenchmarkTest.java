package dev.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.sharding.SeriesBalancer.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The workload {@link SeriesShardingBenchmark} documents is the one it generates. */
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
}
