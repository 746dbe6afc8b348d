package dev.vigil.reconcilers.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.vigil.reconcilers.discovery.TargetGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RendezvousShardingTest {
  static final int TARGETS = 100_000;

  /** Keys of 100,000 distinct targets: sequential pod IPs, a few ports, 700 jobs. */
  static final List<String> KEYS = syntheticTargetKeys();

  static List<String> syntheticTargetKeys() {
    int[] ports = {8080, 9090, 9100};
    List<String> keys = new ArrayList<>(TARGETS);
    for (int i = 0; i < TARGETS; i++) {
      String job = "serviceMonitor/team-" + (i % 7) + "/app-" + (i % 50) + "/" + (i % 2);
      String address =
          "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255) + ":" + ports[i % 3];
      keys.add(RendezvousSharding.targetKey(job, address));
    }
    return List.copyOf(keys);
  }

  static int[] shardsOf(List<String> keys, int shards) {
    int[] result = new int[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      result[i] = RendezvousSharding.shardOf(keys.get(i), shards);
    }
    return result;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 10, 11, 32})
  void everyTargetGetsExactlyOneShardInRange(int shards) {
    List<List<String>> byShard = RendezvousSharding.assign(KEYS, key -> key, shards);

    assertThat(byShard).hasSize(shards);
    assertThat(byShard.stream().mapToInt(List::size).sum()).isEqualTo(TARGETS);
    for (int shard = 0; shard < shards; shard++) {
      for (String key : byShard.get(shard)) {
        assertThat(RendezvousSharding.shardOf(key, shards)).isEqualTo(shard);
      }
    }
    Set<String> all = new HashSet<>();
    byShard.forEach(all::addAll);
    assertThat(all).hasSize(TARGETS);
  }

  @Test
  void dependsOnlyOnKeyAndShardCountNotOnOrderOrOtherTargets() {
    int[] first = shardsOf(KEYS, 10);
    assertThat(shardsOf(KEYS, 10)).isEqualTo(first);

    List<String> shuffled = new ArrayList<>(KEYS);
    Collections.shuffle(shuffled, new Random(7));
    List<String> fewer = shuffled.subList(0, TARGETS / 3);
    Map<String, Integer> expected = new TreeMap<>();
    for (int i = 0; i < TARGETS; i++) {
      expected.put(KEYS.get(i), first[i]);
    }
    List<List<String>> byShard = RendezvousSharding.assign(fewer, key -> key, 10);
    for (int shard = 0; shard < 10; shard++) {
      for (String key : byShard.get(shard)) {
        assertThat(expected.get(key)).as(key).isEqualTo(shard);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 10, 11})
  void balancesTargetsWithinFivePercentOfAnEvenShare(int shards) {
    int[] counts = new int[shards];
    for (int shard : shardsOf(KEYS, shards)) {
      counts[shard]++;
    }
    double even = (double) TARGETS / shards;
    for (int shard = 0; shard < shards; shard++) {
      assertThat((double) counts[shard])
          .as("targets on shard %d of %d", shard, shards)
          .isCloseTo(even, withinPercentage(5));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 10, 16})
  void addingAShardMovesAboutOneInNPlusOneTargetsAllToTheNewShard(int shards) {
    int[] before = shardsOf(KEYS, shards);
    int[] after = shardsOf(KEYS, shards + 1);

    int moved = 0;
    for (int i = 0; i < TARGETS; i++) {
      if (after[i] != before[i]) {
        moved++;
        assertThat(after[i]).as("new shard of %s", KEYS.get(i)).isEqualTo(shards);
      }
    }
    double ideal = 1.0 / (shards + 1);
    assertThat((double) moved / TARGETS)
        .as("fraction moved from %d to %d shards", shards, shards + 1)
        .isCloseTo(ideal, within(ideal * 0.05));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 10})
  void removingTheLastShardLosesNothingAndRestoresThePreviousAssignment(int shards) {
    int[] before = shardsOf(KEYS, shards);
    int[] grown = shardsOf(KEYS, shards + 1);
    List<List<String>> shrunk = RendezvousSharding.assign(KEYS, key -> key, shards);

    assertThat(shardsOf(KEYS, shards)).isEqualTo(before);
    assertThat(shrunk.stream().mapToInt(List::size).sum()).isEqualTo(TARGETS);
    for (int i = 0; i < TARGETS; i++) {
      if (grown[i] < shards) {
        assertThat(before[i]).as("targets off the removed shard stay put").isEqualTo(grown[i]);
      }
    }
  }

  @Test
  void sameAddressInTwoJobsIsSpreadIndependently() {
    int differ = 0;
    for (int i = 0; i < TARGETS; i++) {
      String address = "10.0." + (i >> 8 & 255) + "." + (i & 255) + ":8080";
      int a =
          RendezvousSharding.shardOf(RendezvousSharding.targetKey("podMonitor/a/x/0", address), 10);
      int b =
          RendezvousSharding.shardOf(RendezvousSharding.targetKey("podMonitor/b/y/0", address), 10);
      if (a != b) {
        differ++;
      }
    }
    assertThat((double) differ / TARGETS).isCloseTo(0.9, within(0.01));
  }

  /** Pinned results: an upgrade of Vigil must never move a target to another shard. */
  @Test
  void assignmentsNeverChangeBetweenReleases() {
    assertThat(RendezvousSharding.shardOf("serviceMonitor/shop/cart/0/10.1.2.3:8080", 10)).isZero();
    assertThat(RendezvousSharding.shardOf("podMonitor/kube-system/coredns/0/10.0.0.7:9153", 4))
        .isEqualTo(2);
    assertThat(shardsOf(KEYS.subList(0, 20), 10))
        .containsExactly(4, 4, 1, 2, 6, 8, 8, 7, 6, 7, 2, 5, 5, 2, 4, 7, 6, 6, 9, 5);
  }

  @Test
  void oneShardTakesEverything() {
    assertThat(RendezvousSharding.shardOf("anything", 1)).isZero();
  }

  @Test
  void splitsTargetGroupsByShardKeepingLabels() {
    String job = "serviceMonitor/shop/cart/0";
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      addresses.add("10.2.0." + i + ":8080");
    }
    TargetGroup group = new TargetGroup(addresses, new TreeMap<>(Map.of("__meta_x", "y")));
    TargetGroup single = new TargetGroup(List.of("10.9.9.9:80"), new TreeMap<>());
    int singleShard =
        RendezvousSharding.shardOf(RendezvousSharding.targetKey(job, "10.9.9.9:80"), 4);

    List<List<TargetGroup>> byShard =
        RendezvousSharding.assignGroups(job, List.of(group, single), 4);

    assertThat(byShard).hasSize(4);
    int total = 0;
    for (int shard = 0; shard < 4; shard++) {
      List<TargetGroup> groups = byShard.get(shard);
      assertThat(groups).hasSize(shard == singleShard ? 2 : 1);
      assertThat(groups.get(0).labels()).isEqualTo(group.labels());
      for (String address : groups.get(0).targets()) {
        assertThat(RendezvousSharding.shardOf(RendezvousSharding.targetKey(job, address), 4))
            .isEqualTo(shard);
      }
      total += groups.get(0).targets().size();
    }
    assertThat(total).isEqualTo(200);
    assertThat(byShard.get(singleShard).get(1)).isEqualTo(single);
  }

  @Test
  void rejectsFewerThanOneShard() {
    assertThatThrownBy(() -> RendezvousSharding.shardOf("k", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shards must be at least 1, got 0");
    assertThatThrownBy(() -> RendezvousSharding.assign(List.of("k"), key -> key, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shards must be at least 1, got -2");
    assertThatThrownBy(() -> RendezvousSharding.shardOf(null, 3))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("targetKey");
  }
}
