package dev.vigil.reconcilers.prometheus;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardAutoscalingSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardBalancingSpec;

/**
 * How many Prometheus shards a stack has: counted here once, passed on everywhere else. With {@code
 * scraper.autoscaling}, the count autoscaling last chose ({@code status.shards}, see {@link
 * ShardAutoscaling}) within its bounds; otherwise {@code scraper.shards}.
 */
public final class Shards {
  /**
   * The schema's bounds on shards; a stack outside them is reported invalid and deploys nothing.
   */
  public static final int MIN = 1;

  public static final int MAX = 100;

  private Shards() {}

  /**
   * The stack's shard count, kept within the schema's bounds: where the schema was bypassed, a
   * stack asking for -1 or a million shards is reported invalid, and meanwhile the monitors and
   * discovery that read it see one shard or a hundred, never a negative array or a million.
   */
  public static int of(MonitoringStack stack) {
    ScraperSpec scraper = stack.getSpec() == null ? null : stack.getSpec().scraper;
    Integer shards = scraper == null ? null : scraper.shards;
    ShardAutoscalingSpec autoscaling = scraper == null ? null : scraper.autoscaling;
    if (autoscaling != null && autoscaling.minShards != null && autoscaling.maxShards != null) {
      // Autoscaling's last decision is the count; the spec's is where it starts.
      if (stack.getStatus() != null && stack.getStatus().shards != null) {
        shards = stack.getStatus().shards;
      }
      int fewest = bounded(autoscaling.minShards);
      shards =
          Math.max(
              fewest, Math.min(Math.max(fewest, bounded(autoscaling.maxShards)), bounded(shards)));
    }
    return bounded(shards);
  }

  /** Whether the stack balances series over its shards ({@code scraper.balancing.by: series}). */
  public static boolean balancesSeries(MonitoringStack stack) {
    ScraperSpec scraper = stack.getSpec() == null ? null : stack.getSpec().scraper;
    return scraper != null
        && scraper.balancing != null
        && scraper.balancing.by == ShardBalancingSpec.By.series;
  }

  /**
   * Whether the operator reads the series of the stack's shards from their query API: to balance
   * them, or to autoscale.
   */
  public static boolean seriesRead(MonitoringStack stack) {
    ScraperSpec scraper = stack.getSpec() == null ? null : stack.getSpec().scraper;
    return balancesSeries(stack) || scraper != null && scraper.autoscaling != null;
  }

  private static int bounded(Integer shards) {
    return shards == null ? MIN : Math.max(MIN, Math.min(MAX, shards));
  }
}
