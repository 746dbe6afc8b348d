package dev.vigil.reconcilers.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.relabel.RelabelRule;
import dev.vigil.reconcilers.relabel.ScrapeDefaults;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShardedJobTest {
  static final String JOB = "podMonitor/shop/workers/0";
  static final ScrapeDefaults DEFAULTS =
      new ScrapeDefaults(JOB, "30s", "10s", "/metrics", "http", false, false, false, null);

  /** Keeps pods labelled tier=web, as a PodMonitor's keep relabeling would. */
  static final TargetRelabeling KEEP_WEB =
      new TargetRelabeling(
          DEFAULTS,
          List.of(
              new RelabelRule(
                  List.of("__meta_kubernetes_pod_label_tier"),
                  null,
                  "web",
                  null,
                  null,
                  null,
                  "keep"),
              RelabelRule.copy("__meta_kubernetes_pod_name", "pod")));

  static TargetGroup pod(int i, String tier) {
    return new TargetGroup(
        List.of("10.0.0." + i + ":8080"),
        new TreeMap<>(
            Map.of(
                "__meta_kubernetes_pod_name",
                "worker-" + i,
                "__meta_kubernetes_pod_label_tier",
                tier)));
  }

  static List<TargetGroup> pods(int n, int webEvery) {
    List<TargetGroup> groups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      groups.add(pod(i, i % webEvery == 0 ? "web" : "batch"));
    }
    return groups;
  }

  @Test
  void onlyWhatRelabelingKeepsIsServedAndCounted() {
    ShardedJob job = new ShardedJob(JOB, KEEP_WEB, 3);
    job.update(1, pods(60, 3));
    assertThat(job.discovered()).isEqualTo(60);
    assertThat(job.scraped()).isEqualTo(20);
    assertThat(Arrays.stream(job.scrapedPerShard()).sum()).isEqualTo(20);
    List<String> served = new ArrayList<>();
    for (int shard = 0; shard < 3; shard++) {
      for (TargetGroup group : job.answer(shard).groups()) {
        assertThat(group.labels()).containsEntry("__meta_kubernetes_pod_label_tier", "web");
        assertThat(
                RendezvousSharding.shardOf(
                    RendezvousSharding.targetKey(JOB, group.targets().get(0)), 3))
            .as("placed by job and address, as before")
            .isEqualTo(shard);
        served.addAll(group.targets());
      }
    }
    assertThat(served).hasSize(20).doesNotHaveDuplicates();
    assertThat(job.unevaluated()).isEmpty();
  }

  @Test
  void aChangeRenewsOnlyTheShardsItTouches() {
    ShardedJob job = new ShardedJob(JOB, KEEP_WEB, 4);
    List<TargetGroup> groups = pods(40, 2);
    assertThat(job.update(1, groups)).containsExactlyInAnyOrder(0, 1, 2, 3);
    long[] before = versions(job);

    assertThat(job.update(1, groups)).as("the same version again").isEmpty();
    assertThat(job.update(2, groups)).as("a new version, nothing changed").isEmpty();
    assertThat(versions(job)).isEqualTo(before);

    List<TargetGroup> changed = new ArrayList<>(groups);
    TargetGroup moved = pod(3, "web"); // was batch: now kept
    changed.set(3, moved);
    int shard =
        RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, moved.targets().get(0)), 4);
    assertThat(job.update(3, changed)).containsExactly(shard);
    long[] after = versions(job);
    for (int s = 0; s < 4; s++) {
      assertThat(after[s] != before[s]).as("shard %d renewed", s).isEqualTo(s == shard);
    }
    assertThat(job.answer(shard).groups()).contains(moved);
    assertThat(job.scraped()).isEqualTo(21);
  }

  @Test
  void targetsPrometheusScrapesAsOneAreCountedOnce() {
    // Two ports of one container whose relabeling leaves the same labels: one scrape.
    TargetRelabeling sameAddress =
        new TargetRelabeling(
            DEFAULTS,
            List.of(
                new RelabelRule(null, null, null, null, "__address__", "10.0.0.9:9100", null),
                RelabelRule.copy("__meta_kubernetes_pod_name", "pod")));
    ShardedJob job = new ShardedJob(JOB, sameAddress, 5);
    job.update(1, List.of(pod(1, "web"), pod(1, "web"), pod(2, "web")));
    assertThat(job.discovered()).isEqualTo(3);
    assertThat(job.scraped()).as("worker-1 twice is one target").isEqualTo(2);
    int shard = RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, "10.0.0.9:9100"), 5);
    assertThat(job.scrapedPerShard()[shard])
        .as("placed by the relabeled address: equal targets on one shard")
        .isEqualTo(2);
  }

  @Test
  void tmpHashPlacesAndTmpDisableShardingServesEveryShard() {
    TargetRelabeling byPod =
        new TargetRelabeling(
            DEFAULTS, List.of(RelabelRule.copy("__meta_kubernetes_pod_label_tier", "__tmp_hash")));
    ShardedJob job = new ShardedJob(JOB, byPod, 7);
    job.update(1, pods(30, 2));
    int web = RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, "web"), 7);
    assertThat(job.scrapedPerShard()[web]).isGreaterThanOrEqualTo(15);

    TargetRelabeling everywhere =
        new TargetRelabeling(DEFAULTS, List.of(RelabelRule.set("__tmp_disable_sharding", "true")));
    ShardedJob all = new ShardedJob(JOB, everywhere, 3);
    all.update(1, pods(4, 1));
    assertThat(all.scrapedPerShard()).containsExactly(4, 4, 4);
    assertThat(all.scraped()).isEqualTo(4);
  }

  @Test
  void refusedTargetsAreServedButNotCounted() {
    TargetRelabeling noAddress =
        new TargetRelabeling(
            DEFAULTS, List.of(new RelabelRule(null, null, null, null, "__address__", "", null)));
    ShardedJob job = new ShardedJob(JOB, noAddress, 2);
    job.update(1, pods(10, 1));
    assertThat(job.scraped()).isZero();
    assertThat(job.answer(0).groups().size() + job.answer(1).groups().size())
        .as("Prometheus logs why it refuses them")
        .isEqualTo(10);
  }

  @Test
  void aJobVigilCannotEvaluateIsServedAndCountedWhole() {
    TargetRelabeling url =
        new TargetRelabeling(
            DEFAULTS,
            List.of(
                new RelabelRule(List.of("__meta_url"), null, ".*/0/.*", null, null, null, "keep")));
    ShardedJob job = new ShardedJob(JOB, url, 2);
    job.update(1, pods(10, 3));
    assertThat(job.scraped()).isEqualTo(10);
    assertThat(job.unevaluated()).hasValueSatisfying(why -> assertThat(why).contains("__meta_url"));

    ShardedJob unrelabeled = new ShardedJob(JOB, null, 2);
    unrelabeled.update(1, pods(10, 3));
    assertThat(unrelabeled.scraped()).isEqualTo(10);
    assertThat(unrelabeled.unevaluated()).isEmpty();
  }

  @Test
  void versionsNeverRepeatAcrossJobs() {
    ShardedJob a = new ShardedJob(JOB, KEEP_WEB, 2);
    ShardedJob b = new ShardedJob(JOB, KEEP_WEB, 2);
    a.update(1, pods(4, 1));
    b.update(1, pods(4, 1));
    Set<Long> versions =
        Set.of(
            a.answer(0).version(),
            a.answer(1).version(),
            b.answer(0).version(),
            b.answer(1).version());
    assertThat(versions).hasSize(4);
  }

  private static long[] versions(ShardedJob job) {
    long[] versions = new long[job.shards()];
    for (int s = 0; s < versions.length; s++) {
      versions[s] = job.answer(s).version();
    }
    return versions;
  }

  @Test
  void aBalancedPlacementMovesATargetThroughNoShardAndWeighsItByItsSeriesLabels() {
    BalancedPlacement placement = new BalancedPlacement();
    ShardedJob job = new ShardedJob(JOB, KEEP_WEB, 3, placement);
    List<TargetGroup> groups = pods(30, 3);
    job.update(1, groups);
    String address = "10.0.0.3:8080";
    String key = RendezvousSharding.targetKey(JOB, address);
    int from = RendezvousSharding.shardOf(key, 3);
    int to = (from + 1) % 3;
    assertThat(served(job, from)).contains(address);

    // Each kept target, with its key and the fingerprint of the labels its series carry.
    Map<String, Long> fingerprints = new TreeMap<>();
    Map<String, Integer> shards = new TreeMap<>();
    job.forEachTarget(
        (k, shard, fingerprint) -> {
          fingerprints.put(k, fingerprint);
          shards.put(k, shard);
        });
    assertThat(fingerprints).hasSize(10);
    assertThat(shards).containsEntry(key, from);
    assertThat(fingerprints.get(key))
        .isEqualTo(
            ShardedJob.seriesFingerprint(
                new TreeMap<>(Map.of("instance", address, "job", JOB, "pod", "worker-3"))));

    // Handed over: on no shard's answer and counted on none, then on its new shard.
    List<SeriesBalancer.Move> moves = List.of(new SeriesBalancer.Move(key, from, to));
    placement.release(moves);
    assertThat(job.isCurrent(1)).as("the placement changed").isFalse();
    assertThat(job.update(1, groups)).contains(from);
    for (int shard = 0; shard < 3; shard++) {
      assertThat(served(job, shard)).doesNotContain(address);
    }
    assertThat(Arrays.stream(job.scrapedPerShard()).sum()).isEqualTo(9);
    assertThat(job.scraped()).isEqualTo(10);
    placement.complete(moves, 3);
    assertThat(job.update(1, groups)).contains(to);
    assertThat(served(job, to)).contains(address);
    assertThat(Arrays.stream(job.scrapedPerShard()).sum()).isEqualTo(10);
    assertThat(job.update(1, groups)).as("nothing changed since").isEmpty();
  }

  @Test
  void rendezvousJobsKeepNoKeys() {
    ShardedJob job = new ShardedJob(JOB, KEEP_WEB, 3);
    job.update(1, pods(30, 3));
    List<String> visited = new ArrayList<>();
    job.forEachTarget((key, shard, fingerprint) -> visited.add(key));
    assertThat(visited).isEmpty();
  }

  static List<String> served(ShardedJob job, int shard) {
    List<String> served = new ArrayList<>();
    job.answer(shard).groups().forEach(group -> served.addAll(group.targets()));
    return served;
  }
}
