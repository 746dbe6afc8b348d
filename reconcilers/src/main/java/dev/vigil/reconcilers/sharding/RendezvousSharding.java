package dev.vigil.reconcilers.sharding;

import dev.vigil.reconcilers.discovery.TargetGroup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Assigns each scrape target to exactly one Prometheus shard of a stack by rendezvous hashing
 * (highest random weight): every shard draws a pseudo-random weight for the target key and the
 * heaviest shard wins.
 *
 * <p>The shard depends only on the key and the shard count, never on the order of targets or on
 * which other targets exist, so every replica of the operator, every reconcile and every HTTP SD
 * request agree without coordination. Going from {@code n} to {@code n + 1} shards moves about
 * {@code 1/(n + 1)} of the targets, all of them to the new shard {@code n}; going back restores the
 * previous assignment exactly. No target is dropped or scraped by two shards.
 *
 * <p>Use {@link #targetKey(String, String)} (scrape job name plus target address) as the key: the
 * same address scraped by two jobs (two ServiceMonitors, or two endpoints of one) is two targets
 * and may land on different shards, which spreads a busy pod's scrapes. The key must not contain
 * labels that change during a target's life (pod phase, readiness), or targets would hop between
 * shards and lose series continuity.
 *
 * <p>The weights come from a function fixed by tests ({@link Murmur3} of the key's UTF-8 bytes,
 * then SplitMix64 per shard), so an upgrade of Vigil never reshuffles the targets.
 */
public final class RendezvousSharding {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private RendezvousSharding() {}

  /**
   * The recommended target key: the scrape job name and the target address, e.g. {@code
   * serviceMonitor/shop/cart/0/10.1.2.3:8080}. Addresses never contain {@code /}, so distinct (job,
   * address) pairs give distinct keys.
   */
  public static String targetKey(String jobName, String address) {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(address, "address");
    return jobName + "/" + address;
  }

  /**
   * The shard, in {@code [0, shards)}, that scrapes the target with this key.
   *
   * @throws IllegalArgumentException when {@code shards < 1}
   */
  public static int shardOf(String targetKey, int shards) {
    Objects.requireNonNull(targetKey, "targetKey");
    requireShards(shards);
    long keyHash = Murmur3.hash64(targetKey.getBytes(StandardCharsets.UTF_8));
    int best = 0;
    long bestWeight = weight(keyHash, 0);
    for (int shard = 1; shard < shards; shard++) {
      long weight = weight(keyHash, shard);
      // Ties (probability 2^-64) go to the lower shard, so the result is still a pure function.
      if (Long.compareUnsigned(weight, bestWeight) > 0) {
        best = shard;
        bestWeight = weight;
      }
    }
    return best;
  }

  /**
   * Splits {@code items} into {@code shards} lists, list {@code i} holding the items of shard
   * {@code i} in their input order. Every item is in exactly one list.
   *
   * @param keyOf the target key of an item, see {@link #targetKey(String, String)}
   */
  public static <T> List<List<T>> assign(
      List<? extends T> items, Function<? super T, String> keyOf, int shards) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(keyOf, "keyOf");
    requireShards(shards);
    List<List<T>> byShard = new ArrayList<>(shards);
    for (int shard = 0; shard < shards; shard++) {
      byShard.add(new ArrayList<>(items.size() / shards + 1));
    }
    for (T item : items) {
      byShard.get(shardOf(keyOf.apply(item), shards)).add(item);
    }
    return unmodifiable(byShard);
  }

  /**
   * Splits one scrape job's target groups by shard: list {@code i} holds, for shard {@code i}, each
   * group restricted to the addresses that shard scrapes, with the group's labels unchanged and in
   * input order. Groups left with no address on a shard are omitted from that shard's list.
   */
  public static List<List<TargetGroup>> assignGroups(
      String jobName, List<TargetGroup> groups, int shards) {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(groups, "groups");
    requireShards(shards);
    List<List<TargetGroup>> byShard = new ArrayList<>(shards);
    for (int shard = 0; shard < shards; shard++) {
      byShard.add(new ArrayList<>());
    }
    for (TargetGroup group : groups) {
      List<List<String>> addresses =
          assign(group.targets(), address -> targetKey(jobName, address), shards);
      for (int shard = 0; shard < shards; shard++) {
        if (!addresses.get(shard).isEmpty()) {
          byShard.get(shard).add(new TargetGroup(addresses.get(shard), group.labels()));
        }
      }
    }
    return unmodifiable(byShard);
  }

  /**
   * The weight of {@code shard} for a key: output {@code shard + 1} of SplitMix64 seeded with it.
   */
  private static long weight(long keyHash, int shard) {
    long z = keyHash + (shard + 1) * GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static void requireShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
  }

  private static <T> List<List<T>> unmodifiable(List<List<T>> byShard) {
    byShard.replaceAll(Collections::unmodifiableList);
    return Collections.unmodifiableList(byShard);
  }
}
