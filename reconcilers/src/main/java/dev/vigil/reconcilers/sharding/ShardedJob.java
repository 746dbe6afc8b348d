package dev.vigil.reconcilers.sharding;

import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.relabel.RelabelOutcome;
import dev.vigil.reconcilers.relabel.ScrapeDefaults;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One scrape job of one stack as its shards see it: the job's discovered target groups, each target
 * relabeled as Prometheus will relabel it ({@link TargetRelabeling}), the ones Prometheus would
 * drop left out, the others split among the shards by rendezvous hashing; kept up to date one
 * change at a time.
 *
 * <p>Each shard is served the groups of the targets it scrapes, with their discovered labels
 * unchanged, so Prometheus's own relabeling gives the result computed here. A target is placed by
 * the job name and its relabeled {@code __address__} (or {@code __tmp_hash} when relabeling sets
 * it, and on every shard when it sets {@code __tmp_disable_sharding}, as under
 * prometheus-operator), so targets Prometheus would scrape as one are on one shard. Targets
 * Prometheus refuses with an error are served (Prometheus logs the error) but not counted; when the
 * job cannot be evaluated, every target is served and counted as discovered, and {@link
 * #unevaluated()} says why.
 *
 * <p>{@link #update} is cheap for an unchanged job (a version compare) and proportional to the
 * job's groups otherwise, relabeling only groups it has not seen (groups are immutable, so an
 * unchanged source keeps its objects); a shard's {@linkplain #version(int) version} changes only
 * when its own answer does. Thread-safe.
 */
public final class ShardedJob {
  /** Versions of every shard answer of every job, so a version never repeats in the process. */
  private static final AtomicLong VERSIONS = new AtomicLong();

  private final String jobName;
  private final TargetRelabeling relabeling;
  private final int shards;
  private final Placement placement;

  private long sourceVersion = Long.MIN_VALUE;
  private long placedVersion = Long.MIN_VALUE;
  private IdentityHashMap<TargetGroup, Split> splits = new IdentityHashMap<>();
  private List<List<TargetGroup>> answers;
  private final long[] versions;
  private Counts counts;

  /**
   * @param jobName the job's name in the stack's configuration, which places its targets
   * @param relabeling what Prometheus does to the job's targets; null to serve every target as
   *     discovered
   */
  public ShardedJob(String jobName, TargetRelabeling relabeling, int shards) {
    this(jobName, relabeling, shards, Placement.RENDEZVOUS);
  }

  /**
   * @param placement places each kept target by its key: rendezvous hashing, or a stack's {@link
   *     BalancedPlacement}
   */
  public ShardedJob(String jobName, TargetRelabeling relabeling, int shards, Placement placement) {
    this.jobName = Objects.requireNonNull(jobName, "jobName");
    this.placement = Objects.requireNonNull(placement, "placement");
    this.relabeling = relabeling;
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    this.shards = shards;
    this.versions = new long[shards];
    this.answers = emptyAnswers(shards);
  }

  /** Whether {@link #update} with this source version would change anything. */
  public synchronized boolean isCurrent(long version) {
    return version <= sourceVersion && placement.version() == placedVersion;
  }

  /**
   * Brings the shards' answers up to {@code groups}, the job's discovered groups at {@code
   * version}; an older version is ignored, and an equal one unless the placement changed since.
   *
   * @return the shards whose answer changed
   */
  public synchronized Set<Integer> update(long version, List<TargetGroup> groups) {
    long placed = placement.version();
    if (version < sourceVersion || version == sourceVersion && placed == placedVersion) {
      return Set.of();
    }
    boolean first = sourceVersion == Long.MIN_VALUE;
    if (placed != placedVersion && !first) {
      splits = new IdentityHashMap<>(); // every target is placed again
    }
    sourceVersion = version;
    placedVersion = placed;
    IdentityHashMap<TargetGroup, Split> next = new IdentityHashMap<>(groups.size() * 2);
    List<List<TargetGroup>> built = new ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      built.add(new ArrayList<>());
    }
    for (TargetGroup group : groups) {
      Split split = splits.get(group);
      if (split == null) {
        split = split(group);
      }
      next.put(group, split);
      for (int i = 0; i < split.servedShards.length; i++) {
        built.get(split.servedShards[i]).add(split.servedGroups[i]);
      }
    }
    splits = next;
    counts = null;
    Set<Integer> changed = new HashSet<>();
    for (int shard = 0; shard < shards; shard++) {
      if (first || !sameElements(answers.get(shard), built.get(shard))) {
        versions[shard] = VERSIONS.incrementAndGet();
        answers.set(shard, List.copyOf(built.get(shard)));
        changed.add(shard);
      }
    }
    return changed;
  }

  /** What {@code shard} is served now. */
  public synchronized Answer answer(int shard) {
    return new Answer(versions[shard], answers.get(shard));
  }

  /**
   * One shard's answer.
   *
   * @param version changes whenever the groups do; never repeats in the process
   * @param groups in discovery's order
   */
  public record Answer(long version, List<TargetGroup> groups) {}

  public int shards() {
    return shards;
  }

  /** Targets Prometheus scrapes on each shard: kept by relabeling, equal ones once. */
  public synchronized int[] scrapedPerShard() {
    return counts().perShard.clone();
  }

  /** Distinct targets Prometheus scrapes over all shards. */
  public synchronized int scraped() {
    return counts().distinct;
  }

  /**
   * A note, for a Ready message, on the jobs whose relabeling Vigil cannot evaluate, whose targets
   * are all served and counted as discovered; empty when there are none.
   */
  public static String unevaluatedNote(List<String> jobs) {
    if (jobs.isEmpty()) {
      return "";
    }
    return "; "
        + jobs.size()
        + " job(s) counted before relabeling, as Vigil cannot evaluate it as Prometheus will: "
        + String.join("; ", jobs.subList(0, Math.min(3, jobs.size())))
        + (jobs.size() > 3 ? "; ..." : "");
  }

  /** Targets discovery found for the job, before relabeling. */
  public synchronized int discovered() {
    return counts().discovered;
  }

  /**
   * Why targets are counted as discovered instead of relabeled: the job cannot be evaluated, or
   * some targets' outcome is left to chance by Prometheus; empty when the counts are exact.
   */
  public synchronized Optional<String> unevaluated() {
    if (relabeling == null) {
      return Optional.empty();
    }
    if (relabeling.unevaluable().isPresent()) {
      return relabeling.unevaluable();
    }
    return Optional.ofNullable(counts().undecided);
  }

  private Counts counts() {
    if (counts == null) {
      List<Set<Long>> scraped = new ArrayList<>(shards);
      for (int i = 0; i < shards; i++) {
        scraped.add(new HashSet<>());
      }
      Set<Long> distinct = new HashSet<>();
      int discovered = 0;
      String undecided = null;
      for (Split split : splits.values()) {
        discovered += split.discovered;
        undecided = undecided == null ? split.undecided : undecided;
        for (int t = 0; t < split.counted.length; t++) {
          long fingerprint = split.counted[t];
          distinct.add(fingerprint);
          int shard = split.countedShard[t];
          if (shard == Placement.NOWHERE) {
            continue; // handed over: on no shard's list for now
          }
          for (int s = shard < 0 ? 0 : shard; s < (shard < 0 ? shards : shard + 1); s++) {
            scraped.get(s).add(fingerprint);
          }
        }
      }
      int[] perShard = new int[shards];
      for (int i = 0; i < shards; i++) {
        perShard[i] = scraped.get(i).size();
      }
      counts = new Counts(perShard, distinct.size(), discovered, undecided);
    }
    return counts;
  }

  /** Relabels one group's targets and places the ones served. */
  private Split split(TargetGroup group) {
    List<String> addresses = group.targets();
    int[] servedOn = new int[addresses.size()]; // a shard, -1 for every shard, -2 for none
    long[] counted = new long[addresses.size()];
    int[] countedShard = new int[addresses.size()];
    boolean weighs = placement.weighsSeries();
    String[] keys = weighs ? new String[addresses.size()] : null;
    long[] seriesLabels = weighs ? new long[addresses.size()] : null;
    int countedTargets = 0;
    String undecided = null;
    for (int t = 0; t < addresses.size(); t++) {
      String address = addresses.get(t);
      int shard;
      long fingerprint;
      String key = address;
      long visible = 0; // unknown: the labels Prometheus gives the target are not known
      if (relabeling == null || relabeling.unevaluable().isPresent()) {
        shard = shardOf(address);
        fingerprint = fingerprint(group.labels(), address);
      } else {
        RelabelOutcome outcome = relabeling.apply(group.labels(), address);
        if (outcome instanceof RelabelOutcome.Dropped) {
          servedOn[t] = -2;
          continue;
        }
        if (outcome instanceof RelabelOutcome.Failed) {
          servedOn[t] = shardOf(address); // Prometheus logs why; not scraped
          continue;
        }
        if (outcome instanceof RelabelOutcome.Kept kept) {
          key = placementKey(kept.labels());
          shard = key == null ? -1 : shardOf(key);
          fingerprint = fingerprint(kept.labels(), null);
          if (weighs) {
            visible = seriesFingerprint(kept.labels());
          }
        } else {
          undecided = ((RelabelOutcome.Undecided) outcome).reason();
          shard = shardOf(address);
          fingerprint = fingerprint(group.labels(), address);
        }
      }
      servedOn[t] = shard;
      counted[countedTargets] = fingerprint;
      countedShard[countedTargets] = shard;
      if (weighs) {
        keys[countedTargets] = key == null ? null : RendezvousSharding.targetKey(jobName, key);
        seriesLabels[countedTargets] = visible;
      }
      countedTargets++;
    }
    SortedMap<Integer, List<String>> served = new TreeMap<>();
    for (int t = 0; t < addresses.size(); t++) {
      if (servedOn[t] == -1) {
        for (int shard = 0; shard < shards; shard++) {
          served.computeIfAbsent(shard, s -> new ArrayList<>(1)).add(addresses.get(t));
        }
      } else if (servedOn[t] >= 0) {
        served.computeIfAbsent(servedOn[t], s -> new ArrayList<>(1)).add(addresses.get(t));
      }
    }
    int[] servedShards = new int[served.size()];
    TargetGroup[] servedGroups = new TargetGroup[served.size()];
    int i = 0;
    for (Map.Entry<Integer, List<String>> mine : served.entrySet()) {
      servedShards[i] = mine.getKey();
      // Most groups hold one target: the group itself is the answer, no copy of its labels.
      servedGroups[i] =
          mine.getValue().equals(addresses)
              ? group
              : new TargetGroup(mine.getValue(), group.labels());
      i++;
    }
    return new Split(
        servedShards,
        servedGroups,
        Arrays.copyOf(counted, countedTargets),
        Arrays.copyOf(countedShard, countedTargets),
        weighs ? Arrays.copyOf(keys, countedTargets) : null,
        weighs ? Arrays.copyOf(seriesLabels, countedTargets) : null,
        addresses.size(),
        undecided);
  }

  /** What places a kept target (its hash, or its address); null to put it on every shard. */
  private static String placementKey(Map<String, String> labels) {
    if (!labels.getOrDefault(DISABLE_SHARDING, "").isEmpty()) {
      return null;
    }
    String hash = labels.getOrDefault(HASH, "");
    return hash.isEmpty() ? labels.get(ScrapeDefaults.ADDRESS) : hash;
  }

  private int shardOf(String key) {
    return placement.shardOf(RendezvousSharding.targetKey(jobName, key), shards);
  }

  /**
   * Visits every target this job has Prometheus scrape on one shard (or on none while it is handed
   * over), with its placement key and {@link #seriesFingerprint} of its labels (0 when relabeling
   * was not evaluated); nothing unless the placement {@linkplain Placement#weighsSeries() weighs
   * series}.
   */
  public synchronized void forEachTarget(TargetVisitor visitor) {
    for (Split split : splits.values()) {
      if (split.keys == null) {
        continue;
      }
      for (int t = 0; t < split.keys.length; t++) {
        if (split.keys[t] != null && split.countedShard[t] != -1) {
          visitor.target(split.keys[t], split.countedShard[t], split.seriesLabels[t]);
        }
      }
    }
  }

  /** One target of {@link #forEachTarget}. */
  @FunctionalInterface
  public interface TargetVisitor {
    void target(String key, int shard, long seriesFingerprint);
  }

  /**
   * A fingerprint of the labels Prometheus puts on a target's series: the names not starting with
   * {@code __}. A series of {@code scrape_samples_post_metric_relabeling}, without its {@code
   * __name__}, has the same one as its target, which is how read series are matched to targets.
   * Never 0.
   */
  public static long seriesFingerprint(SortedMap<String, String> labels) {
    SortedMap<String, String> visible = new TreeMap<>();
    labels.forEach(
        (name, value) -> {
          if (!name.startsWith("__")) {
            visible.put(name, value);
          }
        });
    long fingerprint = fingerprint(visible, null);
    return fingerprint == 0 ? 1 : fingerprint;
  }

  /**
   * A 64-bit fingerprint of sorted labels, and of an address when one is given: equal inputs, equal
   * fingerprints; two different label sets share one with a chance of about n²/2⁶⁵ among n targets
   * (FNV-1a over every character and length, then a final mix; no copy of the labels is made).
   */
  private static long fingerprint(SortedMap<String, String> labels, String address) {
    long[] hash = {0xcbf29ce484222325L};
    if (address != null) {
      hash[0] = mix(mix(hash[0], ScrapeDefaults.ADDRESS), address);
    }
    labels.forEach((name, value) -> hash[0] = mix(mix(hash[0], name), value));
    long z = hash[0];
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private static long mix(long hash, String s) {
    long h = hash;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return (h ^ s.length()) * 0x100000001b3L;
  }

  private static boolean sameElements(List<TargetGroup> a, List<TargetGroup> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static List<List<TargetGroup>> emptyAnswers(int shards) {
    List<List<TargetGroup>> answers = new ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      answers.add(List.of());
    }
    return answers;
  }

  /** prometheus-operator's labels for choosing a shard (PROMETHEUS-COMPAT.md §4, step 10). */
  static final String HASH = "__tmp_hash";

  static final String DISABLE_SHARDING = "__tmp_disable_sharding";

  /**
   * One group's targets as served and counted.
   *
   * @param servedShards the shards the group has targets on, in order
   * @param servedGroups the group restricted to the targets of each of those shards
   * @param counted fingerprints of the targets counted (kept by relabeling, or not evaluated)
   * @param countedShard the shard of each counted target; -1 for every shard, {@link
   *     Placement#NOWHERE} while handed over
   * @param keys the placement key of each counted target when the placement weighs series, else
   *     null
   * @param seriesLabels the {@link #seriesFingerprint} of each counted target, with {@code keys}
   * @param discovered the group's targets
   * @param undecided why one of them was counted without evaluation, or null
   */
  private record Split(
      int[] servedShards,
      TargetGroup[] servedGroups,
      long[] counted,
      int[] countedShard,
      String[] keys,
      long[] seriesLabels,
      int discovered,
      String undecided) {}

  private record Counts(int[] perShard, int distinct, int discovered, String undecided) {}
}
