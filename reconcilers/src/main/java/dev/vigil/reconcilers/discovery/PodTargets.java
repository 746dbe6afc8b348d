package dev.vigil.reconcilers.discovery;

import dev.vigil.reconcilers.discovery.MetaLabels.IndexedContainer;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The targets of one Pod with the labels of Prometheus's role {@code pod} ({@code
 * discovery/kubernetes/pod.go}). Each target's map holds the group labels, its own labels and
 * {@code __address__}.
 */
final class PodTargets {
  private PodTargets() {}

  /**
   * One target per declared container port ({@code podIP:port}) and one per container without ports
   * (the bare pod IP). None when the pod has no IP yet, or when node metadata is asked for and the
   * pod's Node is not cached.
   */
  static List<Map<String, String>> build(
      Pod pod, boolean attachNodeMetadata, RecordingLookups lookups) {
    Optional<Map<String, String>> group = groupLabels(pod, attachNodeMetadata, lookups);
    if (group.isEmpty()) {
      return List.of();
    }
    String podIp = pod.getStatus().getPodIP();
    List<Map<String, String>> targets = new ArrayList<>();
    for (IndexedContainer container : MetaLabels.containers(pod)) {
      String containerId = containerId(pod, container);
      List<ContainerPort> ports = MetaLabels.ports(container.container());
      if (ports.isEmpty()) {
        Map<String, String> target = new HashMap<>(group.get());
        target.put(MetaLabels.ADDRESS, podIp);
        target.put(
            MetaLabels.POD_CONTAINER_NAME, MetaLabels.nullToEmpty(container.container().getName()));
        target.put(MetaLabels.POD_CONTAINER_ID, containerId);
        target.put(
            MetaLabels.POD_CONTAINER_IMAGE,
            MetaLabels.nullToEmpty(container.container().getImage()));
        target.put(MetaLabels.POD_CONTAINER_INIT, Boolean.toString(container.init()));
        targets.add(target);
        continue;
      }
      for (ContainerPort port : ports) {
        int number = MetaLabels.portNumber(port);
        Map<String, String> target = new HashMap<>(group.get());
        target.put(MetaLabels.ADDRESS, MetaLabels.joinHostPort(podIp, number));
        MetaLabels.putContainerPort(target, container, port, number, port.getProtocol());
        target.put(MetaLabels.POD_CONTAINER_ID, containerId);
        targets.add(target);
      }
    }
    return targets;
  }

  /**
   * Annotation discovery: the pod-role targets of declared container ports; with a numeric {@code
   * prometheus.io/port} annotation, only {@code podIP:<that port>} (carrying the container labels
   * of the port that declares it, if one does).
   */
  static List<Map<String, String>> buildAnnotated(Pod pod, RecordingLookups lookups) {
    List<Map<String, String>> declared = new ArrayList<>();
    for (Map<String, String> target : build(pod, false, lookups)) {
      if (target.containsKey(MetaLabels.POD_CONTAINER_PORT_NUMBER)) {
        declared.add(target);
      }
    }
    Optional<Integer> annotatedPort = annotatedPort(pod);
    if (annotatedPort.isEmpty()) {
      return declared;
    }
    String number = Integer.toString(annotatedPort.get());
    List<Map<String, String>> matching = new ArrayList<>();
    for (Map<String, String> target : declared) {
      if (number.equals(target.get(MetaLabels.POD_CONTAINER_PORT_NUMBER))) {
        matching.add(target);
      }
    }
    if (!matching.isEmpty()) {
      return matching;
    }
    return groupLabels(pod, false, lookups)
        .map(
            group -> {
              Map<String, String> target = new HashMap<>(group);
              target.put(
                  MetaLabels.ADDRESS,
                  MetaLabels.joinHostPort(pod.getStatus().getPodIP(), annotatedPort.get()));
              return List.of(target);
            })
        .orElse(List.of());
  }

  /** {@code prometheus.io/port} when it is a port number (1–65535). */
  static Optional<Integer> annotatedPort(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value =
        annotations == null ? null : annotations.get(DiscoveryJob.ByScrapeAnnotation.PORT);
    if (value == null || !value.matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    int port = Integer.parseInt(value);
    return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
  }

  private static Optional<Map<String, String>> groupLabels(
      Pod pod, boolean attachNodeMetadata, RecordingLookups lookups) {
    if (pod.getStatus() == null || MetaLabels.isEmpty(pod.getStatus().getPodIP())) {
      return Optional.empty();
    }
    Map<String, String> group = MetaLabels.podLabels(pod);
    group.put(MetaLabels.NAMESPACE, MetaLabels.nullToEmpty(pod.getMetadata().getNamespace()));
    if (attachNodeMetadata) {
      String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      Optional<Node> node = lookups.node(MetaLabels.nullToEmpty(nodeName));
      if (node.isEmpty()) {
        return Optional.empty();
      }
      MetaLabels.putNode(group, node.get());
    }
    return Optional.of(group);
  }

  /** {@code <runtime>://<id>} from the container's status, empty before it has one. */
  private static String containerId(Pod pod, IndexedContainer container) {
    if (pod.getStatus() == null) {
      return "";
    }
    List<ContainerStatus> statuses =
        container.init()
            ? pod.getStatus().getInitContainerStatuses()
            : pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return "";
    }
    for (ContainerStatus status : statuses) {
      if (container.container().getName() != null
          && container.container().getName().equals(status.getName())) {
        return MetaLabels.nullToEmpty(status.getContainerID());
      }
    }
    return "";
  }
}
