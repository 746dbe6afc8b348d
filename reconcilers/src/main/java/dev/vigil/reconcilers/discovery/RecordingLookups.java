package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The lookups one source's targets make beyond the source itself (the Pods behind endpoints, the
 * Nodes of attached metadata), recorded whether or not the object was found, so that a later change
 * to any of them recomputes that source.
 */
final class RecordingLookups {
  private final ClusterSnapshot snapshot;
  private final Set<ObjectRef> dependencies = new HashSet<>();

  RecordingLookups(ClusterSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  Optional<Pod> pod(String namespace, String name) {
    if (namespace == null || name == null) {
      return Optional.empty();
    }
    dependencies.add(ObjectRef.pod(namespace, name));
    return snapshot.pod(namespace, name);
  }

  Optional<Node> node(String name) {
    if (name == null) {
      return Optional.empty();
    }
    dependencies.add(ObjectRef.node(name));
    return snapshot.node(name);
  }

  void dependOn(ObjectRef ref) {
    dependencies.add(ref);
  }

  Set<ObjectRef> dependencies() {
    return Set.copyOf(dependencies);
  }
}
