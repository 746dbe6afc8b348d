package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Copies of the objects discovery reads, holding exactly the fields it reads, so caches stay small
 * on big clusters. Each function returns a new object and leaves its argument untouched. Every
 * trimmed object keeps {@code metadata.name}, {@code namespace} and {@code resourceVersion} (the
 * last for the cache's own bookkeeping; discovery does not read it).
 *
 * <ul>
 *   <li>Pod: {@code metadata.uid}, {@code labels}, {@code annotations}, the controller owner
 *       reference ({@code kind}, {@code name}, {@code controller}); {@code spec.nodeName}; per
 *       container and init container {@code name}, {@code image}, {@code ports[].containerPort},
 *       {@code .name}, {@code .protocol}; {@code status.podIP}, {@code hostIP}, {@code phase}, the
 *       {@code Ready} condition ({@code type}, {@code status}), {@code containerStatuses[]} and
 *       {@code initContainerStatuses[]} ({@code name}, {@code containerID}).
 *   <li>EndpointSlice: {@code metadata.labels}, {@code annotations}; {@code addressType}; {@code
 *       ports[]} ({@code name}, {@code port}, {@code protocol}, {@code appProtocol}); {@code
 *       endpoints[]} ({@code addresses}, {@code conditions.ready/serving/terminating}, {@code
 *       hostname}, {@code nodeName}, {@code zone}, {@code deprecatedTopology}, {@code targetRef}
 *       {@code kind}, {@code namespace}, {@code name}).
 *   <li>Service: {@code metadata.labels}, {@code annotations}; {@code spec.clusterIP}, {@code
 *       ipFamilies}, {@code ipFamilyPolicy}.
 *   <li>Namespace: {@code metadata.labels}.
 *   <li>Node: {@code metadata.labels}, {@code annotations}.
 * </ul>
 */
public final class TrimmedObjects {
  private TrimmedObjects() {}

  public static Pod pod(Pod pod) {
    ObjectMeta meta = meta(pod.getMetadata(), true);
    meta.setUid(pod.getMetadata().getUid());
    OwnerReference controller = MetaLabels.controllerOf(pod.getMetadata());
    if (controller != null) {
      OwnerReference kept = new OwnerReference();
      kept.setApiVersion(null); // the model defaults it to "v1"; discovery does not read it
      kept.setKind(controller.getKind());
      kept.setName(controller.getName());
      kept.setController(true);
      meta.setOwnerReferences(List.of(kept));
    }
    Pod trimmed = new Pod();
    trimmed.setMetadata(meta);
    if (pod.getSpec() != null) {
      PodSpec spec = new PodSpec();
      spec.setNodeName(pod.getSpec().getNodeName());
      spec.setContainers(copyList(pod.getSpec().getContainers(), TrimmedObjects::container));
      spec.setInitContainers(
          copyList(pod.getSpec().getInitContainers(), TrimmedObjects::container));
      trimmed.setSpec(spec);
    }
    if (pod.getStatus() != null) {
      PodStatus from = pod.getStatus();
      PodStatus status = new PodStatus();
      status.setPodIP(from.getPodIP());
      status.setHostIP(from.getHostIP());
      status.setPhase(from.getPhase());
      List<PodCondition> ready = new ArrayList<>();
      if (from.getConditions() != null) {
        for (PodCondition condition : from.getConditions()) {
          if ("Ready".equals(condition.getType())) {
            PodCondition kept = new PodCondition();
            kept.setType(condition.getType());
            kept.setStatus(condition.getStatus());
            ready.add(kept);
          }
        }
      }
      status.setConditions(ready);
      status.setContainerStatuses(
          copyList(from.getContainerStatuses(), TrimmedObjects::containerStatus));
      status.setInitContainerStatuses(
          copyList(from.getInitContainerStatuses(), TrimmedObjects::containerStatus));
      trimmed.setStatus(status);
    }
    return trimmed;
  }

  public static EndpointSlice endpointSlice(EndpointSlice slice) {
    EndpointSlice trimmed = new EndpointSlice();
    trimmed.setMetadata(meta(slice.getMetadata(), true));
    trimmed.setAddressType(slice.getAddressType());
    trimmed.setPorts(copyList(slice.getPorts(), TrimmedObjects::endpointPort));
    trimmed.setEndpoints(copyList(slice.getEndpoints(), TrimmedObjects::endpoint));
    return trimmed;
  }

  public static Service service(Service service) {
    Service trimmed = new Service();
    trimmed.setMetadata(meta(service.getMetadata(), true));
    if (service.getSpec() != null) {
      ServiceSpec spec = new ServiceSpec();
      spec.setClusterIP(service.getSpec().getClusterIP());
      spec.setIpFamilyPolicy(service.getSpec().getIpFamilyPolicy());
      spec.setIpFamilies(copyList(service.getSpec().getIpFamilies(), Function.identity()));
      // Port names: PortCheck tells a monitor naming a port no selected Service has.
      spec.setPorts(
          copyList(
              service.getSpec().getPorts(),
              p -> {
                ServicePort port = new ServicePort();
                port.setName(p.getName());
                port.setPort(p.getPort());
                port.setProtocol(p.getProtocol());
                return port;
              }));
      trimmed.setSpec(spec);
    }
    return trimmed;
  }

  /**
   * Its labels, and of its annotations only those Vigil reads: the one by which it opts in to
   * platform stacks, and those asking for its pods to be instrumented.
   */
  public static Namespace namespace(Namespace namespace) {
    Namespace trimmed = new Namespace();
    trimmed.setMetadata(meta(namespace.getMetadata(), false));
    Map<String, String> annotations = namespace.getMetadata().getAnnotations();
    if (annotations != null) {
      Map<String, String> kept = new LinkedHashMap<>();
      annotations.forEach(
          (key, value) -> {
            if (key.equals(NamespaceSelection.OptedIn.SELECTABLE_BY)
                || NAMESPACE_ANNOTATION_PREFIXES.stream().anyMatch(key::startsWith)) {
              kept.put(key, value);
            }
          });
      if (!kept.isEmpty()) {
        trimmed.getMetadata().setAnnotations(kept);
      }
    }
    return trimmed;
  }

  /** Namespace annotations that instrument its pods (docs/instrumentation.md). */
  static final List<String> NAMESPACE_ANNOTATION_PREFIXES =
      List.of("instrumentation.vigil.dev/", "instrumentation.opentelemetry.io/");

  public static Node node(Node node) {
    Node trimmed = new Node();
    trimmed.setMetadata(meta(node.getMetadata(), true));
    return trimmed;
  }

  private static ObjectMeta meta(ObjectMeta from, boolean annotations) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(from.getName());
    meta.setNamespace(from.getNamespace());
    meta.setResourceVersion(from.getResourceVersion());
    meta.setLabels(copyMap(from.getLabels()));
    if (annotations) {
      meta.setAnnotations(copyMap(from.getAnnotations()));
    }
    return meta;
  }

  private static Container container(Container from) {
    Container container = new Container();
    container.setName(from.getName());
    container.setImage(from.getImage());
    container.setPorts(copyList(from.getPorts(), TrimmedObjects::containerPort));
    return container;
  }

  private static ContainerPort containerPort(ContainerPort from) {
    ContainerPort port = new ContainerPort();
    port.setContainerPort(from.getContainerPort());
    port.setName(from.getName());
    port.setProtocol(from.getProtocol());
    return port;
  }

  private static ContainerStatus containerStatus(ContainerStatus from) {
    ContainerStatus status = new ContainerStatus();
    status.setName(from.getName());
    status.setContainerID(from.getContainerID());
    return status;
  }

  private static EndpointPort endpointPort(EndpointPort from) {
    EndpointPort port = new EndpointPort();
    port.setName(from.getName());
    port.setPort(from.getPort());
    port.setProtocol(from.getProtocol());
    port.setAppProtocol(from.getAppProtocol());
    return port;
  }

  private static Endpoint endpoint(Endpoint from) {
    Endpoint endpoint = new Endpoint();
    endpoint.setAddresses(copyList(from.getAddresses(), Function.identity()));
    if (from.getConditions() != null) {
      EndpointConditions c = from.getConditions();
      EndpointConditions conditions = new EndpointConditions();
      conditions.setReady(c.getReady());
      conditions.setServing(c.getServing());
      conditions.setTerminating(c.getTerminating());
      endpoint.setConditions(conditions);
    }
    endpoint.setHostname(from.getHostname());
    endpoint.setNodeName(from.getNodeName());
    endpoint.setZone(from.getZone());
    endpoint.setDeprecatedTopology(copyMap(from.getDeprecatedTopology()));
    if (from.getTargetRef() != null) {
      ObjectReference ref = new ObjectReference();
      ref.setKind(from.getTargetRef().getKind());
      ref.setNamespace(from.getTargetRef().getNamespace());
      ref.setName(from.getTargetRef().getName());
      endpoint.setTargetRef(ref);
    }
    return endpoint;
  }

  private static Map<String, String> copyMap(Map<String, String> from) {
    return from == null || from.isEmpty() ? null : new LinkedHashMap<>(from);
  }

  private static <T> List<T> copyList(List<T> from, Function<T, T> copy) {
    if (from == null) {
      return null;
    }
    List<T> list = new ArrayList<>(from.size());
    from.forEach(item -> list.add(copy.apply(item)));
    return list;
  }
}
