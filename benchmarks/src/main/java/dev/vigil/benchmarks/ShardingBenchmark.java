package dev.vigil.benchmarks;

import dev.vigil.reconcilers.sharding.RendezvousSharding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Assigning a large cluster's targets to a stack's shards, as every reconcile and SD poll does. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ShardingBenchmark implements BenchmarkFigures {
  private static final int FIGURE_TARGETS = 100_000;

  @Param("100000")
  public int targets;

  @Param("10")
  public int shards;

  private List<String> keys;

  @Setup
  public void generateTargets() {
    keys = targetKeys(targets);
  }

  @Benchmark
  public List<List<String>> assignTargets() {
    return RendezvousSharding.assign(keys, key -> key, shards);
  }

  @Override
  public List<ResultTable.Row> figures() {
    List<String> figureKeys = targetKeys(FIGURE_TARGETS);
    int[] perShard = new int[10];
    int moved = 0;
    for (String key : figureKeys) {
      int before = RendezvousSharding.shardOf(key, 10);
      perShard[before]++;
      if (RendezvousSharding.shardOf(key, 11) != before) {
        moved++;
      }
    }
    int largest = 0;
    for (int count : perShard) {
      largest = Math.max(largest, count);
    }
    String params = "targets=" + FIGURE_TARGETS;
    return List.of(
        new ResultTable.Row(
            "ShardingBenchmark: targets moved, 10 → 11 shards",
            params,
            String.format(Locale.ROOT, "%.4f", (double) moved / FIGURE_TARGETS),
            String.format(Locale.ROOT, "fraction (ideal 1/11 = %.4f)", 1.0 / 11)),
        new ResultTable.Row(
            "ShardingBenchmark: largest of 10 shards",
            params,
            String.format(Locale.ROOT, "%.4f", largest * 10.0 / FIGURE_TARGETS),
            "× an even share (ideal 1)"));
  }

  /** Distinct targets as discovery yields them: sequential pod IPs, three ports, 700 jobs. */
  static List<String> targetKeys(int count) {
    int[] ports = {8080, 9090, 9100};
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String job = "serviceMonitor/team-" + (i % 7) + "/app-" + (i % 50) + "/" + (i % 2);
      String address =
          "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255) + ":" + ports[i % 3];
      keys.add(RendezvousSharding.targetKey(job, address));
    }
    return keys;
  }
}
