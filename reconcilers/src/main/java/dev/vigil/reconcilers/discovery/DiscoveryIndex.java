package dev.vigil.reconcilers.discovery;

import dev.vigil.reconcilers.discovery.TargetDiscovery.SourceTargets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The current targets of every scrape job, kept up to date one change at a time. For each job it
 * holds the groups each source contributed (an EndpointSlice for endpoint-role jobs, a Pod for
 * pod-role jobs) and which other objects (Pods behind endpoints, Nodes, the Service) they were
 * computed from; a change to one object recomputes only the sources it affects.
 *
 * <p>The {@code *Changed} methods are called after the snapshot holds the object's new state (or no
 * longer holds it, for a deletion), with the object's namespace and name. Each returns the names of
 * the jobs whose targets changed; those jobs also get a new {@link #version}, unique over the life
 * of the index, so an HTTP SD endpoint can use it as an ETag. At any time {@link #groups} equals
 * {@link TargetDiscovery#discover} on the same snapshot. Thread-safe: all methods are serialized.
 */
public final class DiscoveryIndex {
  private final ClusterSnapshot snapshot;
  private final Map<String, JobTargets> jobs = new TreeMap<>();

  /** Object → the (job, source) pairs whose targets were computed from it. */
  private final Map<ObjectRef, Set<JobSource>> dependents = new HashMap<>();

  /** Label names shared by the targets of every job. */
  private final LabelNames names = new LabelNames();

  private long lastVersion;
  private long sourcesComputed;

  public DiscoveryIndex(ClusterSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  /**
   * Replaces the set of jobs. Jobs that are new or whose definition changed are computed in full;
   * unchanged ones keep their targets.
   *
   * @return the names of jobs added, removed, or whose targets changed
   * @throws IllegalArgumentException when two jobs share a name
   */
  public synchronized SortedSet<String> setJobs(Collection<DiscoveryJob> newJobs) {
    Map<String, DiscoveryJob> byName = new TreeMap<>();
    for (DiscoveryJob job : newJobs) {
      if (byName.put(job.name(), job) != null) {
        throw new IllegalArgumentException("two scrape jobs are named " + job.name());
      }
    }
    SortedSet<String> changed = new TreeSet<>();
    for (String name : new ArrayList<>(jobs.keySet())) {
      if (!byName.containsKey(name)) {
        JobTargets removed = jobs.remove(name);
        removed.sources.keySet().forEach(source -> forgetDependencies(removed, source));
        changed.add(name);
      }
    }
    for (DiscoveryJob job : byName.values()) {
      JobTargets current = jobs.get(job.name());
      if (current != null && current.job.equals(job)) {
        continue;
      }
      List<TargetGroup> before = current == null ? null : current.groups();
      if (current != null) {
        current.sources.keySet().forEach(source -> forgetDependencies(current, source));
      }
      JobTargets computed = new JobTargets(job);
      jobs.put(job.name(), computed);
      for (ObjectRef source : TargetDiscovery.sources(job, snapshot)) {
        recompute(computed, source);
      }
      if (before == null || !before.equals(computed.groups())) {
        changed.add(job.name());
      }
      if (current != null) {
        computed.version = current.version;
      }
    }
    bumpVersions(changed);
    return changed;
  }

  /** A Pod was added, changed or deleted. */
  public synchronized SortedSet<String> podChanged(String namespace, String name) {
    ObjectRef pod = ObjectRef.pod(namespace, name);
    Set<JobSource> affected = new LinkedHashSet<>(dependentsOf(pod));
    for (JobTargets job : jobs.values()) {
      if (!job.job.role().fromEndpointSlices()) {
        affected.add(new JobSource(job.job.name(), pod));
      }
    }
    return recomputeAll(affected);
  }

  /** An EndpointSlice was added, changed or deleted. */
  public synchronized SortedSet<String> endpointSliceChanged(String namespace, String name) {
    ObjectRef slice = ObjectRef.endpointSlice(namespace, name);
    Set<JobSource> affected = new LinkedHashSet<>();
    for (JobTargets job : jobs.values()) {
      if (job.job.role().fromEndpointSlices()) {
        affected.add(new JobSource(job.job.name(), slice));
      }
    }
    return recomputeAll(affected);
  }

  /** A Service was added, changed or deleted: its EndpointSlices are recomputed. */
  public synchronized SortedSet<String> serviceChanged(String namespace, String name) {
    Set<JobSource> affected = new LinkedHashSet<>(dependentsOf(ObjectRef.service(namespace, name)));
    List<ObjectRef> slices = TargetDiscovery.endpointSlicesOf(namespace, name, snapshot);
    for (JobTargets job : jobs.values()) {
      if (job.job.role().fromEndpointSlices()) {
        slices.forEach(slice -> affected.add(new JobSource(job.job.name(), slice)));
      }
    }
    return recomputeAll(affected);
  }

  /**
   * A Namespace was added, changed or deleted: the sources in it are recomputed for the jobs that
   * select namespaces by label.
   */
  public synchronized SortedSet<String> namespaceChanged(String name) {
    Set<JobSource> affected = new LinkedHashSet<>();
    for (JobTargets job : jobs.values()) {
      if (!(job.job.namespaces() instanceof NamespaceSelection.Matching)) {
        continue;
      }
      for (ObjectRef source : job.sources.keySet()) {
        if (source.namespace().equals(name)) {
          affected.add(new JobSource(job.job.name(), source));
        }
      }
      for (ObjectRef source : TargetDiscovery.sourcesIn(job.job, name, snapshot)) {
        affected.add(new JobSource(job.job.name(), source));
      }
    }
    return recomputeAll(affected);
  }

  /** A Node was added, changed or deleted (matters to jobs that attach node metadata). */
  public synchronized SortedSet<String> nodeChanged(String name) {
    return recomputeAll(new LinkedHashSet<>(dependentsOf(ObjectRef.node(name))));
  }

  /** Dispatches to the {@code *Changed} method of the object's kind. */
  public SortedSet<String> objectChanged(ObjectRef object) {
    return switch (object.kind()) {
      case NAMESPACE -> namespaceChanged(object.name());
      case NODE -> nodeChanged(object.name());
      case SERVICE -> serviceChanged(object.namespace(), object.name());
      case ENDPOINT_SLICE -> endpointSliceChanged(object.namespace(), object.name());
      case POD -> podChanged(object.namespace(), object.name());
    };
  }

  /** The job's target groups, sorted by {@link TargetDiscovery#ORDER}; empty for an unknown job. */
  public synchronized List<TargetGroup> groups(String jobName) {
    JobTargets job = jobs.get(jobName);
    return job == null ? List.of() : job.groups();
  }

  /** Changes whenever the job's groups change, never repeats; 0 for an unknown job. */
  public synchronized long version(String jobName) {
    JobTargets job = jobs.get(jobName);
    return job == null ? 0 : job.version;
  }

  public synchronized SortedSet<String> jobNames() {
    return new TreeSet<>(jobs.keySet());
  }

  public synchronized Optional<DiscoveryJob> job(String jobName) {
    return Optional.ofNullable(jobs.get(jobName)).map(j -> j.job);
  }

  /** How many times one source's targets were computed, since the index was made. */
  public synchronized long sourcesComputed() {
    return sourcesComputed;
  }

  private Set<JobSource> dependentsOf(ObjectRef object) {
    return dependents.getOrDefault(object, Set.of());
  }

  private SortedSet<String> recomputeAll(Set<JobSource> affected) {
    SortedSet<String> changed = new TreeSet<>();
    for (JobSource jobSource : affected) {
      JobTargets job = jobs.get(jobSource.job());
      if (job != null && recompute(job, jobSource.source())) {
        changed.add(job.job.name());
      }
    }
    bumpVersions(changed);
    return changed;
  }

  /** Recomputes one source of one job; true when the job's groups changed. */
  private boolean recompute(JobTargets job, ObjectRef source) {
    sourcesComputed++;
    Optional<SourceTargets> computed =
        TargetDiscovery.computeSource(job.job, source, snapshot, names);
    SourceTargets previous = job.sources.get(source);
    forgetDependencies(job, source);
    if (computed.isEmpty()) {
      job.sources.remove(source);
    } else {
      job.sources.put(source, computed.get());
      for (ObjectRef dependency : computed.get().dependencies()) {
        dependents
            .computeIfAbsent(dependency, k -> new HashSet<>())
            .add(new JobSource(job.job.name(), source));
      }
    }
    List<TargetGroup> before = previous == null ? List.of() : previous.groups();
    List<TargetGroup> after = computed.map(SourceTargets::groups).orElse(List.of());
    if (before.equals(after)) {
      return false;
    }
    job.replace(before, after);
    return true;
  }

  private void forgetDependencies(JobTargets job, ObjectRef source) {
    SourceTargets previous = job.sources.get(source);
    if (previous == null) {
      return;
    }
    JobSource jobSource = new JobSource(job.job.name(), source);
    for (ObjectRef dependency : previous.dependencies()) {
      Set<JobSource> set = dependents.get(dependency);
      if (set != null) {
        set.remove(jobSource);
        if (set.isEmpty()) {
          dependents.remove(dependency);
        }
      }
    }
  }

  private void bumpVersions(Set<String> changed) {
    for (String name : changed) {
      JobTargets job = jobs.get(name);
      if (job != null) {
        job.version = ++lastVersion;
      }
    }
  }

  /** One source of one job. */
  private record JobSource(String job, ObjectRef source) {}

  /** What the index keeps for one job. */
  private static final class JobTargets {
    final DiscoveryJob job;
    final Map<ObjectRef, SourceTargets> sources = new HashMap<>();
    long version;

    /**
     * Every source's groups in {@link TargetDiscovery#ORDER}; built by the first {@link #groups}
     * call, then kept in order one source at a time, so a change to one pod of a big job costs a
     * few binary searches instead of sorting the whole job again.
     */
    ArrayList<TargetGroup> ordered;

    /** An unmodifiable copy of {@link #ordered}; null when it is stale. */
    List<TargetGroup> sorted;

    JobTargets(DiscoveryJob job) {
      this.job = job;
    }

    /** One source's groups went from {@code before} to {@code after}. */
    void replace(List<TargetGroup> before, List<TargetGroup> after) {
      sorted = null;
      if (ordered == null) {
        return;
      }
      for (TargetGroup group : before) {
        int at = Collections.binarySearch(ordered, group, TargetDiscovery.ORDER);
        if (at < 0) {
          // Cannot happen while ordered holds every source's groups; rebuild rather than drift.
          ordered = null;
          return;
        }
        ordered.remove(at);
      }
      for (TargetGroup group : after) {
        int at = Collections.binarySearch(ordered, group, TargetDiscovery.ORDER);
        ordered.add(at < 0 ? -at - 1 : at, group);
      }
    }

    List<TargetGroup> groups() {
      if (sorted == null) {
        if (ordered == null) {
          ordered = new ArrayList<>();
          sources.values().forEach(s -> ordered.addAll(s.groups()));
          ordered.sort(TargetDiscovery.ORDER);
        }
        sorted = List.copyOf(ordered);
      }
      return sorted;
    }
  }
}
