package dev.vigil.benchmarks;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.operator.servicediscovery.ServiceDiscoveryHandler;
import dev.vigil.operator.targets.TargetEngine;
import dev.vigil.reconcilers.discovery.DiscoveryIndex;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.prometheus.JobRelabelings;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import dev.vigil.reconcilers.sharding.ShardedJob;
import io.fabric8.kubernetes.api.model.Pod;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The real path from discovery to the bodies HTTP SD sends: the operator's {@link TargetEngine}
 * (discovery index, each stack's relabeling of each job, sharding) and its {@link
 * ServiceDiscoveryHandler}, no stand-ins, on {@link EngineFixture}'s cluster: 100,000 pod targets
 * in 350 jobs, 3 stacks of {@code shards} shards. Objects go in through {@link
 * TargetEngine#deliver}, what the informers' handlers call; requests are in memory (no sockets).
 *
 * <ul>
 *   <li>{@link #idleRefreshCycle}: the background renderer's cycle when nothing changed, every
 *       answer cached;
 *   <li>{@link #podChangeToEveryAffectedBody}: one pod's label changes so one job keeps or drops it
 *       (in all three stacks): the event, then the refresh that renders every affected shard's new
 *       body;
 *   <li>{@link #fullStart}: a new engine from synced informers (cluster first, then monitors and
 *       stacks) to every shard's body of every job of every stack rendered;
 *   <li>{@link #relabelAndShardOneJob}: one job's discovered targets (286, half of which its {@code
 *       keep} relabeling drops) relabeled and placed on the shards from scratch, as after a change
 *       of the job or its stack.
 * </ul>
 */
@State(Scope.Benchmark)
public class TargetEngineBenchmark implements BenchmarkFigures {
  @Param({"10", "100"})
  public int shards;

  private EngineFixture fixture;
  private World world;
  private Pod flipped;
  private Pod original;
  private boolean flip;
  private List<TargetGroup> oneJobsGroups;
  private TargetRelabeling oneJobsRelabeling;

  /**
   * An engine fed the whole fixture and a handler that has rendered every body, asked for on
   * {@value #SERVER_THREADS} threads as the operator's HTTP server serves the shards' concurrent
   * requests.
   */
  record World(TargetEngine engine, ServiceDiscoveryHandler handler, int bodies)
      implements AutoCloseable {
    @Override
    public void close() {
      handler.close();
      engine.close();
    }

    static World start(EngineFixture fixture) {
      TargetEngine engine = new TargetEngine(null, Set.of());
      fixture.cluster.forEach(engine::deliver);
      fixture.monitors.forEach(engine::deliver);
      fixture.stacks.forEach(engine::deliver);
      ServiceDiscoveryHandler handler =
          new ServiceDiscoveryHandler(
              engine, (ns, stack) -> Optional.of(ServiceDiscoveryBenchmark.TOKEN));
      List<Callable<Long>> requests = new ArrayList<>();
      for (MonitoringStack stack : fixture.stacks) {
        int shards = stack.getSpec().scraper.shards;
        for (PodMonitor monitor : fixture.monitors) {
          String job =
              DiscoveryJob.podMonitorJobName(
                  monitor.getMetadata().getNamespace(), monitor.getMetadata().getName(), 0);
          for (int shard = 0; shard < shards; shard++) {
            int s = shard;
            requests.add(
                () ->
                    ServiceDiscoveryBenchmark.serve(
                        handler,
                        stack.getMetadata().getNamespace(),
                        stack.getMetadata().getName(),
                        s,
                        job,
                        true));
          }
        }
      }
      ExecutorService server = Executors.newFixedThreadPool(SERVER_THREADS);
      try {
        for (Future<Long> sent : server.invokeAll(requests)) {
          sent.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        server.shutdownNow();
      }
      return new World(engine, handler, requests.size());
    }
  }

  /** The operator's HTTP server threads ({@code HttpEndpoints}). */
  static final int SERVER_THREADS = 4;

  @Setup(Level.Trial)
  public void build() {
    fixture = new EngineFixture(shards);
    world = World.start(fixture);
    // Pod 0 is kept by every second job (scrape=true): flipping it moves it in and out of 3 stacks.
    original = fixture.pods.get(0);
    flipped = EngineFixture.pod(0, false);
    PodMonitor monitor = fixture.monitors.get(0);
    DiscoveryIndex index =
        new DiscoveryIndex(new InMemoryClusterSnapshot().putAll(fixture.cluster));
    index.setJobs(DiscoveryJob.forPodMonitor(monitor));
    oneJobsGroups = index.groups(jobOf(monitor));
    oneJobsRelabeling =
        JobRelabelings.forMonitor(fixture.stacks.get(0), monitor).get(jobOf(monitor));
  }

  static String jobOf(PodMonitor monitor) {
    return DiscoveryJob.podMonitorJobName(
        monitor.getMetadata().getNamespace(), monitor.getMetadata().getName(), 0);
  }

  @TearDown(Level.Trial)
  public void close() {
    world.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @PerformanceTarget("< 1000 µs")
  public void idleRefreshCycle() {
    world.handler().refresh();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @PerformanceTarget("< 50 ms")
  public void podChangeToEveryAffectedBody() {
    flip = !flip;
    world.engine().deliver(flip ? flipped : original);
    world.handler().refresh();
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  @PerformanceTarget("< 2000 ms")
  public int fullStart() {
    try (World started = World.start(fixture)) {
      return started.bodies();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int relabelAndShardOneJob() {
    ShardedJob job = new ShardedJob(jobOf(fixture.monitors.get(0)), oneJobsRelabeling, shards);
    job.update(1, oneJobsGroups);
    return job.scraped();
  }

  /**
   * Targets discovered and scraped, bodies, and the heap the engine and the handler keep with every
   * body cached (used heap after full collections, the fixture's objects standing for the
   * informers' stores counted apart).
   */
  @Override
  public List<ResultTable.Row> figures() {
    List<ResultTable.Row> rows = new ArrayList<>();
    for (int shards : new int[] {10, 100}) {
      EngineFixture fixture = new EngineFixture(shards);
      long base = DiscoveryBenchmark.usedHeapAfterGc();
      World world = World.start(fixture);
      long bytes = DiscoveryBenchmark.usedHeapAfterGc() - base;
      MonitoringStack stack = world.engine().stacks().get(0);
      Set<String> jobs = new TreeSet<>();
      for (PodMonitor monitor : fixture.monitors) {
        jobs.add(
            DiscoveryJob.podMonitorJobName(
                monitor.getMetadata().getNamespace(), monitor.getMetadata().getName(), 0));
      }
      int scraped = world.engine().targets(stack, jobs).total();
      int discovered = world.engine().targetCount();
      String params =
          String.format(
              Locale.ROOT,
              "shards=%d, stacks=%d, jobs=%d",
              shards,
              EngineFixture.STACKS,
              EngineFixture.MONITORS);
      rows.add(
          new ResultTable.Row(
              "TargetEngineBenchmark: targets discovered / scraped a stack / bodies",
              params,
              discovered + " / " + scraped + " / " + world.bodies(),
              "count"));
      rows.add(
          new ResultTable.Row(
              "TargetEngineBenchmark: heap: snapshot, index, relabeled shards, every body (gzip)",
              params,
              String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024)),
              "MiB retained",
              ""));
      Reference.reachabilityFence(fixture);
      Reference.reachabilityFence(world);
      world.close();
    }
    return rows;
  }
}
