package dev.vigil.reconcilers.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Plans which targets to move between a stack's shards so that each shard scrapes about the same
 * number of series, not the same number of targets: targets differ by orders of magnitude in
 * series, so {@link RendezvousSharding}'s even counts can leave one shard with far more samples
 * than the others. Pure and deterministic: the plan depends only on the set of targets, the shard
 * count and the settings, never on the input's order (ties are broken by key).
 *
 * <p>A shard's load is the sum of the known series of the targets it scrapes now. A target whose
 * series are unknown (a negative count: a new target, not scraped yet) weighs nothing and is never
 * moved: it stays where rendezvous hashing placed it and is weighed at the next plan, once a shard
 * has scraped it. So is a target whose shard is outside {@code [0, shards)} (its placement is
 * unknown, e.g. right after a scale-down): it is skipped, neither counted nor moved.
 *
 * <p><b>Hysteresis.</b> Moving a target costs something (the new shard starts a new series stream,
 * the old one's goes stale), so the plan does nothing while the largest shard is within {@code (1 +
 * trigger)} × the mean. Once past it, the plan moves targets until the largest shard is within
 * {@code (1 + goal)} × the mean, with {@code goal < trigger}: a shard that drifts back up a little
 * after a rebalance stays below the trigger, so small fluctuations of series never move targets
 * back and forth.
 *
 * <p><b>Bounded moves.</b> A plan moves at most {@link Settings#maxMoves()} targets, each at most
 * once; what is left is done by the next plan (the next interval), so a large imbalance is worked
 * off in steps that each shard can absorb. A plan cut short that way can leave the largest shard
 * between the goal and the trigger, where a plain next plan would not start: pass {@code resume} to
 * {@link #plan(Collection, int, Settings, boolean)} when the previous plan was {@linkplain
 * Plan#unfinished(Settings) unfinished}, so the rebalance the trigger started goes on to the goal.
 *
 * <p><b>The moves.</b> Repeatedly, from the heaviest shard to the lightest (the lowest shard number
 * on ties), the plan moves the target whose series are closest to, but not above, half the gap
 * between them (the smallest key among equals; targets with no series are never moved). That target
 * strictly narrows the pair's gap and leaves the lighter shard no heavier than the heavier one was,
 * so the largest shard never grows. It stops at the goal, at {@code maxMoves}, or when the heaviest
 * shard has no such target (e.g. one target heavier than the mean, which cannot be split: it stays,
 * and planning again from the result moves nothing, so there is no ping-pong).
 *
 * <p>Cost: sorting each shard's targets by series once (O(n log n)), then O(log n) per move; keys
 * are compared only within the few groups of equal series a move looks at.
 */
public final class SeriesBalancer {

  private SeriesBalancer() {}

  /**
   * How eagerly to rebalance.
   *
   * @param trigger rebalance only when the largest shard exceeds {@code (1 + trigger)} × the mean,
   *     e.g. 0.10
   * @param goal stop moving once the largest shard is at most {@code (1 + goal)} × the mean; {@code
   *     goal < trigger} (hysteresis), e.g. 0.05
   * @param maxMoves most targets moved in one plan (bounded moves per interval)
   */
  public record Settings(double trigger, double goal, int maxMoves) {
    /** Rebalance past 10 % over the mean, down to 5 %, at most 500 targets per plan. */
    public static final Settings DEFAULT = new Settings(0.10, 0.05, 500);

    public Settings {
      if (!(goal >= 0 && goal < trigger)) {
        throw new IllegalArgumentException(
            "need 0 <= goal < trigger, got goal " + goal + ", trigger " + trigger);
      }
      if (maxMoves < 0) {
        throw new IllegalArgumentException("maxMoves must be at least 0, got " + maxMoves);
      }
    }
  }

  /**
   * One target.
   *
   * @param key its key, in {@link RendezvousSharding#targetKey(String, String)} form
   * @param shard the shard scraping it now
   * @param series its series; a negative value when unknown (e.g. a new target not yet scraped)
   */
  public record Target(String key, int shard, long series) {
    public Target {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Move the target with this key from shard {@code from} to shard {@code to}. */
  public record Move(String key, int from, int to) {}

  /**
   * The moves of one plan.
   *
   * @param moves in the order they were chosen; each key at most once
   * @param seriesBefore known series per shard before the moves
   * @param seriesAfter known series per shard after the moves
   */
  public record Plan(List<Move> moves, long[] seriesBefore, long[] seriesAfter) {
    public Plan {
      moves = List.copyOf(moves);
      seriesBefore = seriesBefore.clone();
      seriesAfter = seriesAfter.clone();
    }

    @Override
    public long[] seriesBefore() {
      return seriesBefore.clone();
    }

    @Override
    public long[] seriesAfter() {
      return seriesAfter.clone();
    }

    /** Largest shard / mean shard of {@link #seriesBefore()}; 1.0 when all are zero. */
    public double imbalanceBefore() {
      return imbalance(seriesBefore);
    }

    /** Largest shard / mean shard of {@link #seriesAfter()}; 1.0 when all are zero. */
    public double imbalanceAfter() {
      return imbalance(seriesAfter);
    }

    /**
     * Whether this plan stopped at {@code settings.maxMoves()} with the largest shard still above
     * the goal: the next plan should {@code resume} it. False when it stopped at the goal or for
     * want of a useful move (planning again would move nothing).
     */
    public boolean unfinished(Settings settings) {
      return !moves.isEmpty()
          && moves.size() >= settings.maxMoves()
          && imbalanceAfter() > 1 + settings.goal();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Plan plan
          && moves.equals(plan.moves)
          && Arrays.equals(seriesBefore, plan.seriesBefore)
          && Arrays.equals(seriesAfter, plan.seriesAfter);
    }

    @Override
    public int hashCode() {
      return Objects.hash(moves, Arrays.hashCode(seriesBefore), Arrays.hashCode(seriesAfter));
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "Plan[%d moves, series %s -> %s, imbalance %.3f -> %.3f]",
          moves.size(),
          Arrays.toString(seriesBefore),
          Arrays.toString(seriesAfter),
          imbalanceBefore(),
          imbalanceAfter());
    }
  }

  /** Largest / mean of {@code perShard}; 1.0 when all are zero (or there are none). */
  public static double imbalance(long[] perShard) {
    long total = 0;
    long max = 0;
    for (long series : perShard) {
      total += series;
      max = Math.max(max, series);
    }
    return total == 0 ? 1.0 : (double) max * perShard.length / total;
  }

  /**
   * Plans the moves that bring the largest shard's series to the goal, see the class comment.
   *
   * <p>A key listed more than once (which should not happen) counts on every shard it is listed on
   * and is moved at most once.
   *
   * @throws IllegalArgumentException when {@code shards < 1}
   */
  public static Plan plan(Collection<Target> targets, int shards, Settings settings) {
    return plan(targets, shards, settings, false);
  }

  /**
   * Like {@link #plan(Collection, int, Settings)}; with {@code resume}, moves targets even when the
   * largest shard is below the trigger (but above the goal), to finish a rebalance the previous
   * plan left {@linkplain Plan#unfinished(Settings) unfinished} at {@code maxMoves}.
   */
  public static Plan plan(
      Collection<Target> targets, int shards, Settings settings, boolean resume) {
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(settings, "settings");
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    long[] load = new long[shards];
    int[] movable = new int[shards];
    for (Target target : targets) {
      if (isKnown(target, shards)) {
        load[target.shard()] += target.series();
        if (target.series() > 0) {
          movable[target.shard()]++;
        }
      }
    }
    long total = 0;
    for (long series : load) {
      total += series;
    }
    if (!above(load, total, resume ? settings.goal() : settings.trigger())
        || settings.maxMoves() == 0) {
      return new Plan(List.of(), load, load);
    }
    long[] before = load.clone();

    Candidates[] candidates = new Candidates[shards];
    Target[][] byShard = new Target[shards][];
    for (int shard = 0; shard < shards; shard++) {
      byShard[shard] = new Target[movable[shard]];
    }
    int[] filled = new int[shards];
    for (Target target : targets) {
      if (isKnown(target, shards) && target.series() > 0) {
        byShard[target.shard()][filled[target.shard()]++] = target;
      }
    }
    for (int shard = 0; shard < shards; shard++) {
      candidates[shard] = new Candidates(byShard[shard]);
    }

    List<Move> moves = new ArrayList<>();
    Set<String> moved = new HashSet<>();
    while (moves.size() < settings.maxMoves() && above(load, total, settings.goal())) {
      int heaviest = 0;
      int lightest = 0;
      for (int shard = 1; shard < shards; shard++) {
        if (load[shard] > load[heaviest]) {
          heaviest = shard;
        }
        if (load[shard] < load[lightest]) {
          lightest = shard;
        }
      }
      Target target = candidates[heaviest].take((load[heaviest] - load[lightest]) / 2, moved);
      if (target == null) {
        break; // the heaviest shard cannot get lighter without another shard getting as heavy
      }
      moved.add(target.key());
      moves.add(new Move(target.key(), heaviest, lightest));
      load[heaviest] -= target.series();
      load[lightest] += target.series();
    }
    return new Plan(moves, before, load);
  }

  private static boolean isKnown(Target target, int shards) {
    return target.series() >= 0 && target.shard() >= 0 && target.shard() < shards;
  }

  /** Whether the largest shard is over {@code (1 + margin)} × the mean. */
  private static boolean above(long[] load, long total, double margin) {
    long max = 0;
    for (long series : load) {
      max = Math.max(max, series);
    }
    return (double) max * load.length > (1 + margin) * (double) total;
  }

  /**
   * One shard's movable targets, sorted by series; each group of equal series is sorted by key
   * (descending, so the smallest key is last) the first time a move looks at it. Taken targets are
   * skipped through a union-find of "the nearest untaken position at or left of here".
   */
  private static final class Candidates {
    private static final Comparator<Target> BY_SERIES = Comparator.comparingLong(Target::series);
    private static final Comparator<Target> BY_KEY_DESCENDING =
        Comparator.comparing(Target::key, Collections.reverseOrder());

    private final Target[] targets;
    private final long[] series;

    /** Position + 1 of the nearest untaken target at or left of a position + 1; 0 for none. */
    private final int[] untaken;

    /** Group starts whose group is sorted by key. */
    private final boolean[] groupSorted;

    Candidates(Target[] targets) {
      Arrays.sort(targets, BY_SERIES);
      this.targets = targets;
      this.series = new long[targets.length];
      for (int i = 0; i < targets.length; i++) {
        series[i] = targets[i].series();
      }
      this.untaken = new int[targets.length + 1];
      for (int i = 0; i <= targets.length; i++) {
        untaken[i] = i;
      }
      this.groupSorted = new boolean[targets.length];
    }

    /**
     * Removes and returns the target with the most series at most {@code limit}, the smallest key
     * among equals, skipping keys in {@code moved}; null when there is none.
     */
    Target take(long limit, Set<String> moved) {
      // The last position whose series are at most the limit.
      int position = upperBound(limit) - 1;
      while (true) {
        position = find(position + 1) - 1;
        if (position < 0) {
          return null;
        }
        sortGroupOf(position); // moves no taken target: position is still the last untaken
        Target target = targets[position];
        untaken[position + 1] = position; // taken: point left
        if (!moved.contains(target.key())) {
          return target;
        }
      }
    }

    /** The first position whose series exceed {@code limit}. */
    private int upperBound(long limit) {
      int low = 0;
      int high = series.length;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (series[middle] <= limit) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low;
    }

    private int find(int slot) {
      int root = slot;
      while (untaken[root] != root) {
        root = untaken[root];
      }
      while (untaken[slot] != root) {
        int next = untaken[slot];
        untaken[slot] = root;
        slot = next;
      }
      return root;
    }

    /**
     * Sorts by key the group of equal series around an untaken {@code position}, unless done. A
     * group is sorted before any of its targets is taken, so sorting never moves a taken one.
     */
    private void sortGroupOf(int position) {
      long value = series[position];
      int start = upperBound(value - 1);
      if (groupSorted[start]) {
        return;
      }
      int end = upperBound(value);
      Arrays.sort(targets, start, end, BY_KEY_DESCENDING);
      groupSorted[start] = true;
    }
  }
}
