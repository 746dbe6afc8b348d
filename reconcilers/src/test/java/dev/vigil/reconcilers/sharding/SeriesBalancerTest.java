package dev.vigil.reconcilers.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.reconcilers.sharding.SeriesBalancer.Move;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Plan;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Settings;
import dev.vigil.reconcilers.sharding.SeriesBalancer.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link SeriesBalancer}'s contract: no moves below the trigger (hysteresis), convergence to
 * the goal otherwise, at most {@code maxMoves} moves each narrowing the gap between the heaviest
 * and the lightest shard, unknown targets neither moved nor counted, a target heavier than the mean
 * left alone without ping-pong, and the same plan whatever the input's order.
 */
class SeriesBalancerTest {
  private static final Settings SETTINGS = Settings.DEFAULT;

  @Test
  void balancedInputMovesNothing() {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      targets.add(new Target("job/t" + i, i % 4, 100 + (i % 3)));
    }
    Plan plan = SeriesBalancer.plan(targets, 4, SETTINGS);

    assertThat(plan.moves()).isEmpty();
    assertThat(plan.seriesAfter()).isEqualTo(plan.seriesBefore());
    assertThat(plan.imbalanceBefore()).isEqualTo(plan.imbalanceAfter()).isLessThan(1.01);
  }

  @Test
  void emptyInputMovesNothing() {
    Plan plan = SeriesBalancer.plan(List.of(), 3, SETTINGS);

    assertThat(plan.moves()).isEmpty();
    assertThat(plan.seriesBefore()).containsExactly(0, 0, 0);
    assertThat(plan.seriesAfter()).containsExactly(0, 0, 0);
    assertThat(plan.imbalanceBefore()).isEqualTo(1.0);
    assertThat(plan.imbalanceAfter()).isEqualTo(1.0);
  }

  @Test
  void movesTheTargetClosestToHalfTheGapUntilNoneFits() {
    List<Target> targets =
        List.of(
            new Target("a", 0, 10),
            new Target("b", 0, 40),
            new Target("c", 0, 45),
            new Target("d", 0, 60));

    Plan plan = SeriesBalancer.plan(targets, 2, SETTINGS);

    // 155 vs 0: half the gap is 77, so d (60); 95 vs 60: half is 17, so a (10); 85 vs 70: half is
    // 7, nothing fits, and 85 is still above the goal (81.375), so the plan stops there.
    assertThat(plan.moves()).containsExactly(new Move("d", 0, 1), new Move("a", 0, 1));
    assertThat(plan.seriesBefore()).containsExactly(155, 0);
    assertThat(plan.seriesAfter()).containsExactly(85, 70);
    assertThat(plan.imbalanceBefore()).isEqualTo(2.0);
    assertThat(plan.imbalanceAfter()).isEqualTo(85 / 77.5);
  }

  @Test
  void skewedInputConvergesBelowTheGoal() {
    List<Target> targets = randomTargets(new Random(1), 5_000, 8, 0);

    Plan plan = SeriesBalancer.plan(targets, 8, new Settings(0.10, 0.05, 100_000));

    assertThat(plan.imbalanceBefore()).isGreaterThan(1.10);
    assertThat(plan.imbalanceAfter()).isLessThanOrEqualTo(1.05);
    assertThat(plan.moves()).isNotEmpty();
    assertThat(plan.seriesAfter()).isEqualTo(loadsAfter(targets, plan.moves(), 8));
    assertThat(plan.moves().stream().map(Move::key).distinct()).hasSameSizeAs(plan.moves());
    // Converged: planning the result again moves nothing.
    assertThat(SeriesBalancer.plan(apply(targets, plan.moves()), 8, SETTINGS).moves()).isEmpty();
  }

  @Test
  void betweenGoalAndTriggerNothingMoves() {
    // Loads 108, 100, 100, 92: the largest is 1.08 × the mean, above the goal, below the trigger.
    List<Target> targets = new ArrayList<>();
    addSmall(targets, 0, 108);
    addSmall(targets, 1, 100);
    addSmall(targets, 2, 100);
    addSmall(targets, 3, 92);

    Plan plan = SeriesBalancer.plan(targets, 4, SETTINGS);

    assertThat(plan.imbalanceBefore()).isEqualTo(1.08);
    assertThat(plan.moves()).isEmpty();

    // Past the trigger (1.12 × the mean), the same shape is brought down to the goal.
    List<Target> over = new ArrayList<>();
    addSmall(over, 0, 112);
    addSmall(over, 1, 100);
    addSmall(over, 2, 100);
    addSmall(over, 3, 88);
    Plan rebalance = SeriesBalancer.plan(over, 4, SETTINGS);
    assertThat(rebalance.imbalanceBefore()).isEqualTo(1.12);
    assertThat(rebalance.imbalanceAfter()).isLessThanOrEqualTo(1.05);
    assertThat(rebalance.moves()).isNotEmpty().allMatch(move -> move.from() == 0);
  }

  @Test
  void maxMovesIsRespected() {
    List<Target> targets = randomTargets(new Random(2), 2_000, 4, 0);
    Plan unbounded = SeriesBalancer.plan(targets, 4, new Settings(0.10, 0.05, 100_000));
    assertThat(unbounded.moves()).hasSizeGreaterThan(3);

    Plan bounded = SeriesBalancer.plan(targets, 4, new Settings(0.10, 0.05, 3));

    assertThat(bounded.moves()).containsExactlyElementsOf(unbounded.moves().subList(0, 3));
    assertThat(bounded.seriesAfter()).isEqualTo(loadsAfter(targets, bounded.moves(), 4));
    assertThat(SeriesBalancer.plan(targets, 4, new Settings(0.10, 0.05, 0)).moves()).isEmpty();
  }

  @Test
  void aPlanCutShortIsResumedBelowTheTrigger() {
    // 130, 100, 90, 80 of one-series targets: 1.3 × the mean. 22 moves (10 to shard 3, then 6
    // each to shards 2 and 3) leave 108, 100, 96, 96: below the trigger, above the goal.
    List<Target> targets = new ArrayList<>();
    addSmall(targets, 0, 130);
    addSmall(targets, 1, 100);
    addSmall(targets, 2, 90);
    addSmall(targets, 3, 80);
    Settings settings = new Settings(0.10, 0.05, 22);

    Plan first = SeriesBalancer.plan(targets, 4, settings);
    assertThat(first.moves()).hasSize(22);
    assertThat(first.seriesAfter()).containsExactly(108, 100, 96, 96);
    assertThat(first.unfinished(settings)).isTrue();

    List<Target> next = apply(targets, first.moves());
    assertThat(SeriesBalancer.plan(next, 4, settings).moves()).isEmpty(); // below the trigger
    Plan resumed = SeriesBalancer.plan(next, 4, settings, true);
    assertThat(resumed.moves()).hasSize(3);
    assertThat(resumed.seriesAfter()).containsExactly(105, 100, 98, 97);
    assertThat(resumed.unfinished(settings)).isFalse();
    assertThat(SeriesBalancer.plan(apply(next, resumed.moves()), 4, settings, true).moves())
        .isEmpty();

    // Cut at maxMoves where no further move would help: unfinished, and resuming moves nothing.
    List<Target> huge = List.of(new Target("huge", 0, 1_000), new Target("small", 0, 10));
    Settings oneMove = new Settings(0.10, 0.05, 1);
    Plan stuck = SeriesBalancer.plan(huge, 2, oneMove);
    assertThat(stuck.moves()).containsExactly(new Move("small", 0, 1));
    assertThat(stuck.unfinished(oneMove)).isTrue();
    assertThat(SeriesBalancer.plan(apply(huge, stuck.moves()), 2, oneMove, true).moves()).isEmpty();
  }

  @Test
  void unknownTargetsAreNeitherMovedNorCounted() {
    List<Target> known = randomTargets(new Random(3), 1_000, 4, 0);
    List<Target> withUnknown = new ArrayList<>(known);
    for (int i = 0; i < 200; i++) {
      withUnknown.add(new Target("new/t" + i, 0, -1)); // not scraped yet
      withUnknown.add(new Target("gone/t" + i, 4 + i % 3, 1_000)); // on a shard scaled away
      withUnknown.add(new Target("before/t" + i, -1, 1_000));
    }

    Plan plan = SeriesBalancer.plan(withUnknown, 4, SETTINGS);

    assertThat(plan).isEqualTo(SeriesBalancer.plan(known, 4, SETTINGS));
    assertThat(plan.moves()).isNotEmpty();
    assertThat(plan.moves())
        .noneMatch(move -> move.key().startsWith("new/"))
        .noneMatch(move -> move.key().startsWith("gone/"))
        .noneMatch(move -> move.key().startsWith("before/"));
  }

  @Test
  void targetsWithoutSeriesAreNeverMoved() {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      targets.add(new Target("empty/t" + i, 0, 0));
    }
    targets.add(new Target("full/a", 0, 30));
    targets.add(new Target("full/b", 0, 30));

    Plan plan = SeriesBalancer.plan(targets, 2, SETTINGS);

    assertThat(plan.moves()).containsExactly(new Move("full/a", 0, 1));
    assertThat(plan.seriesAfter()).containsExactly(30, 30);
  }

  @Test
  void equalSeriesAreBrokenByKeyAndShardsByNumber() {
    List<Target> targets =
        List.of(
            new Target("z", 1, 50),
            new Target("m", 1, 50),
            new Target("y", 1, 50),
            new Target("keep", 0, 0),
            new Target("light", 2, 0));

    Plan plan = SeriesBalancer.plan(targets, 3, SETTINGS);

    // 0, 150, 0: from shard 1 to shard 0 (the lower of the two lightest), the smallest key first.
    assertThat(plan.moves()).containsExactly(new Move("m", 1, 0), new Move("y", 1, 2));
    assertThat(plan.seriesAfter()).containsExactly(50, 50, 50);
  }

  @Test
  void samePlanWhateverTheInputOrder() {
    List<Target> targets = randomTargets(new Random(4), 3_000, 6, 40);
    Plan expected = SeriesBalancer.plan(targets, 6, SETTINGS);
    assertThat(expected.moves()).isNotEmpty();

    Random random = new Random(5);
    for (int i = 0; i < 20; i++) {
      List<Target> shuffled = new ArrayList<>(targets);
      Collections.shuffle(shuffled, random);
      assertThat(SeriesBalancer.plan(shuffled, 6, SETTINGS)).isEqualTo(expected);
    }
  }

  @Test
  void everyMoveNarrowsTheGapAndNeverRaisesTheLargestShard() {
    List<Target> targets = randomTargets(new Random(6), 4_000, 10, 0);
    Plan plan = SeriesBalancer.plan(targets, 10, new Settings(0.10, 0.01, 100_000));
    assertThat(plan.moves()).hasSizeGreaterThan(10);

    long[] load = plan.seriesBefore();
    Map<String, Long> series = seriesByKey(targets);
    for (Move move : plan.moves()) {
      long max = max(load);
      assertThat(load[move.from()]).isEqualTo(max);
      assertThat(load[move.to()]).isEqualTo(min(load));
      long gap = load[move.from()] - load[move.to()];
      long moved = series.get(move.key());
      assertThat(moved).isPositive();
      load[move.from()] -= moved;
      load[move.to()] += moved;
      assertThat(Math.abs(load[move.from()] - load[move.to()])).isLessThan(gap);
      assertThat(load[move.to()]).isLessThanOrEqualTo(load[move.from()]);
      assertThat(max(load)).isLessThanOrEqualTo(max);
    }
    assertThat(load).isEqualTo(plan.seriesAfter());
  }

  @Test
  void aTargetHeavierThanTheMeanStaysAndThereIsNoPingPong() {
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("huge", 0, 10_000));
    addSmall(targets, 0, 400);
    addSmall(targets, 1, 1_000);
    addSmall(targets, 2, 1_000);

    Plan plan = SeriesBalancer.plan(targets, 3, SETTINGS);

    assertThat(plan.moves()).isNotEmpty().noneMatch(move -> move.key().equals("huge"));
    assertThat(plan.seriesAfter()[0]).isEqualTo(10_000); // only the huge target is left
    assertThat(plan.imbalanceAfter()).isGreaterThan(1.10);
    Plan again = SeriesBalancer.plan(apply(targets, plan.moves()), 3, SETTINGS);
    assertThat(again.moves()).isEmpty();
    assertThat(again.seriesBefore()).isEqualTo(plan.seriesAfter());

    // A shard holding nothing but that target: nothing to move at all.
    Plan alone =
        SeriesBalancer.plan(
            List.of(new Target("huge", 0, 10_000), new Target("small", 1, 10)), 2, SETTINGS);
    assertThat(alone.moves()).isEmpty();
  }

  @Test
  void aKeyListedTwiceIsMovedAtMostOnce() {
    List<Target> targets =
        List.of(
            new Target("twice", 0, 10),
            new Target("p0", 0, 100),
            new Target("twice", 1, 10),
            new Target("p1", 1, 100));

    Plan plan = SeriesBalancer.plan(targets, 3, SETTINGS);

    // 110, 110, 0: "twice" leaves shard 0; then 100, 110, 10: shard 1's copy of it may not move,
    // and p1 (100) is more than half the gap (50), so the plan stops.
    assertThat(plan.moves()).containsExactly(new Move("twice", 0, 2));
    assertThat(plan.seriesAfter()).containsExactly(100, 110, 10);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> SeriesBalancer.plan(List.of(), 0, SETTINGS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Settings(0.05, 0.05, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Settings(0.10, -0.01, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Settings(Double.NaN, 0.0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Settings(0.10, 0.05, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Settings(0.10, 0.0, 0).maxMoves()).isZero();
  }

  /**
   * {@code count} targets with heavy-tailed series (1 to about 100,000), placed on shards with a
   * bias toward shard 0 so the input is skewed; {@code unknownPercent} of them unknown.
   */
  private static List<Target> randomTargets(
      Random random, int count, int shards, int unknownPercent) {
    List<Target> targets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int shard = random.nextInt(4) == 0 ? 0 : random.nextInt(shards);
      long series =
          random.nextInt(100) < unknownPercent
              ? -1
              : (long) Math.floor(Math.pow(10, random.nextDouble() * random.nextDouble() * 5));
      targets.add(
          new Target("job-" + (i % 13) + "/10.0." + (i >> 8) + "." + (i & 255), shard, series));
    }
    return targets;
  }

  /** Targets of one series each on {@code shard}, {@code total} in all. */
  private static void addSmall(List<Target> targets, int shard, int total) {
    for (int i = 0; i < total; i++) {
      targets.add(new Target("small/" + shard + "/" + i, shard, 1));
    }
  }

  private static List<Target> apply(List<Target> targets, List<Move> moves) {
    Map<String, Integer> to = new HashMap<>();
    for (Move move : moves) {
      to.put(move.key(), move.to());
    }
    Set<String> seen = new HashSet<>();
    List<Target> result = new ArrayList<>();
    for (Target target : targets) {
      Integer shard = to.get(target.key());
      result.add(
          shard == null || !seen.add(target.key())
              ? target
              : new Target(target.key(), shard, target.series()));
    }
    return result;
  }

  private static long[] loadsAfter(List<Target> targets, List<Move> moves, int shards) {
    long[] load = new long[shards];
    for (Target target : apply(targets, moves)) {
      if (target.series() >= 0 && target.shard() >= 0 && target.shard() < shards) {
        load[target.shard()] += target.series();
      }
    }
    return load;
  }

  private static Map<String, Long> seriesByKey(List<Target> targets) {
    Map<String, Long> series = new HashMap<>();
    for (Target target : targets) {
      series.put(target.key(), target.series());
    }
    return series;
  }

  private static long max(long[] values) {
    long max = Long.MIN_VALUE;
    for (long value : values) {
      max = Math.max(max, value);
    }
    return max;
  }

  private static long min(long[] values) {
    long min = Long.MAX_VALUE;
    for (long value : values) {
      min = Math.min(min, value);
    }
    return min;
  }
}
