package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What discovery reads of the cluster: lookups over the caches the operator keeps (informers in the
 * operator, {@link InMemoryClusterSnapshot} in tests). Discovery never modifies what it gets.
 *
 * <p>Objects may be trimmed to the fields discovery reads; {@link TrimmedObjects} lists those
 * fields and keeps exactly them. Lists may come in any order: discovery sorts what it produces.
 */
public interface ClusterSnapshot {
  /** The label naming an EndpointSlice's Service. */
  String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /**
   * Every namespace the operator knows: at least those with a cached Namespace object and those
   * holding a cached Service, EndpointSlice or Pod. {@code namespaceSelector.any} searches these.
   */
  SortedSet<String> namespaceNames();

  /** The Namespace object (its labels select namespaces for annotation discovery). */
  Optional<Namespace> namespace(String name);

  List<Service> services(String namespace);

  Optional<Service> service(String namespace, String name);

  /**
   * The EndpointSlices of one Service: those in its namespace labelled {@code
   * kubernetes.io/service-name: <serviceName>}.
   */
  List<EndpointSlice> endpointSlices(String namespace, String serviceName);

  Optional<EndpointSlice> endpointSlice(String namespace, String name);

  List<Pod> pods(String namespace);

  /**
   * The Pods of a namespace labelled {@code key: value}: what a selector's {@code matchLabels}
   * entry narrows a namespace to. By default a scan of {@link #pods}; a snapshot that indexes
   * labels answers in proportion to the result.
   */
  default List<Pod> pods(String namespace, String key, String value) {
    List<Pod> labelled = new java.util.ArrayList<>();
    for (Pod pod : pods(namespace)) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (labels != null && value.equals(labels.get(key))) {
        labelled.add(pod);
      }
    }
    return labelled;
  }

  Optional<Pod> pod(String namespace, String name);

  /** Only read for monitors with {@code attachMetadata.node: true}. */
  Optional<Node> node(String name);
}
