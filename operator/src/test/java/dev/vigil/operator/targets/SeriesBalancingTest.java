package dev.vigil.operator.targets;

import static dev.vigil.operator.targets.EngineObjects.stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.sharding.BalancedPlacement;
import dev.vigil.reconcilers.sharding.Placement;
import dev.vigil.reconcilers.sharding.RendezvousSharding;
import dev.vigil.reconcilers.sharding.ShardedJob;
import dev.vigil.reconcilers.state.MonitoringState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SeriesBalancing} against two stand-in shards answering {@code
 * scrape_samples_post_metric_relabeling} as Prometheus does, and an engine of eight targets.
 */
class SeriesBalancingTest {
  static final String JOB = "podMonitor/shop/app/0";

  /** A stack whose status says targets were moved: a new placement waits for the shards. */
  final MonitoringStack stack =
      stack(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: MonitoringStack
          metadata: {name: web, namespace: shop, uid: u1}
          spec:
            scraper: {shards: 2, balancing: {by: series, interval: 1m}}
          status: {movedTargets: 3}
          """);

  final MutableClock clock = new MutableClock();
  final List<HttpServer> servers = new ArrayList<>();
  final Map<Integer, URI> urls = new TreeMap<>();
  final FakeEngine engine = new FakeEngine();
  SeriesBalancing balancing;

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    if (balancing != null) {
      balancing.close();
    }
  }

  @Test
  void withNoShardAnsweringTargetsWaitThenGoByRendezvousHashing() {
    balancing =
        new SeriesBalancing(engine, (s, shard, r) -> URI.create("http://127.0.0.1:9"), clock);
    Placement placement = balancing.placementOf(stack);
    assertThat(placement).isInstanceOf(BalancedPlacement.class);
    balancing.tick();
    assertThat(balancing.placementKnown("shop/web")).isFalse();
    assertThat(balancing.series(stack).orElseThrow().perShard()).containsExactly(-1, -1);
    clock.advance(SeriesBalancing.PLACEMENT_WAIT);
    balancing.tick();
    assertThat(balancing.placementKnown("shop/web")).isTrue();
    assertThat(engine.placementChanges).containsExactly("shop/web");
  }

  @Test
  void aStackWithNoMovedTargetsIsServedAtOnce() {
    stack.getStatus().movedTargets = 0;
    balancing =
        new SeriesBalancing(engine, (s, shard, r) -> URI.create("http://127.0.0.1:9"), clock);
    balancing.placementOf(stack);
    assertThat(balancing.placementKnown("shop/web")).isTrue();
    stack.getStatus().movedTargets = null; // a new stack, under a new uid
    stack.getMetadata().setUid("u2");
    balancing.placementOf(stack);
    assertThat(balancing.placementKnown("shop/web")).isTrue();
  }

  @Test
  void adoptionWaitsForEveryShardThenTakesWhatAnswered() throws Exception {
    // Shard 0 answers and scrapes a target rendezvous hashing puts on shard 1; shard 1 is down.
    String away = null;
    for (int i = 0; away == null; i++) {
      String address = "10.0.0." + i + ":8080";
      if (RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, address), 2) == 1) {
        away = address;
      }
    }
    engine.addresses.add(away);
    urls.put(0, serve(Map.of(away, 5L)));
    urls.put(1, URI.create("http://127.0.0.1:9"));
    balancing = new SeriesBalancing(engine, (s, shard, r) -> urls.get(shard), clock);
    BalancedPlacement placement = (BalancedPlacement) balancing.placementOf(stack);
    engine.placement = placement;

    balancing.tick();
    assertThat(balancing.placementKnown("shop/web")).as("one shard of two answered").isFalse();
    clock.advance(SeriesBalancing.PLACEMENT_WAIT);
    balancing.tick();
    assertThat(balancing.placementKnown("shop/web")).isTrue();
    assertThat(placement.shardOf(RendezvousSharding.targetKey(JOB, away), 2))
        .as("where the shard that answered scrapes it")
        .isZero();
    assertThat(engine.placementChanges).containsExactly("shop/web");
  }

  @Test
  void theFirstReadingIsAdoptedAndTheNextMovesTargetsThroughNoShard() throws Exception {
    // Eight targets where rendezvous hashing puts them; the heavy ones (500, 400) on one shard.
    Map<String, Long> series = new TreeMap<>();
    int heavy = 0;
    for (int i = 0; series.size() < 8; i++) {
      String address = "10.0.0." + i + ":8080";
      int shard = RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, address), 2);
      if (shard == 0 && heavy < 2) {
        series.put(address, heavy++ == 0 ? 500L : 400L);
      } else if (series.values().stream().filter(v -> v == 10L).count() < 6) {
        series.put(address, 10L);
      }
    }
    engine.addresses.addAll(series.keySet());
    for (int shard = 0; shard < 2; shard++) {
      int mine = shard;
      Map<String, Long> on = new TreeMap<>();
      series.forEach(
          (address, n) -> {
            if (RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, address), 2) == mine) {
              on.put(address, n);
            }
          });
      urls.put(shard, serve(on));
    }
    balancing =
        new SeriesBalancing(
            engine, (s, shard, r) -> urls.get(shard), clock, Duration.ofMillis(300));
    BalancedPlacement placement = (BalancedPlacement) balancing.placementOf(stack);
    engine.placement = placement;

    balancing.tick(); // adopts: everything where rendezvous hashing put it
    assertThat(placement.ready()).isTrue();
    assertThat(placement.pinned()).isZero();
    MonitoringState.ShardSeries first = balancing.series(stack).orElseThrow();
    long onZero = series.values().stream().mapToLong(Long::longValue).sum() - first.perShard()[1];
    assertThat(first.perShard()[0]).isEqualTo(onZero);

    balancing.tick(); // not due: the interval is a minute
    assertThat(engine.placementChanges).containsExactly("shop/web");

    clock.advance(Duration.ofMinutes(1));
    balancing.tick();
    assertThat(placement.handingOver()).isTrue();
    List<String> released =
        engine.addresses.stream()
            .filter(
                a ->
                    placement.shardOf(RendezvousSharding.targetKey(JOB, a), 2) == Placement.NOWHERE)
            .toList();
    assertThat(released)
        .isNotEmpty()
        .doesNotContainAnyElementsOf(List.of(heavyAddress(series, 500L)));
    await().atMost(Duration.ofSeconds(5)).until(() -> !placement.handingOver());
    await("the moved count read out for the status at once")
        .atMost(Duration.ofSeconds(5))
        .until(() -> balancing.series(stack).orElseThrow().moved() == released.size());
    long[] after = new long[2];
    series.forEach(
        (address, n) ->
            after[placement.shardOf(RendezvousSharding.targetKey(JOB, address), 2)] += n);
    double mean = (after[0] + after[1]) / 2.0;
    assertThat(Math.max(after[0], after[1])).isLessThanOrEqualTo((long) (1.10 * mean));
    assertThat(placement.pinned()).isEqualTo(released.size());
    assertThat(engine.placementChanges).hasSize(3);
  }

  static String heavyAddress(Map<String, Long> series, long n) {
    return series.entrySet().stream()
        .filter(e -> e.getValue() == n)
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  /** A stand-in shard: these targets' series, as the query API answers them. */
  URI serve(Map<String, Long> targets) throws IOException {
    StringBuilder result = new StringBuilder();
    targets.forEach(
        (address, n) -> {
          if (result.length() > 0) {
            result.append(',');
          }
          result.append(
              "{\"metric\":{\"__name__\":\"scrape_samples_post_metric_relabeling\",\"instance\":\""
                  + address
                  + "\",\"job\":\"app\"},\"value\":[1765000000,\""
                  + n
                  + "\"]}");
        });
    byte[] body =
        ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + result
                + "]}}")
            .getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/query",
        exchange -> {
          assertThat(exchange.getRequestURI().getQuery())
              .isEqualTo("query=" + SeriesBalancing.QUERY);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Eight targets of one job, placed by the stack's placement, labelled as their series are. */
  final class FakeEngine implements SeriesBalancing.Engine {
    final List<String> addresses = new ArrayList<>();
    final List<String> placementChanges = new CopyOnWriteArrayList<>();
    Placement placement = Placement.RENDEZVOUS;

    @Override
    public List<MonitoringStack> stacks() {
      return List.of(stack);
    }

    @Override
    public void forEachTarget(String stackKey, ShardedJob.TargetVisitor visitor) {
      for (String address : addresses) {
        String key = RendezvousSharding.targetKey(JOB, address);
        visitor.target(
            key,
            placement.shardOf(key, 2),
            ShardedJob.seriesFingerprint(new TreeMap<>(Map.of("instance", address, "job", "app"))));
      }
    }

    @Override
    public void placementChanged(String stackKey) {
      placementChanges.add(stackKey);
    }

    @Override
    public void seriesRead(MonitoringStack stack) {}
  }

  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-07T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
