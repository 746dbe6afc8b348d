package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.ShardAutoscalingSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShardAutoscalingTest {
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  static ShardAutoscalingSpec policy(int min, int max, long target) {
    ShardAutoscalingSpec policy = new ShardAutoscalingSpec();
    policy.minShards = min;
    policy.maxShards = max;
    policy.targetSeriesPerShard = target;
    return policy;
  }

  @Test
  void growsToTheShardsTheSeriesNeedUpToMaxShards() {
    ShardAutoscaling.Decision decision =
        ShardAutoscaling.decide(policy(1, 10, 1000), 2, 4500, null, NOW);
    assertThat(decision.shards()).isEqualTo(5);
    assertThat(decision.why())
        .isEqualTo("4500 series over 2 shard(s) pass 1000 a shard: 2 -> 5 shards");
    assertThat(ShardAutoscaling.decide(policy(1, 3, 1000), 2, 4500, null, NOW).shards())
        .isEqualTo(3);
  }

  @Test
  void shrinksOnlyWhenFewerShardsStayUnderNinetyPercentOfTheTarget() {
    // 2,700 series: 3 shards at 900 each is exactly 90 %: shrink from 4 to 3, not to 2.
    assertThat(ShardAutoscaling.decide(policy(1, 10, 1000), 4, 2700, null, NOW).shards())
        .isEqualTo(3);
    // 2,750 series on 3 shards: 2 would hold 1,375 each; 3 is within the band, no change.
    ShardAutoscaling.Decision kept =
        ShardAutoscaling.decide(policy(1, 10, 1000), 3, 2750, null, NOW);
    assertThat(kept.shards()).isEqualTo(3);
    assertThat(kept.why()).endsWith("no change");
    // Never below minShards.
    assertThat(ShardAutoscaling.decide(policy(2, 10, 1000), 4, 10, null, NOW).shards())
        .isEqualTo(2);
  }

  @Test
  void theCoolDownHoldsTheCountButNotTheBounds() {
    Instant changed = NOW.minus(Duration.ofMinutes(3));
    ShardAutoscaling.Decision held =
        ShardAutoscaling.decide(policy(1, 10, 1000), 2, 4500, changed, NOW);
    assertThat(held.shards()).isEqualTo(2);
    assertThat(held.why()).contains("cooling down until 2026-12-07T12:07:00Z");
    assertThat(
            ShardAutoscaling.decide(
                    policy(1, 10, 1000), 2, 4500, NOW.minus(Duration.ofMinutes(10)), NOW)
                .shards())
        .isEqualTo(5);
    // A count outside the bounds (the policy changed) is brought in at once.
    assertThat(ShardAutoscaling.decide(policy(3, 10, 1000), 2, 10, changed, NOW).shards())
        .isEqualTo(3);
  }

  @Test
  void noSeriesShrinksToMinShards() {
    assertThat(ShardAutoscaling.decide(policy(1, 10, 1000), 4, 0, null, NOW).shards()).isEqualTo(1);
  }
}
