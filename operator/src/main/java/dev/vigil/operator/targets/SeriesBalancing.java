package dev.vigil.operator.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ShardBalancingSpec;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.relabel.PrometheusDuration;
import dev.vigil.reconcilers.sharding.BalancedPlacement;
import dev.vigil.reconcilers.sharding.Placement;
import dev.vigil.reconcilers.sharding.SeriesBalancer;
import dev.vigil.reconcilers.sharding.ShardedJob;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the series each target of a stack produced from the stack's own shards, for the stacks that
 * balance series ({@code scraper.balancing.by: series}) or autoscale ({@code scraper.autoscaling}),
 * every {@code balancing.interval}; and, for the first, moves targets off the heaviest shards
 * ({@link SeriesBalancer}) through the stack's {@link BalancedPlacement}.
 *
 * <p>The series are {@code scrape_samples_post_metric_relabeling}, one per target, from each
 * shard's query API (replica 0, else the next); a series is matched to the target whose labels it
 * carries ({@link ShardedJob#seriesFingerprint}). A move takes the target off its shard's HTTP SD
 * answer and, {@link #HANDOVER} later (HTTP SD's 30 s refresh, Prometheus's 5 s update throttle and
 * a margin), puts it on its new shard's: it is never on two shards' lists, and on none for that
 * long. No new moves start while one is under way.
 *
 * <p>When the operator starts (or a stack starts balancing) and the stack's status says targets
 * were moved ({@code movedTargets}), nothing is known of where: service discovery answers the stack
 * 503 (Prometheus keeps its targets) until a reading of every shard says where each target is
 * scraped, which is adopted as the placement; after {@link #PLACEMENT_WAIT}, whatever shards
 * answered are adopted, and with none rendezvous hashing places every target. A stack with no moved
 * targets is served at once.
 */
final class SeriesBalancing implements AutoCloseable {
  static final Duration TICK = Duration.ofSeconds(5);
  static final Duration HANDOVER = Duration.ofSeconds(40);
  static final Duration PLACEMENT_WAIT = Duration.ofSeconds(30);
  static final String QUERY = "scrape_samples_post_metric_relabeling";

  private static final Logger LOG = LoggerFactory.getLogger(SeriesBalancing.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the balancing reads from and tells the target engine. */
  interface Engine {
    List<MonitoringStack> stacks();

    /** Visits every target of the stack's jobs, see {@link ShardedJob#forEachTarget}. */
    void forEachTarget(String stackKey, ShardedJob.TargetVisitor visitor);

    /** The stack's placement moved targets: its answers and counts changed. */
    void placementChanged(String stackKey);

    /** A new reading of the stack's series. */
    void seriesRead(MonitoringStack stack);
  }

  /** A stack's placement, for the stack object it was made for (a new uid, a new placement). */
  private record Entry(String uid, BalancedPlacement placement, Instant since) {}

  private final Engine engine;
  private final ShardQueryUrls urls;
  private final Clock clock;
  private final Duration handover;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, Entry> placements = new ConcurrentHashMap<>();
  private final Map<String, MonitoringState.ShardSeries> readings = new ConcurrentHashMap<>();
  private final Map<String, Instant> nextReading = new ConcurrentHashMap<>();

  /** The stacks whose last plan stopped at its move limit: the next one goes on to the goal. */
  private final Set<String> unfinished = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "vigil-shard-series");
            thread.setDaemon(true);
            return thread;
          });

  SeriesBalancing(Engine engine, ShardQueryUrls urls, Clock clock) {
    this(engine, urls, clock, HANDOVER);
  }

  /**
   * @param handover how long a moved target is on no shard's list: shorter only in tests
   */
  SeriesBalancing(Engine engine, ShardQueryUrls urls, Clock clock, Duration handover) {
    this.engine = engine;
    this.urls = urls;
    this.clock = clock;
    this.handover = handover;
  }

  void start() {
    executor.scheduleWithFixedDelay(
        this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The stack's placement: its own when it balances series, else rendezvous hashing. */
  Placement placementOf(MonitoringStack stack) {
    if (!Shards.balancesSeries(stack)) {
      return Placement.RENDEZVOUS;
    }
    String key = Cache.metaNamespaceKeyFunc(stack);
    String uid = stack.getMetadata().getUid();
    return placements
        .compute(
            key,
            (k, was) ->
                was != null && java.util.Objects.equals(was.uid(), uid)
                    ? was
                    : new Entry(uid, newPlacement(stack), clock.instant()))
        .placement();
  }

  /**
   * A placement to wait for the shards' first reading, or, when the stack's status says no target
   * of it is scraped away from its rendezvous shard (a new stack, or one nothing was moved in), one
   * that serves the targets at once.
   */
  private static BalancedPlacement newPlacement(MonitoringStack stack) {
    BalancedPlacement placement = new BalancedPlacement();
    Integer moved = stack.getStatus() == null ? null : stack.getStatus().movedTargets;
    if (moved == null || moved == 0) {
      placement.markReady();
    }
    return placement;
  }

  /** Whether the stack's targets may be served now. */
  boolean placementKnown(String stackKey) {
    Entry entry = placements.get(stackKey);
    return entry == null || entry.placement().ready();
  }

  Optional<MonitoringState.ShardSeries> series(MonitoringStack stack) {
    return Optional.ofNullable(readings.get(Cache.metaNamespaceKeyFunc(stack)));
  }

  /** Reads every stack that is due; what the executor runs every {@link #TICK}. */
  void tick() {
    try {
      Instant now = clock.instant();
      Set<String> live = new HashSet<>();
      Set<String> balancing = new HashSet<>();
      for (MonitoringStack stack : engine.stacks()) {
        if (!Shards.seriesRead(stack)) {
          continue;
        }
        String key = Cache.metaNamespaceKeyFunc(stack);
        live.add(key);
        if (Shards.balancesSeries(stack)) {
          balancing.add(key);
        }
        Entry entry = placements.get(key);
        boolean waiting = entry != null && !entry.placement().ready();
        if (!waiting && now.isBefore(nextReading.getOrDefault(key, Instant.MIN))) {
          continue;
        }
        nextReading.put(key, now.plus(interval(stack)));
        read(stack, key, entry, now);
      }
      // Not one made since this tick listed the stacks: its stack is new, not gone.
      placements
          .entrySet()
          .removeIf(e -> !balancing.contains(e.getKey()) && e.getValue().since().isBefore(now));
      readings.keySet().removeIf(key -> !live.contains(key));
      nextReading.keySet().removeIf(key -> !live.contains(key));
      unfinished.removeIf(key -> !balancing.contains(key));
    } catch (RuntimeException e) {
      LOG.warn("Reading the shards' series failed: {}", e.toString(), e);
    }
  }

  private void read(MonitoringStack stack, String key, Entry entry, Instant now) {
    int shards = Shards.of(stack);
    int replicas =
        stack.getSpec().scraper.replicas == null
            ? 1
            : Math.max(1, stack.getSpec().scraper.replicas);
    long[] perShard = new long[shards];
    Map<Long, Seen> seen = new HashMap<>();
    for (int shard = 0; shard < shards; shard++) {
      perShard[shard] = -1;
      for (int replica = 0; replica < replicas && perShard[shard] < 0; replica++) {
        URI url = urls.of(stack, shard, replica);
        try {
          perShard[shard] = query(url, shard, seen);
        } catch (IOException e) {
          LOG.debug("{} shard {} replica {}: {}", key, shard, replica, e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    if (entry != null) {
      balance(stack, key, entry, shards, perShard, seen, now);
    }
    readings.put(
        key,
        new MonitoringState.ShardSeries(
            perShard, now, entry == null ? 0 : entry.placement().pinned()));
    engine.seriesRead(stack);
  }

  private void balance(
      MonitoringStack stack,
      String key,
      Entry entry,
      int shards,
      long[] perShard,
      Map<Long, Seen> seen,
      Instant now) {
    BalancedPlacement placement = entry.placement();
    List<SeriesBalancer.Target> targets = new ArrayList<>();
    Map<String, Integer> scrapedOn = new TreeMap<>();
    Set<String> keys = new HashSet<>();
    engine.forEachTarget(
        key,
        (target, shard, fingerprint) -> {
          keys.add(target);
          Seen where = fingerprint == 0 ? null : seen.get(fingerprint);
          if (where != null) {
            scrapedOn.put(target, where.shard());
          }
          boolean weighed = where != null && where.shard() == shard;
          targets.add(new SeriesBalancer.Target(target, shard, weighed ? where.series() : -1));
        });
    long answered = java.util.Arrays.stream(perShard).filter(series -> series >= 0).count();
    boolean complete = answered == shards;
    if (!placement.ready()) {
      boolean waited = !now.isBefore(entry.since().plus(PLACEMENT_WAIT));
      if (complete || (answered > 0 && waited)) {
        placement.adopt(scrapedOn, shards);
        LOG.info(
            "{}: adopted where its shards scrape each target ({} of {} shards answered; {} moved)",
            key,
            answered,
            shards,
            placement.pinned());
      } else if (waited) {
        placement.markReady();
        LOG.warn(
            "{}: no shard answered in {}; placing targets by rendezvous hashing",
            key,
            PLACEMENT_WAIT);
      } else {
        return;
      }
      engine.placementChanged(key);
      return; // weighed again at the next reading, with the adopted placement
    }
    placement.retain(keys);
    if (placement.handingOver() || !complete) {
      return;
    }
    ShardBalancingSpec spec = stack.getSpec().scraper.balancing;
    double trigger = spec.tolerancePercent == null ? 0.10 : spec.tolerancePercent / 100.0;
    SeriesBalancer.Settings settings =
        new SeriesBalancer.Settings(
            trigger,
            trigger / 2,
            spec.maxMovesPerInterval == null ? 500 : spec.maxMovesPerInterval);
    SeriesBalancer.Plan plan =
        SeriesBalancer.plan(targets, shards, settings, unfinished.contains(key));
    if (plan.unfinished(settings)) {
      unfinished.add(key);
    } else {
      unfinished.remove(key);
    }
    if (plan.moves().isEmpty()) {
      return;
    }
    LOG.info(
        "{}: moving {} target(s) to balance series {} -> {}",
        key,
        plan.moves().size(),
        java.util.Arrays.toString(plan.seriesBefore()),
        java.util.Arrays.toString(plan.seriesAfter()));
    placement.release(plan.moves());
    engine.placementChanged(key);
    executor.schedule(
        () -> {
          placement.complete(plan.moves(), shards);
          engine.placementChanged(key);
          // The status tells the moved count now, not at the next reading: what a restart of the
          // operator reads to know whether it must wait for the shards to say where targets are.
          readings.computeIfPresent(
              key,
              (k, reading) ->
                  new MonitoringState.ShardSeries(
                      reading.perShard(), reading.readAt(), placement.pinned()));
          engine.seriesRead(stack);
        },
        handover.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Where a target's series were found and how many. */
  private record Seen(int shard, long series) {}

  /** Sums the shard's series, and records each target's; throws when the shard cannot answer. */
  private long query(URI base, int shard, Map<Long, Seen> seen)
      throws IOException, InterruptedException {
    URI url =
        URI.create(
            base.toString().replaceAll("/+$", "")
                + "/api/v1/query?query="
                + URLEncoder.encode(QUERY, StandardCharsets.UTF_8));
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    JsonNode body;
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException(url + " answered " + response.statusCode());
      }
      body = JSON.readTree(in);
    }
    long total = 0;
    for (JsonNode result : body.path("data").path("result")) {
      long series = (long) Double.parseDouble(result.path("value").path(1).asText("0"));
      TreeMap<String, String> labels = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = result.path("metric").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        labels.put(label.getKey(), label.getValue().asText());
      }
      seen.put(ShardedJob.seriesFingerprint(labels), new Seen(shard, series));
      total += series;
    }
    return total;
  }

  private static Duration interval(MonitoringStack stack) {
    ShardBalancingSpec spec = stack.getSpec().scraper.balancing;
    String interval = spec == null || spec.interval == null ? "5m" : spec.interval;
    return Duration.ofMillis(PrometheusDuration.millis(interval));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
