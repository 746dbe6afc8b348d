package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackStatus;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardAutoscalingSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardBalancingSpec;
import org.junit.jupiter.api.Test;

class ShardsTest {
  static MonitoringStack stack(int shards, Integer statusShards, ShardAutoscalingSpec autoscaling) {
    MonitoringStack stack = new MonitoringStack();
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper = new ScraperSpec();
    stack.getSpec().scraper.shards = shards;
    stack.getSpec().scraper.autoscaling = autoscaling;
    if (statusShards != null) {
      stack.setStatus(new MonitoringStackStatus());
      stack.getStatus().shards = statusShards;
    }
    return stack;
  }

  static ShardAutoscalingSpec autoscaling(int min, int max) {
    ShardAutoscalingSpec policy = new ShardAutoscalingSpec();
    policy.minShards = min;
    policy.maxShards = max;
    policy.targetSeriesPerShard = 1000L;
    return policy;
  }

  @Test
  void withoutAutoscalingTheSpecCountsAndStatusIsIgnored() {
    assertThat(Shards.of(stack(4, 7, null))).isEqualTo(4);
    assertThat(Shards.of(stack(400, null, null))).isEqualTo(Shards.MAX);
  }

  @Test
  void withAutoscalingItsLastDecisionCountsWithinItsBounds() {
    assertThat(Shards.of(stack(2, null, autoscaling(1, 5)))).as("where it starts").isEqualTo(2);
    assertThat(Shards.of(stack(2, 4, autoscaling(1, 5)))).isEqualTo(4);
    assertThat(Shards.of(stack(2, 9, autoscaling(1, 5)))).isEqualTo(5);
    assertThat(Shards.of(stack(1, null, autoscaling(3, 5)))).isEqualTo(3);
  }

  @Test
  void seriesAreReadToBalanceThemOrToAutoscale() {
    MonitoringStack counted = stack(2, null, null);
    assertThat(Shards.seriesRead(counted)).isFalse();
    counted.getSpec().scraper.balancing = new ShardBalancingSpec();
    assertThat(Shards.balancesSeries(counted)).as("by: targets is the default").isFalse();
    counted.getSpec().scraper.balancing.by = ShardBalancingSpec.By.series;
    assertThat(Shards.balancesSeries(counted)).isTrue();
    assertThat(Shards.seriesRead(stack(2, null, autoscaling(1, 3)))).isTrue();
  }
}
