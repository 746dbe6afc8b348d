package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.RetainedShard;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ShardRetentionSpec;
import dev.vigil.reconcilers.relabel.PrometheusDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which shards above a stack's shard count keep running after a scale-down, and until when: the
 * decision of {@code scraper.shardRetention}, a pure function of the serving count, the shards that
 * still have a StatefulSet, what the status recorded last time, the policy and the time.
 *
 * <p>With {@code whenScaled: Retain} a shard that has a StatefulSet but an index at or above the
 * count is retained from the first time Vigil sees it so ({@code since}, kept in the status across
 * restarts) until {@code since} plus the retention period ({@code until}); from then on it is
 * expired and its objects are deleted. A shard back under the count serves again and is no longer
 * retained. With {@code Delete} (the default, as prometheus-operator) nothing is retained.
 *
 * @param retained the shards kept running, by index, as the status records them
 * @param nextDeadline how long until the first retained shard expires, for a requeue; empty when
 *     none expires
 */
public record ShardRetention(List<RetainedShard> retained, Optional<Duration> nextDeadline) {
  /** What Prometheus keeps by default, and so a retained shard when no period is given. */
  static final Duration DEFAULT_PERIOD = Duration.ofDays(15);

  public ShardRetention {
    retained = List.copyOf(retained);
  }

  /** Nothing retained. */
  public static final ShardRetention NONE = new ShardRetention(List.of(), Optional.empty());

  /** The decision for {@code stack}, from its spec and status. */
  public static ShardRetention of(
      MonitoringStack stack, int serving, Collection<Integer> existing, Instant now) {
    ScraperSpec scraper = stack.getSpec() == null ? null : stack.getSpec().scraper;
    List<RetainedShard> recorded =
        stack.getStatus() == null || stack.getStatus().retainedShards == null
            ? List.of()
            : stack.getStatus().retainedShards;
    return decide(serving, existing, recorded, scraper, now);
  }

  /**
   * The decision.
   *
   * @param serving the shards in service, {@code Shards.of(stack)}
   * @param existing the indexes of the shards whose StatefulSet exists
   * @param recorded the status' {@code retainedShards} of the last reconcile
   * @param scraper the stack's scraper settings (policy, retention, retentionSize); may be null
   */
  public static ShardRetention decide(
      int serving,
      Collection<Integer> existing,
      List<RetainedShard> recorded,
      ScraperSpec scraper,
      Instant now) {
    ShardRetentionSpec policy = scraper == null ? null : scraper.shardRetention;
    if (policy == null || policy.whenScaled != ShardRetentionSpec.WhenScaled.Retain) {
      return NONE;
    }
    Optional<Duration> period = period(scraper);
    Map<Integer, Instant> since = new HashMap<>();
    for (RetainedShard shard : recorded) {
      Instant at = parse(shard.since);
      if (shard.shard != null && at != null) {
        since.put(shard.shard, at);
      }
    }
    Instant second = now.truncatedTo(ChronoUnit.SECONDS);
    List<RetainedShard> retained = new ArrayList<>();
    Duration next = null;
    for (int shard : new TreeSet<>(existing)) {
      if (shard < serving) {
        continue;
      }
      Instant from = since.getOrDefault(shard, second);
      if (period.isEmpty()) {
        retained.add(new RetainedShard(shard, from.toString(), null));
        continue;
      }
      Instant until = from.plus(period.get());
      if (!now.isBefore(until)) {
        continue; // its window is over: deleted
      }
      retained.add(new RetainedShard(shard, from.toString(), until.toString()));
      Duration left = Duration.between(now, until);
      next = next == null || left.compareTo(next) < 0 ? left : next;
    }
    return new ShardRetention(retained, Optional.ofNullable(next));
  }

  /**
   * How long a retained shard is kept: {@code retain.retentionPeriod}, else the stack's {@code
   * retention} (the age of the oldest samples the shard can hold); empty (for ever) when retention
   * is {@code 0} and a {@code retentionSize} is set, as prometheus-operator keeps a shard of a
   * Prometheus that retains by size only.
   */
  static Optional<Duration> period(ScraperSpec scraper) {
    ShardRetentionSpec policy = scraper.shardRetention;
    if (policy.retain != null && policy.retain.retentionPeriod != null) {
      long nanos = PrometheusDuration.nanos(policy.retain.retentionPeriod);
      if (nanos >= 0) {
        return Optional.of(Duration.ofNanos(nanos));
      }
    }
    long retention =
        PrometheusDuration.nanos(scraper.retention == null ? "15d" : scraper.retention);
    if (retention > 0) {
      return Optional.of(Duration.ofNanos(retention));
    }
    if (retention == 0 && scraper.retentionSize != null) {
      return Optional.empty();
    }
    return Optional.of(DEFAULT_PERIOD);
  }

  /** The retained shards' indexes. */
  public SortedSet<Integer> shards() {
    SortedSet<Integer> shards = new TreeSet<>();
    retained.forEach(r -> shards.add(r.shard));
    return shards;
  }

  /** What the Ready condition adds, or "" when nothing is retained. */
  String note() {
    if (retained.isEmpty()) {
      return "";
    }
    List<String> each = new ArrayList<>();
    for (RetainedShard shard : retained) {
      each.add(
          "shard " + shard.shard + (shard.until == null ? " for ever" : " until " + shard.until));
    }
    return "; "
        + retained.size()
        + " retained shard(s) scrape nothing and still answer queries: "
        + String.join(", ", each);
  }

  private static Instant parse(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
