package dev.vigil.reconcilers.discovery;

import static dev.vigil.reconcilers.discovery.MetaLabels.PREFIX;

import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import dev.vigil.reconcilers.discovery.MetaLabels.IndexedContainer;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The targets of one EndpointSlice of a selected Service, with the labels of Prometheus's role
 * {@code endpointslice} ({@code discovery/kubernetes/endpointslice.go}) or of role {@code
 * endpoints} ({@code endpoints.go}) applied to the Endpoints object the endpoints controller would
 * write for the same Service. Each target's map holds its group labels and its own labels, the
 * latter winning, and {@code __address__}.
 */
final class EndpointSliceTargets {
  static final String ENDPOINTSLICE_NAME = PREFIX + "endpointslice_name";
  static final String ENDPOINTSLICE_ADDRESS_TYPE = PREFIX + "endpointslice_address_type";
  static final String ENDPOINTSLICE_PORT_NAME = PREFIX + "endpointslice_port_name";
  static final String ENDPOINTSLICE_PORT_PROTOCOL = PREFIX + "endpointslice_port_protocol";
  static final String ENDPOINTSLICE_PORT = PREFIX + "endpointslice_port";
  static final String ENDPOINTSLICE_PORT_APP_PROTOCOL = PREFIX + "endpointslice_port_app_protocol";
  static final String ENDPOINTSLICE_CONDITIONS_READY =
      PREFIX + "endpointslice_endpoint_conditions_ready";
  static final String ENDPOINTSLICE_CONDITIONS_SERVING =
      PREFIX + "endpointslice_endpoint_conditions_serving";
  static final String ENDPOINTSLICE_CONDITIONS_TERMINATING =
      PREFIX + "endpointslice_endpoint_conditions_terminating";
  static final String ENDPOINTSLICE_HOSTNAME = PREFIX + "endpointslice_endpoint_hostname";
  static final String ENDPOINTSLICE_NODE_NAME = PREFIX + "endpointslice_endpoint_node_name";
  static final String ENDPOINTSLICE_ZONE = PREFIX + "endpointslice_endpoint_zone";
  static final String ENDPOINTSLICE_TARGET_KIND = PREFIX + "endpointslice_address_target_kind";
  static final String ENDPOINTSLICE_TARGET_NAME = PREFIX + "endpointslice_address_target_name";
  static final String ENDPOINTSLICE_TOPOLOGY = PREFIX + "endpointslice_endpoint_topology_";
  static final String ENDPOINTSLICE_TOPOLOGY_PRESENT =
      PREFIX + "endpointslice_endpoint_topology_present_";

  static final String ENDPOINT_PORT_NAME = PREFIX + "endpoint_port_name";
  static final String ENDPOINT_PORT_PROTOCOL = PREFIX + "endpoint_port_protocol";
  static final String ENDPOINT_READY = PREFIX + "endpoint_ready";
  static final String ENDPOINT_NODE_NAME = PREFIX + "endpoint_node_name";
  static final String ENDPOINT_HOSTNAME = PREFIX + "endpoint_hostname";
  static final String ENDPOINT_TARGET_KIND = PREFIX + "endpoint_address_target_kind";
  static final String ENDPOINT_TARGET_NAME = PREFIX + "endpoint_address_target_name";

  /** Label of the Service headless marker the endpoints controller puts on Endpoints objects. */
  static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  static final String MIRRORING_CONTROLLER = "endpointslicemirroring-controller.k8s.io";

  private EndpointSliceTargets() {}

  static List<Map<String, String>> build(
      EndpointSlice slice,
      Service service,
      Role role,
      boolean attachNodeMetadata,
      RecordingLookups lookups) {
    boolean endpointsRole = role == Role.ENDPOINTS;
    if (endpointsRole ? !inEndpointsObject(slice, service) : secondaryFamily(slice, service)) {
      return List.of();
    }
    Map<String, String> group = groupLabels(slice, service, role);
    List<Map<String, String>> targets = new ArrayList<>();
    // Pods reached through a direct target, by namespace/name, with the port numbers they serve.
    SortedMap<String, SeenPod> seenPods = new TreeMap<>();
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
    for (Endpoint endpoint : endpoints) {
      if (endpointsRole && !inEndpointsObject(endpoint)) {
        continue;
      }
      for (EndpointPort port : ports) {
        for (String address :
            endpoint.getAddresses() == null ? List.<String>of() : endpoint.getAddresses()) {
          Map<String, String> target = new HashMap<>(group);
          target.put(
              MetaLabels.ADDRESS,
              port.getPort() == null ? address : MetaLabels.joinHostPort(address, port.getPort()));
          if (endpointsRole) {
            putEndpointsTargetLabels(target, endpoint, port, attachNodeMetadata, lookups);
          } else {
            putEndpointSliceTargetLabels(target, endpoint, port, attachNodeMetadata, lookups);
          }
          Optional<Pod> pod = resolvePod(endpoint.getTargetRef(), lookups);
          if (pod.isPresent()) {
            Pod p = pod.get();
            SeenPod seen =
                seenPods.computeIfAbsent(
                    p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(),
                    k -> new SeenPod(p, new TreeSet<>(), MetaLabels.podLabels(p)));
            target.putAll(seen.podLabels());
            putMatchingContainer(target, p, port, endpointsRole);
            if (port.getPort() != null) {
              seen.servicePorts().add(port.getPort());
            }
          }
          targets.add(target);
        }
      }
    }
    for (SeenPod seen : seenPods.values()) {
      targets.addAll(extraPodPortTargets(seen, group));
    }
    return targets;
  }

  /**
   * Group labels. Role endpointslice: namespace, address type, the slice's metadata, the Service's
   * metadata. Role endpoints: namespace, the Service's metadata and the Endpoints object's, whose
   * name is the Service's and whose labels are the Service's plus the headless marker.
   */
  private static Map<String, String> groupLabels(EndpointSlice slice, Service service, Role role) {
    Map<String, String> group = new TreeMap<>();
    group.put(MetaLabels.NAMESPACE, MetaLabels.nullToEmpty(slice.getMetadata().getNamespace()));
    if (role == Role.ENDPOINTSLICE) {
      group.put(ENDPOINTSLICE_ADDRESS_TYPE, MetaLabels.nullToEmpty(slice.getAddressType()));
      MetaLabels.putObjectMeta(group, "endpointslice", slice.getMetadata());
    }
    MetaLabels.putObjectMeta(group, "service", service.getMetadata());
    if (role == Role.ENDPOINTS) {
      group.put(PREFIX + "endpoints_name", service.getMetadata().getName());
      Map<String, String> endpointsLabels = new TreeMap<>();
      if (service.getMetadata().getLabels() != null) {
        endpointsLabels.putAll(service.getMetadata().getLabels());
      }
      if (headless(service)) {
        endpointsLabels.put(HEADLESS_LABEL, "");
      }
      MetaLabels.putLabelsAndAnnotations(group, "endpoints", endpointsLabels, null);
    }
    return group;
  }

  private static void putEndpointSliceTargetLabels(
      Map<String, String> target,
      Endpoint endpoint,
      EndpointPort port,
      boolean attachNodeMetadata,
      RecordingLookups lookups) {
    putIfSet(target, ENDPOINTSLICE_PORT_NAME, port.getName());
    putIfSet(target, ENDPOINTSLICE_PORT_PROTOCOL, port.getProtocol());
    if (port.getPort() != null) {
      target.put(ENDPOINTSLICE_PORT, Integer.toString(port.getPort()));
    }
    putIfSet(target, ENDPOINTSLICE_PORT_APP_PROTOCOL, port.getAppProtocol());
    EndpointConditions conditions = endpoint.getConditions();
    if (conditions != null) {
      putIfSet(target, ENDPOINTSLICE_CONDITIONS_READY, conditions.getReady());
      putIfSet(target, ENDPOINTSLICE_CONDITIONS_SERVING, conditions.getServing());
      putIfSet(target, ENDPOINTSLICE_CONDITIONS_TERMINATING, conditions.getTerminating());
    }
    putIfSet(target, ENDPOINTSLICE_HOSTNAME, endpoint.getHostname());
    ObjectReference ref = endpoint.getTargetRef();
    if (ref != null) {
      target.put(ENDPOINTSLICE_TARGET_KIND, MetaLabels.nullToEmpty(ref.getKind()));
      target.put(ENDPOINTSLICE_TARGET_NAME, MetaLabels.nullToEmpty(ref.getName()));
    }
    putIfSet(target, ENDPOINTSLICE_NODE_NAME, endpoint.getNodeName());
    putIfSet(target, ENDPOINTSLICE_ZONE, endpoint.getZone());
    if (endpoint.getDeprecatedTopology() != null) {
      new TreeMap<>(endpoint.getDeprecatedTopology())
          .forEach(
              (k, v) -> {
                String n = MetaLabels.sanitize(k);
                target.put(ENDPOINTSLICE_TOPOLOGY + n, MetaLabels.nullToEmpty(v));
                target.put(ENDPOINTSLICE_TOPOLOGY_PRESENT + n, "true");
              });
    }
    if (attachNodeMetadata) {
      String nodeName =
          ref != null && "Node".equals(ref.getKind()) ? ref.getName() : endpoint.getNodeName();
      lookups.node(nodeName).ifPresent(node -> MetaLabels.putNode(target, node));
    }
  }

  private static void putEndpointsTargetLabels(
      Map<String, String> target,
      Endpoint endpoint,
      EndpointPort port,
      boolean attachNodeMetadata,
      RecordingLookups lookups) {
    target.put(ENDPOINT_PORT_NAME, MetaLabels.nullToEmpty(port.getName()));
    target.put(ENDPOINT_PORT_PROTOCOL, MetaLabels.nullToEmpty(port.getProtocol()));
    target.put(ENDPOINT_READY, Boolean.toString(ready(endpoint)));
    ObjectReference ref = endpoint.getTargetRef();
    if (ref != null) {
      target.put(ENDPOINT_TARGET_KIND, MetaLabels.nullToEmpty(ref.getKind()));
      target.put(ENDPOINT_TARGET_NAME, MetaLabels.nullToEmpty(ref.getName()));
    }
    putIfSet(target, ENDPOINT_NODE_NAME, endpoint.getNodeName());
    putIfSet(target, ENDPOINT_HOSTNAME, endpoint.getHostname());
    if (attachNodeMetadata) {
      String nodeName = endpoint.getNodeName();
      if (nodeName == null && ref != null && "Node".equals(ref.getKind())) {
        nodeName = ref.getName();
      }
      lookups.node(nodeName).ifPresent(node -> MetaLabels.putNode(target, node));
    }
  }

  /**
   * Container labels of the container that declares the slice port's number (containers, then init
   * containers; the last such container wins, as in Prometheus). The protocol label is the
   * container port's in role endpointslice and the Endpoints port's in role endpoints.
   */
  private static void putMatchingContainer(
      Map<String, String> target, Pod pod, EndpointPort port, boolean endpointsRole) {
    if (port.getPort() == null) {
      return;
    }
    for (IndexedContainer container : MetaLabels.containers(pod)) {
      for (ContainerPort containerPort : MetaLabels.ports(container.container())) {
        if (MetaLabels.portNumber(containerPort) == port.getPort()) {
          String protocol = endpointsRole ? port.getProtocol() : containerPort.getProtocol();
          MetaLabels.putContainerPort(target, container, containerPort, port.getPort(), protocol);
          break;
        }
      }
    }
  }

  /**
   * Targets for a pod's declared container ports that no slice port covers: group labels, pod
   * labels and container labels only.
   */
  private static List<Map<String, String>> extraPodPortTargets(
      SeenPod seen, Map<String, String> group) {
    Pod pod = seen.pod();
    String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (MetaLabels.isEmpty(podIp)) {
      return List.of();
    }
    List<Map<String, String>> targets = new ArrayList<>();
    for (IndexedContainer container : MetaLabels.containers(pod)) {
      for (ContainerPort containerPort : MetaLabels.ports(container.container())) {
        int number = MetaLabels.portNumber(containerPort);
        if (seen.servicePorts().contains(number)) {
          continue;
        }
        Map<String, String> target = new HashMap<>(group);
        target.put(MetaLabels.ADDRESS, MetaLabels.joinHostPort(podIp, number));
        target.putAll(seen.podLabels());
        MetaLabels.putContainerPort(
            target, container, containerPort, number, containerPort.getProtocol());
        targets.add(target);
      }
    }
    return targets;
  }

  private static Optional<Pod> resolvePod(ObjectReference ref, RecordingLookups lookups) {
    if (ref == null || !"Pod".equals(ref.getKind())) {
      return Optional.empty();
    }
    return lookups.pod(ref.getNamespace(), ref.getName());
  }

  /**
   * Prometheus 3.11+: the slice of a dual-stack Service whose address type is not the Service's
   * primary family gives no targets (they would duplicate the primary slice's).
   */
  static boolean secondaryFamily(EndpointSlice slice, Service service) {
    var spec = service.getSpec();
    if (spec == null || spec.getIpFamilyPolicy() == null) {
      return false;
    }
    String policy = spec.getIpFamilyPolicy();
    if (!policy.equals("PreferDualStack") && !policy.equals("RequireDualStack")) {
      return false;
    }
    if (spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
      return false;
    }
    return !spec.getIpFamilies().get(0).equals(slice.getAddressType());
  }

  /**
   * Whether the endpoints controller's Endpoints object would hold this slice's addresses: never
   * FQDN ones; for a Service with pods, only those of its primary IP family; a mirrored slice
   * (copied from a hand-written Endpoints object) always.
   */
  static boolean inEndpointsObject(EndpointSlice slice, Service service) {
    if ("FQDN".equals(slice.getAddressType())) {
      return false;
    }
    Map<String, String> labels = slice.getMetadata().getLabels();
    if (labels != null && MIRRORING_CONTROLLER.equals(labels.get(MANAGED_BY_LABEL))) {
      return true;
    }
    var spec = service.getSpec();
    if (spec == null || spec.getIpFamilies() == null || spec.getIpFamilies().isEmpty()) {
      return true;
    }
    return spec.getIpFamilies().get(0).equals(slice.getAddressType());
  }

  /**
   * The endpoints controller leaves terminating pods out of Endpoints unless the Service publishes
   * not-ready addresses, in which case the slice marks them ready.
   */
  static boolean inEndpointsObject(Endpoint endpoint) {
    EndpointConditions conditions = endpoint.getConditions();
    return conditions == null
        || !Boolean.TRUE.equals(conditions.getTerminating())
        || ready(endpoint);
  }

  /** Endpoints' addresses vs notReadyAddresses: a missing ready condition means ready. */
  private static boolean ready(Endpoint endpoint) {
    EndpointConditions conditions = endpoint.getConditions();
    return conditions == null || !Boolean.FALSE.equals(conditions.getReady());
  }

  private static boolean headless(Service service) {
    String clusterIp = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    return MetaLabels.isEmpty(clusterIp) || "None".equals(clusterIp);
  }

  private static void putIfSet(Map<String, String> target, String label, Object value) {
    if (value != null) {
      target.put(label, value.toString());
    }
  }

  /**
   * A pod reached through the slice, with the slice port numbers it was reached on and its {@link
   * MetaLabels#podLabels} (computed once, however many endpoints and ports reach it).
   */
  private record SeenPod(Pod pod, SortedSet<Integer> servicePorts, Map<String, String> podLabels) {}
}
