package dev.vigil.benchmarks;

import dev.vigil.reconcilers.discovery.DiscoveryIndex;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.discovery.ObjectRef;
import dev.vigil.reconcilers.discovery.TargetGroup;
import dev.vigil.reconcilers.discovery.TrimmedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Discovery over {@link DiscoveryFixture}'s cluster (10,000 pods, 2,000 Services with their
 * EndpointSlices, 500 monitors in 50 namespaces): everything at once, as when the operator starts,
 * and one object at a time, as the watches deliver changes. The figures add the heap the operator
 * keeps for that cluster.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class DiscoveryBenchmark implements BenchmarkFigures {
  private static final double MIB = 1024.0 * 1024.0;

  private DiscoveryFixture fixture;
  private List<HasMetadata> objects;
  private InMemoryClusterSnapshot snapshot;
  private DiscoveryIndex index;

  /** Two states of one pod and of its EndpointSlice: ready, and not ready. */
  private Pod readyPod;

  private Pod unreadyPod;
  private EndpointSlice readySlice;
  private EndpointSlice unreadySlice;
  private boolean flip;

  @Setup
  public void buildCluster() {
    fixture = new DiscoveryFixture();
    objects = fixture.objects();
    snapshot = fixture.trimmedSnapshot();
    index = new DiscoveryIndex(snapshot);
    index.setJobs(fixture.jobs);

    // A frontend pod of team-00: selected by ServiceMonitors (namespaced and cluster-wide) and by
    // the PodMonitor of every pod.
    Pod pod = fixture.pods.get(0);
    readyPod = TrimmedObjects.pod(pod);
    unreadyPod = TrimmedObjects.pod(withReady(pod, "False"));
    EndpointSlice slice = fixture.endpointSlices.get(0);
    readySlice = TrimmedObjects.endpointSlice(slice);
    unreadySlice = TrimmedObjects.endpointSlice(withFirstEndpointReady(slice, false));
  }

  /** Every job from a filled snapshot: what the operator does once its informers have synced. */
  @Benchmark
  @PerformanceTarget("< 1000 ms")
  public DiscoveryIndex fullDiscovery() {
    DiscoveryIndex fresh = new DiscoveryIndex(snapshot);
    fresh.setJobs(fixture.jobs);
    return fresh;
  }

  /** The same, starting from the API server's whole objects: trimming and caching them too. */
  @Benchmark
  @PerformanceTarget("< 1000 ms")
  public DiscoveryIndex fullDiscoveryWithTrimming() {
    InMemoryClusterSnapshot filled = new InMemoryClusterSnapshot();
    for (HasMetadata object : objects) {
      filled.put(DiscoveryFixture.trim(object));
    }
    DiscoveryIndex fresh = new DiscoveryIndex(filled);
    fresh.setJobs(fixture.jobs);
    return fresh;
  }

  /**
   * A pod's readiness flips: the snapshot takes its new state, the index recomputes what depends on
   * it, and every job whose targets changed is read once (as the next SD poll does).
   */
  @Benchmark
  @PerformanceTarget("< 5 ms")
  public int podChanged() {
    flip = !flip;
    snapshot.put(flip ? unreadyPod : readyPod);
    return readChanged(
        index.objectChanged(ObjectRef.pod("team-00", readyPod.getMetadata().getName())));
  }

  /** An endpoint of an EndpointSlice flips readiness; the same steps. */
  @Benchmark
  @PerformanceTarget("< 5 ms")
  public int endpointSliceChanged() {
    flip = !flip;
    snapshot.put(flip ? unreadySlice : readySlice);
    return readChanged(
        index.objectChanged(
            ObjectRef.endpointSlice("team-00", readySlice.getMetadata().getName())));
  }

  private int readChanged(SortedSet<String> changed) {
    if (changed.isEmpty()) {
      throw new IllegalStateException("the change changed no job's targets");
    }
    int targets = 0;
    for (String job : changed) {
      targets += index.groups(job).size();
    }
    return targets;
  }

  static Pod withReady(Pod pod, String status) {
    return new PodBuilder(pod)
        .editStatus()
        .editMatchingCondition(c -> "Ready".equals(c.getType()))
        .withStatus(status)
        .endCondition()
        .endStatus()
        .build();
  }

  static EndpointSlice withFirstEndpointReady(EndpointSlice slice, boolean ready) {
    return new EndpointSliceBuilder(slice)
        .editFirstEndpoint()
        .editConditions()
        .withReady(ready)
        .withServing(ready)
        .endConditions()
        .endEndpoint()
        .build();
  }

  /**
   * The heap the operator keeps for the fixture's cluster, measured as used heap after full
   * collections before and after each part is built (the fixture's whole objects, standing for the
   * API server, exist throughout and are not counted).
   */
  @Override
  public List<ResultTable.Row> figures() {
    DiscoveryFixture cluster = new DiscoveryFixture();
    long base = usedHeapAfterGc();
    InMemoryClusterSnapshot filled = cluster.trimmedSnapshot();
    long snapshotBytes = usedHeapAfterGc() - base;
    DiscoveryIndex discovered = new DiscoveryIndex(filled);
    discovered.setJobs(cluster.jobs);
    long indexBytes = usedHeapAfterGc() - base - snapshotBytes;
    Map<String, HasMetadata> stores = cluster.informerStores();
    long storeBytes = usedHeapAfterGc() - base - snapshotBytes - indexBytes;
    ServiceDiscoveryBenchmark.BodyCache bodies =
        ServiceDiscoveryBenchmark.BodyCache.renderAll(discovered);
    long bodyBytes = usedHeapAfterGc() - base - snapshotBytes - indexBytes - storeBytes;
    long total = snapshotBytes + indexBytes + storeBytes + bodyBytes;

    int targets = 0;
    for (String job : discovered.jobNames()) {
      for (TargetGroup group : discovered.groups(job)) {
        targets += group.targets().size();
      }
    }
    Reference.reachabilityFence(cluster);
    Reference.reachabilityFence(filled);
    Reference.reachabilityFence(stores);
    Reference.reachabilityFence(bodies);

    String params =
        String.format(
            Locale.ROOT,
            "pods=%d, services=%d, monitors=%d",
            cluster.pods.size(),
            cluster.services.size(),
            cluster.serviceMonitors.size() + cluster.podMonitors.size());
    List<ResultTable.Row> rows = new ArrayList<>();
    rows.add(
        new ResultTable.Row(
            "DiscoveryBenchmark: jobs / targets discovered",
            params,
            discovered.jobNames().size() + " / " + targets,
            "count"));
    rows.add(heapRow("heap: snapshot (trimmed objects)", params, snapshotBytes, ""));
    rows.add(heapRow("heap: discovery index (targets, dependencies)", params, indexBytes, ""));
    rows.add(heapRow("heap: informer stores (second trimmed copy)", params, storeBytes, ""));
    rows.add(
        heapRow(
            "heap: snapshot + index + informer stores",
            params,
            snapshotBytes + indexBytes + storeBytes,
            "< 300 MiB"));
    rows.add(
        heapRow("heap: HTTP SD bodies (every job, 1 shard, plain + gzip)", params, bodyBytes, ""));
    rows.add(heapRow("heap: all of the above", params, total, "< 300 MiB"));
    return rows;
  }

  private static ResultTable.Row heapRow(String name, String params, long bytes, String target) {
    return new ResultTable.Row(
        "DiscoveryBenchmark: " + name,
        params,
        String.format(Locale.ROOT, "%.1f", bytes / MIB),
        "MiB retained",
        target);
  }

  /** Used heap after full collections, once it stops shrinking. */
  static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return Math.min(used, now);
      }
      used = now;
    }
    return used;
  }
}
