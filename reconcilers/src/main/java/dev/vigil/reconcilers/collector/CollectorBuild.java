package dev.vigil.reconcilers.collector;

import dev.vigil.reconcilers.collector.CollectorConfigBuilder.ListenPort;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one build of a collector configuration gathers besides the file, section by section: what
 * the pods need for it (Secret keys to mount, environment variables, ports) and the problems found,
 * in the order the sections report them.
 */
final class CollectorBuild {
  final String namespace;
  final boolean clusterWide;
  final SortedSet<MountedKey> mounted = new TreeSet<>();
  final SortedMap<String, EnvVar> env = new TreeMap<>();
  final List<ListenPort> ports = new ArrayList<>();
  final List<ConfigProblem> problems = new ArrayList<>();

  /**
   * @param namespace the pipeline's: the only one whose Secrets the configuration reads
   * @param clusterWide whether the collectors may read the whole cluster, or the namespace only
   */
  CollectorBuild(String namespace, boolean clusterWide) {
    this.namespace = namespace;
    this.clusterWide = clusterWide;
  }

  void problem(String field, String message) {
    problems.add(new ConfigProblem(field, message));
  }
}
