package dev.vigil.benchmarks;

import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Monitor edits as the scale harness's burst sends them (a new scrape interval), through the
 * operator's {@code TargetEngine} and HTTP SD handler on {@link EngineFixture}'s 100,000 pods, 3
 * stacks of {@value #SHARDS} shards, with the number of monitors the default fixture has (350) and
 * the 100k harness size's (2,000).
 *
 * <ul>
 *   <li>{@link #oneEdit}: one monitor's interval changes, the engine has taken it in (every stack's
 *       selection and jobs planned again), and the refresh renders whatever answers changed;
 *   <li>{@link #burstOfEdits}: {@value #BURST} monitors edited one after the other, as fast as a
 *       watch hands them on, then the same: what the engine does with a burst.
 * </ul>
 */
@State(Scope.Benchmark)
public class MonitorEditBenchmark {
  static final int SHARDS = 16;
  static final int BURST = 100;

  @Param({"350", "2000"})
  public int monitors;

  private TargetEngineBenchmark.World world;

  /** The first {@value #BURST} monitors, each at 11 s and at 12 s. */
  private final List<PodMonitor> at11 = new ArrayList<>();

  private final List<PodMonitor> at12 = new ArrayList<>();
  private boolean second;
  private int next;

  @Setup(Level.Trial)
  public void build() {
    world = TargetEngineBenchmark.World.start(new EngineFixture(SHARDS, monitors));
    for (int m = 0; m < BURST; m++) {
      at11.add(edited(m, "11s", 2));
      at12.add(edited(m, "12s", 3));
    }
  }

  private static PodMonitor edited(int m, String interval, long generation) {
    PodMonitor monitor = EngineFixture.monitor(m);
    monitor.getMetadata().setGeneration(generation);
    monitor.getSpec().podMetricsEndpoints.get(0).interval = interval;
    return monitor;
  }

  @TearDown(Level.Trial)
  public void close() {
    world.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @PerformanceTarget("< 50 ms")
  public void oneEdit() {
    int m = next;
    next = (next + 1) % BURST;
    if (m == 0) {
      second = !second;
    }
    world.engine().deliver((second ? at12 : at11).get(m));
    world.handler().refresh();
  }

  /**
   * Hands every edit but the last to the engine as the watch's handler does ({@code changed},
   * returning before the plan is made), then delivers the last ({@code deliver}, which returns once
   * the engine has planned every change handed to it).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @PerformanceTarget("< 500 ms")
  public void burstOfEdits() {
    second = !second;
    List<PodMonitor> edits = second ? at12 : at11;
    for (int m = 0; m < BURST - 1; m++) {
      world.engine().changed(edits.get(m));
    }
    world.engine().deliver(edits.get(BURST - 1));
    world.handler().refresh();
  }
}
