package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ShardStatus;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.ShardPrometheus;
import dev.vigil.e2e.harness.StackServiceDiscovery;
import dev.vigil.e2e.harness.TestNetwork;
import dev.vigil.e2e.harness.Workloads;
import dev.vigil.operator.VigilOperator;
import dev.vigil.operator.targets.ShardQueryUrls;
import dev.vigil.reconcilers.sharding.RendezvousSharding;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series-weighted sharding and Vigil's own shard autoscaling on the real API server, with real
 * Prometheus processes on the shards' rendered configurations (HTTP SD refreshed every 30 s, as
 * rendered) and stand-in apps of very different sizes in the test's network namespace.
 *
 * <p>{@code balance}: a stack of 2 shards with {@code balancing: {by: series}} whose two heaviest
 * targets (400 and 300 series) fall on shard 0 by rendezvous hashing, beside six of 10 series.
 * Vigil reads each shard's {@code scrape_samples_post_metric_relabeling}, moves targets until the
 * heaviest shard is within 10 % of the mean, and shows the series per shard in status. Polling both
 * Prometheus processes' active targets every 200 ms during the moves, no target is ever active on
 * both shards. After an operator restart, the shards are served exactly what they were served
 * before: the placement is read back from the shards, not reset to rendezvous hashing.
 *
 * <p>{@code autoscale}: a stack of 1 shard with {@code autoscaling: {targetSeriesPerShard: 300,
 * maxShards: 3}} holding about 780 series grows itself to 3 shards, says so in an Event, in Ready
 * and in {@code status.shardsChangedAt}, and renders the three shards' objects.
 */
class SeriesBalancingIT {
  static final String NS = "e2e-balance";
  static final String MONITOR = "skewed";
  static final String JOB = "podMonitor/" + NS + "/" + MONITOR + "/0";

  /** Series of the targets: two heavy ones on shard 0 by rendezvous hashing, six light ones. */
  static final List<Integer> HEAVY = List.of(400, 300);

  static final int LIGHT = 10;
  static final int LIGHT_PER_SHARD = 3;

  static KubernetesClient admin;
  static VigilOperator vigil;
  static TestNetwork network;
  static String host;
  static int sdPort;
  static final List<AutoCloseable> processes = new ArrayList<>();

  /** The real Prometheus of each stack's shard, by "stack/shard": where Vigil reads series. */
  static final Map<String, URI> shardUrls = new ConcurrentHashMap<>();

  static final ShardQueryUrls URLS =
      (stack, shard, replica) ->
          shardUrls.getOrDefault(
              stack.getMetadata().getName() + "/" + shard, URI.create("http://127.0.0.1:9"));

  /** Every target's address and its series. */
  static final Map<String, Integer> seriesOf = new TreeMap<>();

  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    network = TestNetwork.open();
    host = network.address(0);
    sdPort = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, sdPort, URLS, NS);
    startApps();
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    if (vigil != null) {
      vigil.close();
    }
    if (network != null) {
      network.close();
    }
  }

  /**
   * The apps: ports picked so that rendezvous hashing over 2 shards puts both heavy targets and 3
   * light ones on shard 0, 3 light ones on shard 1.
   */
  static void startApps() throws Exception {
    Path logs = Files.createDirectories(work.resolve("apps"));
    List<Integer> heavyLeft = new ArrayList<>(HEAVY);
    int[] light = new int[2];
    for (int candidate = 0;
        !heavyLeft.isEmpty() || light[0] + light[1] < 2 * LIGHT_PER_SHARD;
        candidate++) {
      int port = network.isolated() ? 9100 + candidate : RealPrometheus.freePort();
      String address = host + ":" + port;
      int shard = RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, address), 2);
      int series;
      if (shard == 0 && !heavyLeft.isEmpty()) {
        series = heavyLeft.remove(0);
      } else if (light[shard] < LIGHT_PER_SHARD) {
        light[shard]++;
        series = LIGHT;
      } else {
        continue;
      }
      StringBuilder body = new StringBuilder("# TYPE app_items gauge\n");
      for (int i = 0; i < series; i++) {
        body.append("app_items{item=\"").append(i).append("\"} 1\n");
      }
      network.metricsServer(host, port, body.toString(), logs.resolve("app-" + port + ".log"));
      Workloads.runningPod(
          admin,
          Workloads.standInApp(NS, "app-" + port, Map.of("app", "skewed"), port),
          host,
          "10.0.0.1");
      seriesOf.put(address, series);
    }
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: %s, namespace: %s, labels: {team: e2e}}
        spec:
          selector: {matchLabels: {app: skewed}}
          podMetricsEndpoints: [{port: metrics}]
        """
            .formatted(MONITOR, NS));
  }

  @Test
  void targetsMoveToBalanceSeriesAndAreNeverOnTwoShards() throws Exception {
    String stack = "balance";
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper:
            shards: 2
            scrapeInterval: 2s
            scrapeTimeout: 1s
            balancing: {by: series, interval: 10s}
          monitorSelector:
            labelSelector: {matchLabels: {team: e2e}}
            namespaceSelector: {}
        """
            .formatted(stack, NS));
    List<RealPrometheus> shards = new ArrayList<>();
    for (int shard = 0; shard < 2; shard++) {
      shards.add(startShard(stack, shard));
    }
    // Before: every target on the shard rendezvous hashing gives it.
    Map<String, Integer> before =
        await("every target active on its rendezvous shard")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> activeShards(shards), a -> a.keySet().equals(seriesOf.keySet()));
    for (Map.Entry<String, Integer> target : before.entrySet()) {
      assertThat(target.getValue())
          .as(target.getKey())
          .isEqualTo(
              RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, target.getKey()), 2));
    }

    // The moves: watched every 200 ms on both shards until the stack is balanced and every
    // target is active somewhere again.
    long began = System.nanoTime();
    Map<String, Long> lastSeen = new HashMap<>();
    Map<String, Long> longestGap = new TreeMap<>();
    List<String> onTwo = new ArrayList<>();
    Map<String, Integer> now = before;
    boolean balanced = false;
    while (System.nanoTime() - began < Duration.ofSeconds(150).toNanos()) {
      Map<String, List<Integer>> where = activeShardLists(shards);
      long t = System.nanoTime();
      where.forEach(
          (target, on) -> {
            if (on.size() > 1) {
              onTwo.add(target + " on " + on);
            }
            Long seen = lastSeen.get(target);
            if (seen != null) {
              longestGap.merge(target, t - seen, Math::max);
            }
            lastSeen.put(target, t);
          });
      now = new TreeMap<>();
      for (Map.Entry<String, List<Integer>> e : where.entrySet()) {
        now.put(e.getKey(), e.getValue().get(0));
      }
      if (now.keySet().equals(seriesOf.keySet()) && !now.equals(before)) {
        long[] perShard = new long[2];
        now.forEach((target, shard) -> perShard[shard] += seriesOf.get(target));
        double mean = (perShard[0] + perShard[1]) / 2.0;
        if (Math.max(perShard[0], perShard[1]) <= 1.10 * mean) {
          balanced = true;
          break;
        }
      }
      Thread.sleep(200);
    }
    assertThat(onTwo).as("targets active on two shards at once").isEmpty();
    assertThat(balanced).as("balanced within 150 s; targets by shard now: %s", now).isTrue();
    long moved =
        now.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).count();
    System.out.printf(
        "balanced after %.1f s: %d target(s) moved; longest time a target was active on no shard: %.1f s%n",
        (System.nanoTime() - began) / 1e9,
        moved,
        longestGap.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1e9);

    // Status: the series of each shard, as read, and the targets moved.
    MonitoringStack status =
        await("status with the series per shard of the balanced placement")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.resources(MonitoringStack.class).inNamespace(NS).withName(stack).get(),
                s ->
                    s.getStatus() != null
                        && s.getStatus().shardStatuses.size() == 2
                        && s.getStatus().shardStatuses.stream().allMatch(x -> x.series != null)
                        && seriesImbalance(s.getStatus().shardStatuses) <= 1.10);
    assertThat(status.getStatus().movedTargets).isEqualTo((int) moved);
    assertThat(status.getStatus().shardStatuses.stream().mapToLong(s -> s.series).sum())
        .isEqualTo(seriesOf.values().stream().mapToLong(Integer::longValue).sum());

    // Each target's up series on exactly one shard.
    Map<String, Integer> upOn = new TreeMap<>();
    for (int shard = 0; shard < 2; shard++) {
      for (JsonNode sample : shards.get(shard).query("up{job=~\".*skewed.*\"} == 1")) {
        assertThat(upOn.put(sample.path("metric").path("instance").asText(), shard))
            .as("up of %s on a second shard", sample.path("metric").path("instance").asText())
            .isNull();
      }
    }
    assertThat(upOn).isEqualTo(now);

    // A restart reads the placement back: the shards are served exactly what they were.
    List<Set<String>> served = served(stack);
    vigil.close();
    vigil = InProcessOperator.start(admin, sdPort, URLS, NS);
    List<Set<String>> servedAfter =
        await("the SD answers after a restart")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () -> served(stack), s -> s.stream().mapToInt(Set::size).sum() == seriesOf.size());
    assertThat(servedAfter).isEqualTo(served);
  }

  @Test
  void aStackGrowsItsOwnShardsFromTheSeriesItHolds() throws Exception {
    String stack = "autoscale";
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper:
            shards: 1
            scrapeInterval: 2s
            scrapeTimeout: 1s
            balancing: {interval: 5s}
            autoscaling: {minShards: 1, maxShards: 3, targetSeriesPerShard: 300, cooldown: 10m}
          monitorSelector:
            labelSelector: {matchLabels: {team: e2e}}
            namespaceSelector: {}
        """
            .formatted(stack, NS));
    RealPrometheus only = startShard(stack, 0);
    await("the one shard scrapes every target")
        .atMost(Duration.ofSeconds(90))
        .until(() -> activeShards(List.of(only)).size() == seriesOf.size());
    MonitoringStack grown =
        await("status.shards 3")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.resources(MonitoringStack.class).inNamespace(NS).withName(stack).get(),
                s -> s.getStatus() != null && Integer.valueOf(3).equals(s.getStatus().shards));
    assertThat(grown.getStatus().shardsChangedAt).isNotNull();
    long total = seriesOf.values().stream().mapToLong(Integer::longValue).sum();
    Event event =
        await("the ShardsScaled Event")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    admin.v1().events().inNamespace(NS).list().getItems().stream()
                        .filter(e -> "ShardsScaled".equals(e.getReason()))
                        .filter(e -> stack.equals(e.getInvolvedObject().getName()))
                        .findFirst()
                        .orElse(null),
                e -> e != null);
    assertThat(event.getMessage())
        .isEqualTo(
            "Autoscaling: " + total + " series over 1 shard(s) pass 300 a shard: 1 -> 3 shards.");
    for (int shard = 0; shard < 3; shard++) {
      String name = stack + "-prometheus-" + shard;
      await(name)
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.apps().statefulSets().inNamespace(NS).withName(name).get() != null);
    }
    // The cool-down holds the count: still 3 at the next readings.
    Thread.sleep(12_000);
    assertThat(
            admin
                .resources(MonitoringStack.class)
                .inNamespace(NS)
                .withName(stack)
                .get()
                .getStatus()
                .shards)
        .isEqualTo(3);
  }

  /**
   * Starts the shard's Prometheus on its rendered configuration (HTTP SD every 30 s, as rendered),
   * once the stack's placement is known (service discovery answers 200, not 503), so its first
   * discovery round is not lost to a 30 s retry.
   */
  static RealPrometheus startShard(String stack, int shard) throws Exception {
    StackServiceDiscovery sd = new StackServiceDiscovery(admin, sdPort, NS, stack, shard);
    await("service discovery of " + stack + " shard " + shard)
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> sd.status(JOB) == 200);
    RealPrometheus real =
        ShardPrometheus.start(NS, stack, shard, JOB, work.resolve(stack + "-" + shard), false);
    processes.add(real);
    shardUrls.put(stack + "/" + shard, real.url());
    return real;
  }

  /** The shard each target is active on (the first, when on several). */
  static Map<String, Integer> activeShards(List<RealPrometheus> shards) throws Exception {
    Map<String, Integer> on = new TreeMap<>();
    activeShardLists(shards).forEach((target, list) -> on.put(target, list.get(0)));
    return on;
  }

  /** The shards each target of the PodMonitor's job is active on. */
  static Map<String, List<Integer>> activeShardLists(List<RealPrometheus> shards) throws Exception {
    Map<String, List<Integer>> on = new TreeMap<>();
    for (int shard = 0; shard < shards.size(); shard++) {
      for (JsonNode target : shards.get(shard).activeTargets()) {
        if (target.path("scrapePool").asText().equals(JOB)) {
          on.computeIfAbsent(
                  target.path("labels").path("instance").asText(), t -> new ArrayList<>())
              .add(shard);
        }
      }
    }
    return on;
  }

  /** The addresses each shard of the stack is served for the PodMonitor's job. */
  static List<Set<String>> served(String stack) throws Exception {
    List<Set<String>> served = new ArrayList<>();
    for (int shard = 0; shard < 2; shard++) {
      served.add(
          new TreeSet<>(new StackServiceDiscovery(admin, sdPort, NS, stack, shard).targets(JOB)));
    }
    return served;
  }

  static double seriesImbalance(List<ShardStatus> shards) {
    long max = shards.stream().mapToLong(s -> s.series).max().orElse(0);
    double mean = shards.stream().mapToLong(s -> s.series).average().orElse(0);
    return mean == 0 ? 1 : max / mean;
  }
}
