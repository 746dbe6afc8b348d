package dev.vigil.reconcilers.prometheus;

import dev.vigil.api.v1alpha1.monitoringstack.ShardAutoscalingSpec;
import dev.vigil.reconcilers.relabel.PrometheusDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Vigil's own shard autoscaling ({@code scraper.autoscaling}): the shard count a stack should have
 * for the series its shards hold. Grows when the mean shard holds more than {@code
 * targetSeriesPerShard}; shrinks to the fewest shards that hold the series at 90 % of it, so a
 * count just reached is not left again at once (hysteresis); never changes twice within {@code
 * cooldown}. A pure function: the reconciler records the count and its time in the stack's status.
 */
public final class ShardAutoscaling {
  /** A shrink leaves each remaining shard at most this share of the target. */
  static final double SHRINK_HEADROOM = 0.9;

  private ShardAutoscaling() {}

  /**
   * @param shards the count chosen
   * @param why a sentence for the Ready message and the Event, e.g. "12000 series over 2 shards
   *     pass 5000 a shard: 3 shards"
   */
  public record Decision(int shards, String why) {}

  /**
   * The count for a stack that has {@code current} shards holding {@code totalSeries}.
   *
   * @param lastChange when the count last changed; null when never
   */
  public static Decision decide(
      ShardAutoscalingSpec policy, int current, long totalSeries, Instant lastChange, Instant now) {
    Objects.requireNonNull(policy, "policy");
    int fewest = Math.max(Shards.MIN, policy.minShards);
    int most = Math.max(fewest, Math.min(Shards.MAX, policy.maxShards));
    long target = Math.max(1, policy.targetSeriesPerShard);
    String held = totalSeries + " series over " + current + " shard(s)";
    if (current < fewest || current > most) {
      int bounded = Math.max(fewest, Math.min(most, current));
      return new Decision(bounded, held + ": kept within " + fewest + ".." + most + " shards");
    }
    long grown = ceilDiv(totalSeries, target);
    long shrunk = ceilDiv(totalSeries, Math.max(1, (long) Math.floor(target * SHRINK_HEADROOM)));
    int wanted;
    String reason;
    if (grown > current) {
      wanted = (int) Math.min(most, grown);
      reason = held + " pass " + target + " a shard";
    } else if (shrunk < current) {
      wanted = (int) Math.max(fewest, shrunk);
      reason = held + " fit " + Math.max(1, shrunk) + " under 90 % of " + target + " a shard";
    } else {
      return new Decision(current, held + ", " + target + " a shard wanted: no change");
    }
    if (wanted == current) {
      return new Decision(current, reason + ", but " + fewest + ".." + most + " shards allowed");
    }
    if (lastChange != null) {
      Instant until =
          lastChange.plus(Duration.ofMillis(PrometheusDuration.millis(policy.cooldown)));
      if (now.isBefore(until)) {
        return new Decision(current, reason + "; cooling down until " + until);
      }
    }
    return new Decision(wanted, reason + ": " + current + " -> " + wanted + " shards");
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }
}
