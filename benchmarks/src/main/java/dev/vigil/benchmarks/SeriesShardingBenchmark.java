package dev.vigil.benchmarks;

import dev.vigil.reconcilers.sharding.RendezvousSharding;
import dev.vigil.reconcilers.sharding.SeriesBalancer;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Move;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Plan;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Settings;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Balancing a skewed cluster's shards by series ({@link SeriesBalancer}) instead of by target count
 * ({@link RendezvousSharding}).
 *
 * <p>The workload: {@link ShardingBenchmark#targetKeys}'s 100,000 targets on 10 shards; the target
 * of rank {@code r} (ranks 1 to 100,000 dealt to the targets by a shuffle with seed {@value #SEED})
 * has {@code max(10, round(50,000 × r^-1.1))} series (Zipf's law, exponent 1.1): 50,000 for the
 * heaviest, 23,326 for the second, 3,972 for the tenth, 10 from rank 2,206 on; 1,275,651 series in
 * all (127,565 per shard, of which the heaviest target alone is 39 %), 12.8 per target. A
 * churned-in target gets the series of a uniformly drawn rank, so it follows the same distribution.
 *
 * <p>Timed: one {@link SeriesBalancer#plan} with {@link Settings#DEFAULT} from the rendezvous
 * placement (its 500 moves). The figures (computed once) compare count balance with series balance
 * (plans applied one after the other until one moves nothing, each resuming the previous one when
 * it was cut short at 500 moves; and, for comparison, never resuming), then remove 1,000 random
 * targets and add 1,000 new ones (placed by rendezvous, series known as after their first scrape)
 * and plan again.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class SeriesShardingBenchmark implements BenchmarkFigures {
  static final int FIGURE_TARGETS = 100_000;
  static final int FIGURE_SHARDS = 10;
  static final int CHURN = 1_000;
  static final long SEED = 21;
  static final double EXPONENT = 1.1;
  static final long HEAVIEST = 50_000;
  static final long MINIMUM = 10;

  /** Rounds of planning after which the figures give up converging (never reached). */
  private static final int MAX_ROUNDS = 100;

  @Param("100000")
  public int targets;

  @Param("10")
  public int shards;

  private List<Target> start;

  @Setup
  public void generateTargets() {
    start = rendezvousStart(targets, shards);
  }

  @Benchmark
  @PerformanceTarget("< 100 ms")
  public Plan plan() {
    return SeriesBalancer.plan(start, shards, Settings.DEFAULT);
  }

  /** The series of the target of Zipf rank {@code rank} (1 is the heaviest). */
  static long seriesOfRank(int rank) {
    return Math.max(MINIMUM, Math.round(HEAVIEST * Math.pow(rank, -EXPONENT)));
  }

  /** {@code count} targets with Zipf series, each on its rendezvous shard. */
  static List<Target> rendezvousStart(int count, int shards) {
    List<Integer> ranks = new ArrayList<>(count);
    for (int rank = 1; rank <= count; rank++) {
      ranks.add(rank);
    }
    Collections.shuffle(ranks, new Random(SEED));
    List<String> keys = ShardingBenchmark.targetKeys(count);
    List<Target> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String key = keys.get(i);
      result.add(
          new Target(key, RendezvousSharding.shardOf(key, shards), seriesOfRank(ranks.get(i))));
    }
    return result;
  }

  @Override
  public List<ResultTable.Row> figures() {
    String params = "shards=" + FIGURE_SHARDS + ", targets=" + FIGURE_TARGETS;
    List<Target> counted = rendezvousStart(FIGURE_TARGETS, FIGURE_SHARDS);
    List<ResultTable.Row> rows = new ArrayList<>();
    rows.add(
        row(
            "count-balanced (rendezvous): largest shard's series",
            params,
            ratio(seriesPerShard(counted)),
            "× the mean series per shard"));
    rows.add(
        row(
            "count-balanced (rendezvous): largest shard's targets",
            params,
            ratio(targetsPerShard(counted)),
            "× the mean targets per shard"));

    Rebalance balance = rebalance(counted, true, false);
    rows.add(
        row(
            "series-weighted: largest shard's series",
            params,
            ratio(seriesPerShard(balance.targets)),
            "× the mean, after " + balance.rounds + " plan rounds (DEFAULT, resumed)"));
    rows.add(
        row(
            "series-weighted: largest shard's targets",
            params,
            ratio(targetsPerShard(balance.targets)),
            "× the mean targets per shard"));
    rows.add(
        row(
            "series-weighted: targets moved",
            params,
            balance.moved + " (first round " + balance.firstRound + ")",
            "targets, of " + FIGURE_TARGETS));
    Rebalance plain = rebalance(counted, false, false);
    rows.add(
        row(
            "series-weighted, never resumed: largest shard's series",
            params,
            ratio(seriesPerShard(plain.targets)),
            "× the mean, after "
                + plain.rounds
                + " plan rounds, "
                + plain.moved
                + " targets moved"));

    List<Target> churned = churn(balance.targets);
    String churnParams = params + ", churn=" + CHURN + " out + " + CHURN + " in";
    rows.add(
        row(
            "1 % churn: largest shard's series",
            churnParams, ratio(seriesPerShard(churned)), "× the mean, before re-planning"));
    Rebalance again = rebalance(churned, true, false);
    rows.add(
        row(
            "1 % churn, re-planned: largest shard's series",
            churnParams,
            ratio(seriesPerShard(again.targets)),
            "× the mean, after " + again.rounds + " plan round(s)"));
    rows.add(
        row(
            "1 % churn, re-planned: targets moved",
            churnParams, String.valueOf(again.moved), "targets, of " + FIGURE_TARGETS));
    Rebalance forced = rebalance(churned, true, true);
    rows.add(
        row(
            "1 % churn, forced back to the goal: targets moved",
            churnParams,
            String.valueOf(forced.moved),
            "targets (to "
                + ratio(seriesPerShard(forced.targets))
                + " × the mean), had the trigger been the goal"));
    return rows;
  }

  /**
   * What {@link #rebalance} did.
   *
   * @param rounds plans that moved something
   * @param firstRound targets the first plan moved
   */
  record Rebalance(List<Target> targets, int rounds, int moved, int firstRound) {}

  /**
   * Plans with {@link Settings#DEFAULT} and applies the moves until a plan moves nothing, as an
   * operator would once per interval.
   *
   * @param resume resume a plan cut short at {@code maxMoves} (see {@link Plan#unfinished})
   * @param fromGoal start as if resuming: move toward the goal even below the trigger (what no
   *     hysteresis would do)
   */
  static Rebalance rebalance(List<Target> targets, boolean resume, boolean fromGoal) {
    List<Target> current = targets;
    int rounds = 0;
    int moved = 0;
    int firstRound = 0;
    boolean unfinished = fromGoal;
    while (rounds < MAX_ROUNDS) {
      Plan plan = SeriesBalancer.plan(current, FIGURE_SHARDS, Settings.DEFAULT, unfinished);
      if (plan.moves().isEmpty()) {
        break;
      }
      if (rounds == 0) {
        firstRound = plan.moves().size();
      }
      rounds++;
      moved += plan.moves().size();
      current = apply(current, plan.moves());
      unfinished = resume && plan.unfinished(Settings.DEFAULT);
    }
    return new Rebalance(current, rounds, moved, firstRound);
  }

  /** Removes {@value #CHURN} random targets and adds as many new ones, placed by rendezvous. */
  static List<Target> churn(List<Target> targets) {
    Random random = new Random(SEED + 1);
    Map<String, Target> byKey = new LinkedHashMap<>();
    for (Target target : targets) {
      byKey.put(target.key(), target);
    }
    List<String> keys = new ArrayList<>(byKey.keySet());
    for (int removed = 0; removed < CHURN; ) {
      if (byKey.remove(keys.get(random.nextInt(keys.size()))) != null) {
        removed++;
      }
    }
    List<String> newKeys = ShardingBenchmark.targetKeys(FIGURE_TARGETS + CHURN);
    for (String key : newKeys.subList(FIGURE_TARGETS, FIGURE_TARGETS + CHURN)) {
      long series = seriesOfRank(1 + random.nextInt(FIGURE_TARGETS));
      byKey.put(key, new Target(key, RendezvousSharding.shardOf(key, FIGURE_SHARDS), series));
    }
    return new ArrayList<>(byKey.values());
  }

  static List<Target> apply(List<Target> targets, List<Move> moves) {
    Map<String, Integer> to = new HashMap<>();
    for (Move move : moves) {
      to.put(move.key(), move.to());
    }
    List<Target> result = new ArrayList<>(targets.size());
    for (Target target : targets) {
      Integer shard = to.get(target.key());
      result.add(shard == null ? target : new Target(target.key(), shard, target.series()));
    }
    return result;
  }

  static long[] seriesPerShard(List<Target> targets) {
    long[] perShard = new long[FIGURE_SHARDS];
    for (Target target : targets) {
      perShard[target.shard()] += target.series();
    }
    return perShard;
  }

  static long[] targetsPerShard(List<Target> targets) {
    long[] perShard = new long[FIGURE_SHARDS];
    for (Target target : targets) {
      perShard[target.shard()]++;
    }
    return perShard;
  }

  private static String ratio(long[] perShard) {
    return String.format(Locale.ROOT, "%.4f", SeriesBalancer.imbalance(perShard));
  }

  private static ResultTable.Row row(String figure, String params, String result, String unit) {
    return new ResultTable.Row("SeriesShardingBenchmark: " + figure, params, result, unit);
  }
}
