package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code __meta_kubernetes_*} label names and the label sets every role shares, spelled and
 * computed as Prometheus's {@code discovery/kubernetes} package does. Label maps built here may
 * hold empty values; {@link #toTargetGroup} drops them, since an empty value is the same as no
 * label.
 */
public final class MetaLabels {
  public static final String PREFIX = "__meta_kubernetes_";
  public static final String ADDRESS = "__address__";
  public static final String NAMESPACE = PREFIX + "namespace";

  static final String POD_IP = PREFIX + "pod_ip";
  static final String POD_READY = PREFIX + "pod_ready";
  static final String POD_PHASE = PREFIX + "pod_phase";
  static final String POD_NODE_NAME = PREFIX + "pod_node_name";
  static final String POD_HOST_IP = PREFIX + "pod_host_ip";
  static final String POD_UID = PREFIX + "pod_uid";
  static final String POD_CONTROLLER_KIND = PREFIX + "pod_controller_kind";
  static final String POD_CONTROLLER_NAME = PREFIX + "pod_controller_name";
  static final String POD_CONTAINER_NAME = PREFIX + "pod_container_name";
  static final String POD_CONTAINER_ID = PREFIX + "pod_container_id";
  static final String POD_CONTAINER_IMAGE = PREFIX + "pod_container_image";
  static final String POD_CONTAINER_PORT_NAME = PREFIX + "pod_container_port_name";
  static final String POD_CONTAINER_PORT_NUMBER = PREFIX + "pod_container_port_number";
  static final String POD_CONTAINER_PORT_PROTOCOL = PREFIX + "pod_container_port_protocol";
  static final String POD_CONTAINER_INIT = PREFIX + "pod_container_init";

  private MetaLabels() {}

  /**
   * A Kubernetes label or annotation key as a Prometheus label-name suffix: every character (code
   * point) outside {@code [a-zA-Z0-9_]} becomes one {@code _}, as Prometheus's {@code
   * strutil.SanitizeLabelName}.
   */
  public static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    int i = 0;
    while (i < name.length()) {
      int c = name.codePointAt(i);
      out.append(validInLabelName(c) ? (char) c : '_');
      i += Character.charCount(c);
    }
    return out.toString();
  }

  private static boolean validInLabelName(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /**
   * Go's {@code net.JoinHostPort}: an IPv6 address (any host containing {@code :}) is bracketed.
   */
  public static String joinHostPort(String host, int port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /**
   * {@code <role>_name} plus {@code <role>_label_*}, {@code _labelpresent_*}, {@code
   * _annotation_*}, {@code _annotationpresent_*}. Keys are visited in sorted order, so of two keys
   * that sanitize to the same name the later one in that order wins, always the same one.
   */
  static void putObjectMeta(Map<String, String> labels, String role, ObjectMeta meta) {
    labels.put(PREFIX + role + "_name", nullToEmpty(meta.getName()));
    putLabelsAndAnnotations(labels, role, meta.getLabels(), meta.getAnnotations());
  }

  static void putLabelsAndAnnotations(
      Map<String, String> labels,
      String role,
      Map<String, String> objectLabels,
      Map<String, String> objectAnnotations) {
    if (objectLabels != null) {
      new TreeMap<>(objectLabels)
          .forEach(
              (k, v) -> {
                String n = sanitize(k);
                labels.put(PREFIX + role + "_label_" + n, nullToEmpty(v));
                labels.put(PREFIX + role + "_labelpresent_" + n, "true");
              });
    }
    if (objectAnnotations != null) {
      new TreeMap<>(objectAnnotations)
          .forEach(
              (k, v) -> {
                String n = sanitize(k);
                labels.put(PREFIX + role + "_annotation_" + n, nullToEmpty(v));
                labels.put(PREFIX + role + "_annotationpresent_" + n, "true");
              });
    }
  }

  /** Node metadata ({@code attach_metadata.node}): {@code node_name} and the node's twins. */
  static void putNode(Map<String, String> labels, Node node) {
    putObjectMeta(labels, "node", node.getMetadata());
  }

  /** Prometheus's {@code podLabels}: what every target backed by a Pod carries. */
  static Map<String, String> podLabels(Pod pod) {
    Map<String, String> labels = new TreeMap<>();
    var status = pod.getStatus();
    var spec = pod.getSpec();
    labels.put(POD_IP, status == null ? "" : nullToEmpty(status.getPodIP()));
    labels.put(POD_READY, podReady(pod));
    labels.put(POD_PHASE, status == null ? "" : nullToEmpty(status.getPhase()));
    labels.put(POD_NODE_NAME, spec == null ? "" : nullToEmpty(spec.getNodeName()));
    labels.put(POD_HOST_IP, status == null ? "" : nullToEmpty(status.getHostIP()));
    labels.put(POD_UID, nullToEmpty(pod.getMetadata().getUid()));
    putObjectMeta(labels, "pod", pod.getMetadata());
    OwnerReference controller = controllerOf(pod.getMetadata());
    if (controller != null) {
      if (!isEmpty(controller.getKind())) {
        labels.put(POD_CONTROLLER_KIND, controller.getKind());
      }
      if (!isEmpty(controller.getName())) {
        labels.put(POD_CONTROLLER_NAME, controller.getName());
      }
    }
    return labels;
  }

  /** The first owner reference with {@code controller: true}, as apimachinery's GetControllerOf. */
  static OwnerReference controllerOf(ObjectMeta meta) {
    if (meta.getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference ref : meta.getOwnerReferences()) {
      if (Boolean.TRUE.equals(ref.getController())) {
        return ref;
      }
    }
    return null;
  }

  /** The PodReady condition's status lower-cased; {@code unknown} when there is none. */
  static String podReady(Pod pod) {
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition condition : pod.getStatus().getConditions()) {
        if ("Ready".equals(condition.getType())) {
          return nullToEmpty(condition.getStatus()).toLowerCase(Locale.ROOT);
        }
      }
    }
    return "unknown";
  }

  /** A pod's containers followed by its init containers, each marked as one or the other. */
  static List<IndexedContainer> containers(Pod pod) {
    List<IndexedContainer> all = new ArrayList<>();
    if (pod.getSpec() == null) {
      return all;
    }
    if (pod.getSpec().getContainers() != null) {
      pod.getSpec().getContainers().forEach(c -> all.add(new IndexedContainer(c, false)));
    }
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().forEach(c -> all.add(new IndexedContainer(c, true)));
    }
    return all;
  }

  /** The container labels of one declared container port; the protocol is given by the caller. */
  static void putContainerPort(
      Map<String, String> labels,
      IndexedContainer container,
      ContainerPort port,
      int number,
      String protocol) {
    labels.put(POD_CONTAINER_NAME, nullToEmpty(container.container().getName()));
    labels.put(POD_CONTAINER_IMAGE, nullToEmpty(container.container().getImage()));
    labels.put(POD_CONTAINER_PORT_NAME, nullToEmpty(port.getName()));
    labels.put(POD_CONTAINER_PORT_NUMBER, Integer.toString(number));
    labels.put(POD_CONTAINER_PORT_PROTOCOL, nullToEmpty(protocol));
    labels.put(POD_CONTAINER_INIT, Boolean.toString(container.init()));
  }

  static List<ContainerPort> ports(Container container) {
    return container.getPorts() == null ? List.of() : container.getPorts();
  }

  static int portNumber(ContainerPort port) {
    return port.getContainerPort() == null ? 0 : port.getContainerPort();
  }

  /**
   * One target as http_sd serves it: its own group, since http_sd cannot carry per-target labels.
   * Empty values are dropped; label names are shared through {@code names}.
   */
  static TargetGroup toTargetGroup(Map<String, String> labels, LabelNames names) {
    TreeMap<String, String> groupLabels = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (!k.equals(ADDRESS) && v != null && !v.isEmpty()) {
            groupLabels.put(names.canonical(k), v);
          }
        });
    return new TargetGroup(List.of(labels.get(ADDRESS)), groupLabels);
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** A container of a pod, with whether it is an init container. */
  record IndexedContainer(Container container, boolean init) {}
}
