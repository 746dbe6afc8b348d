package dev.vigil.reconcilers.discovery;

import dev.vigil.reconcilers.discovery.DiscoveryJob.ByScrapeAnnotation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The targets of a scrape job, computed from a {@link ClusterSnapshot}: pure, and the same input
 * gives equal output. Work is split by <em>source</em>, the one object whose targets a change
 * recomputes: an EndpointSlice for jobs of the endpoint roles, a Pod for the pod role. {@link
 * DiscoveryIndex} keeps the result per source and recomputes only the sources a change affects;
 * {@link #discover} recomputes everything.
 */
public final class TargetDiscovery {
  /** Target groups by address, then by labels (name, then value, in order). */
  public static final Comparator<TargetGroup> ORDER =
      (a, b) -> {
        int c = compareLists(a.targets(), b.targets());
        return c != 0 ? c : compareLabels(a.labels(), b.labels());
      };

  private TargetDiscovery() {}

  /** Every target group of the job, one per target, sorted by {@link #ORDER}. */
  public static List<TargetGroup> discover(DiscoveryJob job, ClusterSnapshot snapshot) {
    List<TargetGroup> groups = new ArrayList<>();
    LabelNames names = new LabelNames();
    for (ObjectRef source : sources(job, snapshot)) {
      computeSource(job, source, snapshot, names).ifPresent(s -> groups.addAll(s.groups()));
    }
    groups.sort(ORDER);
    return List.copyOf(groups);
  }

  /**
   * Every source that may contribute to the job: a superset of those that do, in no particular
   * order.
   */
  static Set<ObjectRef> sources(DiscoveryJob job, ClusterSnapshot snapshot) {
    Set<ObjectRef> sources = new LinkedHashSet<>();
    for (String namespace : job.namespaces().candidates(snapshot)) {
      sources.addAll(sourcesIn(job, namespace, snapshot));
    }
    return sources;
  }

  /**
   * The sources of the job in one namespace, whether or not the job selects that namespace: the
   * EndpointSlices of the Services, or the Pods, its selection selects. Others give it no target
   * until they change, and a change recomputes them.
   */
  static List<ObjectRef> sourcesIn(DiscoveryJob job, String namespace, ClusterSnapshot snapshot) {
    List<ObjectRef> sources = new ArrayList<>();
    if (job.role().fromEndpointSlices()) {
      for (Service service : snapshot.services(namespace)) {
        if (job.selection().selects(service.getMetadata())) {
          sources.addAll(endpointSlicesOf(namespace, service.getMetadata().getName(), snapshot));
        }
      }
    } else {
      for (Pod pod : candidatePods(job, namespace, snapshot)) {
        if (job.selection().selects(pod.getMetadata())) {
          sources.add(ObjectRef.pod(namespace, pod.getMetadata().getName()));
        }
      }
    }
    return sources;
  }

  /** The namespace's pods the job may select: for a matchLabels selector, its rarest label's. */
  private static List<Pod> candidatePods(
      DiscoveryJob job, String namespace, ClusterSnapshot snapshot) {
    if (!(job.selection() instanceof DiscoveryJob.ByLabels byLabels)
        || byLabels.labels().matchLabels().isEmpty()) {
      return snapshot.pods(namespace);
    }
    List<Pod> fewest = null;
    for (Map.Entry<String, String> label : byLabels.labels().matchLabels().entrySet()) {
      List<Pod> labelled = snapshot.pods(namespace, label.getKey(), label.getValue());
      if (fewest == null || labelled.size() < fewest.size()) {
        fewest = labelled;
      }
    }
    return fewest;
  }

  static List<ObjectRef> endpointSlicesOf(
      String namespace, String serviceName, ClusterSnapshot snapshot) {
    List<ObjectRef> slices = new ArrayList<>();
    for (EndpointSlice slice : snapshot.endpointSlices(namespace, serviceName)) {
      slices.add(ObjectRef.endpointSlice(namespace, slice.getMetadata().getName()));
    }
    return slices;
  }

  /**
   * The targets one source gives the job, and what they were computed from; empty when the source
   * does not belong to the job (gone, in another namespace, not selected), so that no change to
   * other objects can give it targets without a change to the source, its Service or its namespace.
   * The groups' label names come from {@code names}, shared with the caller's other groups.
   */
  static Optional<SourceTargets> computeSource(
      DiscoveryJob job, ObjectRef source, ClusterSnapshot snapshot, LabelNames names) {
    if (!job.namespaces().selects(source.namespace(), snapshot)) {
      return Optional.empty();
    }
    RecordingLookups lookups = new RecordingLookups(snapshot);
    List<Map<String, String>> targets;
    if (source.kind() == ObjectRef.Kind.ENDPOINT_SLICE && job.role().fromEndpointSlices()) {
      Optional<EndpointSlice> slice = snapshot.endpointSlice(source.namespace(), source.name());
      Optional<String> serviceName = slice.map(TargetDiscovery::serviceName);
      if (serviceName.isEmpty()) {
        return Optional.empty();
      }
      lookups.dependOn(ObjectRef.service(source.namespace(), serviceName.get()));
      Optional<Service> service = snapshot.service(source.namespace(), serviceName.get());
      if (service.isEmpty() || !job.selection().selects(service.get().getMetadata())) {
        return Optional.empty();
      }
      targets =
          EndpointSliceTargets.build(
              slice.get(), service.get(), job.role(), job.attachNodeMetadata(), lookups);
    } else if (source.kind() == ObjectRef.Kind.POD && !job.role().fromEndpointSlices()) {
      Optional<Pod> pod = snapshot.pod(source.namespace(), source.name());
      if (pod.isEmpty() || !job.selection().selects(pod.get().getMetadata())) {
        return Optional.empty();
      }
      targets =
          job.selection() instanceof ByScrapeAnnotation
              ? PodTargets.buildAnnotated(pod.get(), lookups)
              : PodTargets.build(pod.get(), job.attachNodeMetadata(), lookups);
    } else {
      return Optional.empty();
    }
    List<TargetGroup> groups = new ArrayList<>();
    for (Map<String, String> target : targets) {
      if (keeps(job, target)) {
        groups.add(MetaLabels.toTargetGroup(target, names));
      }
    }
    groups.sort(ORDER);
    return Optional.of(new SourceTargets(List.copyOf(groups), lookups.dependencies()));
  }

  /** The keep and drop rules prometheus-operator writes for the job's port and filterRunning. */
  private static boolean keeps(DiscoveryJob job, Map<String, String> target) {
    if (job.filterRunning()) {
      String phase = target.get(MetaLabels.POD_PHASE);
      if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
        return false;
      }
    }
    return job.port().keeps(target, job.role());
  }

  private static String serviceName(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels == null ? null : labels.get(ClusterSnapshot.SERVICE_NAME_LABEL);
  }

  /**
   * What one source contributes to a job.
   *
   * @param groups its target groups, sorted
   * @param dependencies the other objects they were computed from (Pods, Nodes, the Service)
   */
  record SourceTargets(List<TargetGroup> groups, Set<ObjectRef> dependencies) {}

  private static int compareLists(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareLabels(Map<String, String> a, Map<String, String> b) {
    Iterator<Map.Entry<String, String>> ia = a.entrySet().iterator();
    Iterator<Map.Entry<String, String>> ib = b.entrySet().iterator();
    while (ia.hasNext() && ib.hasNext()) {
      Map.Entry<String, String> ea = ia.next();
      Map.Entry<String, String> eb = ib.next();
      int c = ea.getKey().compareTo(eb.getKey());
      if (c == 0) {
        c = ea.getValue().compareTo(eb.getValue());
      }
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(ia.hasNext(), ib.hasNext());
  }
}
