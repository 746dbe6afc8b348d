package dev.vigil.reconcilers.prometheus;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;

/** How many Prometheus shards a stack has: counted here once, passed on everywhere else. */
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
    Integer shards =
        stack.getSpec() == null || stack.getSpec().scraper == null
            ? null
            : stack.getSpec().scraper.shards;
    return shards == null ? MIN : Math.max(MIN, Math.min(MAX, shards));
  }
}
