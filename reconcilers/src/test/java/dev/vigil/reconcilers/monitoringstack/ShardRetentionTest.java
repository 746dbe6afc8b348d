package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.RetainedShard;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardRetainSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardRetentionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retention decision: which shards above the count keep running, and until when. */
class ShardRetentionTest {
  static final Instant NOW = Instant.parse("2026-12-07T18:00:00.250Z");
  static final String NOW_S = "2026-12-07T18:00:00Z";

  static ScraperSpec retain(String period) {
    ScraperSpec scraper = new ScraperSpec();
    scraper.shardRetention = new ShardRetentionSpec();
    scraper.shardRetention.whenScaled = ShardRetentionSpec.WhenScaled.Retain;
    if (period != null) {
      scraper.shardRetention.retain = new ShardRetainSpec();
      scraper.shardRetention.retain.retentionPeriod = period;
    }
    return scraper;
  }

  static List<Integer> shards(ShardRetention retention) {
    return List.copyOf(retention.shards());
  }

  @Test
  void withoutAPolicyOrWithDeleteNothingIsRetained() {
    assertThat(ShardRetention.decide(2, List.of(0, 1, 2, 3), List.of(), new ScraperSpec(), NOW))
        .isEqualTo(ShardRetention.NONE);
    ScraperSpec delete = retain("1h");
    delete.shardRetention.whenScaled = ShardRetentionSpec.WhenScaled.Delete;
    assertThat(ShardRetention.decide(2, List.of(0, 1, 2), List.of(), delete, NOW))
        .isEqualTo(ShardRetention.NONE);
    assertThat(ShardRetention.decide(2, List.of(0, 1, 2), List.of(), null, NOW))
        .isEqualTo(ShardRetention.NONE);
    // The schema's default is Delete, as prometheus-operator's.
    assertThat(new ShardRetentionSpec().whenScaled).isEqualTo(ShardRetentionSpec.WhenScaled.Delete);
  }

  @Test
  void aShardAboveTheCountIsRetainedFromNowForThePeriod() {
    ShardRetention retention =
        ShardRetention.decide(2, List.of(1, 0, 3, 2), List.of(), retain("20s"), NOW);
    assertThat(retention.retained())
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactly(
            new RetainedShard(2, NOW_S, "2026-12-07T18:00:20Z"),
            new RetainedShard(3, NOW_S, "2026-12-07T18:00:20Z"));
    assertThat(retention.nextDeadline()).contains(Duration.ofMillis(19_750));
    assertThat(retention.note())
        .isEqualTo(
            "; 2 retained shard(s) scrape nothing and still answer queries: shard 2 until"
                + " 2026-12-07T18:00:20Z, shard 3 until 2026-12-07T18:00:20Z");
  }

  @Test
  void theRecordedStartSurvivesARestartAndEndsTheWindow() {
    List<RetainedShard> recorded =
        List.of(
            new RetainedShard(2, "2026-12-07T17:59:50Z", "2026-12-07T18:00:10Z"),
            new RetainedShard(3, "2026-12-07T17:59:30Z", "2026-12-07T17:59:50Z"));
    ShardRetention retention =
        ShardRetention.decide(2, List.of(0, 1, 2, 3), recorded, retain("20s"), NOW);
    // Shard 3's window is over: not retained, so its objects are deleted.
    assertThat(shards(retention)).containsExactly(2);
    assertThat(retention.retained().get(0).since).isEqualTo("2026-12-07T17:59:50Z");
    assertThat(retention.retained().get(0).until).isEqualTo("2026-12-07T18:00:10Z");
    assertThat(retention.nextDeadline()).contains(Duration.ofMillis(9_750));
    // At the deadline exactly, the window is over.
    assertThat(
            ShardRetention.decide(
                2,
                List.of(0, 1, 2),
                recorded,
                retain("20s"),
                Instant.parse("2026-12-07T18:00:10Z")))
        .isEqualTo(ShardRetention.NONE);
  }

  @Test
  void aLongerPeriodMovesTheDeadlineOfShardsAlreadyRetained() {
    List<RetainedShard> recorded =
        List.of(new RetainedShard(2, "2026-12-07T17:59:50Z", "2026-12-07T18:00:10Z"));
    ShardRetention retention =
        ShardRetention.decide(2, List.of(0, 1, 2), recorded, retain("1h"), NOW);
    assertThat(retention.retained().get(0).until).isEqualTo("2026-12-07T18:59:50Z");
  }

  @Test
  void scalingBackUpServesTheRetainedShardAgainAndForgetsItsWindow() {
    List<RetainedShard> recorded =
        List.of(new RetainedShard(2, "2026-12-07T17:59:50Z", "2026-12-07T18:00:10Z"));
    assertThat(ShardRetention.decide(3, List.of(0, 1, 2), recorded, retain("20s"), NOW))
        .isEqualTo(ShardRetention.NONE);
    // Out of service again later: a new window from then.
    Instant later = NOW.plusSeconds(60);
    ShardRetention again =
        ShardRetention.decide(2, List.of(0, 1, 2), List.of(), retain("20s"), later);
    assertThat(again.retained().get(0).since).isEqualTo("2026-12-07T18:01:00Z");
  }

  @Test
  void aRecordedShardWithoutStatefulSetIsForgotten() {
    List<RetainedShard> recorded =
        List.of(new RetainedShard(2, "2026-12-07T17:59:50Z", "2026-12-07T18:00:10Z"));
    assertThat(ShardRetention.decide(2, List.of(0, 1), recorded, retain("20s"), NOW))
        .isEqualTo(ShardRetention.NONE);
  }

  @Test
  void anUnreadableRecordStartsTheWindowNow() {
    List<RetainedShard> recorded = List.of(new RetainedShard(2, "yesterday", null));
    ShardRetention retention =
        ShardRetention.decide(2, List.of(0, 1, 2), recorded, retain("20s"), NOW);
    assertThat(retention.retained().get(0).since).isEqualTo(NOW_S);
  }

  @Test
  void withoutAPeriodTheStacksRetentionApplies() {
    ScraperSpec scraper = retain(null);
    assertThat(ShardRetention.period(scraper)).contains(Duration.ofDays(15));
    scraper.retention = "2h";
    assertThat(ShardRetention.period(scraper)).contains(Duration.ofHours(2));
    ScraperSpec explicit = retain("30m");
    explicit.retention = "2h";
    assertThat(ShardRetention.period(explicit)).contains(Duration.ofMinutes(30));
  }

  @Test
  void aStackRetainingBySizeOnlyKeepsItsShardsForEver() {
    ScraperSpec scraper = retain(null);
    scraper.retention = "0";
    scraper.retentionSize = "50GB";
    assertThat(ShardRetention.period(scraper)).isEqualTo(Optional.empty());
    ShardRetention retention = ShardRetention.decide(1, List.of(0, 1), List.of(), scraper, NOW);
    assertThat(retention.retained())
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactly(new RetainedShard(1, NOW_S, null));
    assertThat(retention.nextDeadline()).isEmpty();
    assertThat(retention.note()).endsWith("shard 1 for ever");
    // Retention 0 without a size: Prometheus' default of 15d.
    scraper.retentionSize = null;
    assertThat(ShardRetention.period(scraper)).contains(Duration.ofDays(15));
  }

  @Test
  void theServingSelectorNamesOnlyTheShardsInService() {
    var stack = new dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack();
    stack.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("x").build());
    assertThat(MonitoringStackReconciler.servingSelector(stack, 3))
        .isEqualTo(
            "app.kubernetes.io/component=prometheus,app.kubernetes.io/instance=x,"
                + "monitoring.vigil.dev/shard in (0,1,2)");
  }
}
