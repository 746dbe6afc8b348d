package dev.vigil.reconcilers.discovery;

import dev.vigil.api.v1alpha1.common.AttachMetadata;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What discovery needs to know of one scrape job: which objects it takes targets from, which label
 * family they carry, and the target filters prometheus-operator would have written as keep and drop
 * rules (selector, port, {@code filterRunning}). A value: equal jobs give equal targets.
 *
 * @param name the scrape job name, e.g. {@code serviceMonitor/<ns>/<name>/<index>}
 * @param role the Prometheus role whose labels the targets carry; {@link Role#ENDPOINTS} and {@link
 *     Role#ENDPOINTSLICE} take targets from the EndpointSlices of selected Services, {@link
 *     Role#POD} from selected Pods
 * @param namespaces where the selected objects live
 * @param selection which Services (endpoint roles) or Pods (pod role) are selected
 * @param port which targets of a selected object are kept
 * @param filterRunning drop targets whose pod is in phase Succeeded or Failed
 * @param attachNodeMetadata add {@code __meta_kubernetes_node_*} labels ({@code
 *     attachMetadata.node})
 */
public record DiscoveryJob(
    String name,
    Role role,
    NamespaceSelection namespaces,
    ObjectSelection selection,
    PortFilter port,
    boolean filterRunning,
    boolean attachNodeMetadata) {

  public DiscoveryJob {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(namespaces, "namespaces");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(port, "port");
  }

  /** The same job under another name. */
  public DiscoveryJob withName(String newName) {
    return new DiscoveryJob(
        newName, role, namespaces, selection, port, filterRunning, attachNodeMetadata);
  }

  /** The same job, looking in other namespaces. */
  public DiscoveryJob withNamespaces(NamespaceSelection newNamespaces) {
    return new DiscoveryJob(
        name, role, newNamespaces, selection, port, filterRunning, attachNodeMetadata);
  }

  /** The Prometheus {@code kubernetes_sd} role whose label family the targets carry. */
  public enum Role {
    /**
     * {@code __meta_kubernetes_endpoints_*} / {@code _endpoint_*}, computed from EndpointSlices.
     */
    ENDPOINTS,
    /** {@code __meta_kubernetes_endpointslice_*}. */
    ENDPOINTSLICE,
    /** {@code __meta_kubernetes_pod_*}. */
    POD;

    boolean fromEndpointSlices() {
      return this != POD;
    }
  }

  /** Which Services or Pods a job takes targets from. */
  public sealed interface ObjectSelection {
    boolean selects(ObjectMeta meta);
  }

  /** Objects whose labels match the monitor's {@code selector}. */
  public record ByLabels(LabelSelection labels) implements ObjectSelection {
    @Override
    public boolean selects(ObjectMeta meta) {
      return labels.matches(meta.getLabels());
    }
  }

  /**
   * Objects annotated {@code prometheus.io/scrape: "true"} (annotation discovery). For pods, a
   * valid {@code prometheus.io/port} annotation also replaces the declared ports by that one.
   */
  public record ByScrapeAnnotation() implements ObjectSelection {
    public static final String SCRAPE = "prometheus.io/scrape";
    public static final String PORT = "prometheus.io/port";

    @Override
    public boolean selects(ObjectMeta meta) {
      Map<String, String> annotations = meta.getAnnotations();
      return annotations != null && "true".equals(annotations.get(SCRAPE));
    }
  }

  /**
   * The port rule of a monitor endpoint: keep targets whose port label equals {@code value}.
   *
   * @param kind which label is compared
   * @param value the wanted value; empty for {@link Kind#ANY}
   */
  public record PortFilter(Kind kind, String value) {
    public static final PortFilter ANY = new PortFilter(Kind.ANY, "");

    /** The label a port rule reads. */
    public enum Kind {
      /** No port rule. */
      ANY,
      /** ServiceMonitor {@code port}: the Service (EndpointSlice) port name. */
      SERVICE_PORT_NAME,
      /** {@code targetPort} as a name, PodMonitor {@code port}: the container port name. */
      CONTAINER_PORT_NAME,
      /** {@code targetPort} as a number, PodMonitor {@code portNumber}. */
      CONTAINER_PORT_NUMBER
    }

    public static PortFilter servicePortName(String name) {
      return new PortFilter(Kind.SERVICE_PORT_NAME, name);
    }

    public static PortFilter containerPortName(String name) {
      return new PortFilter(Kind.CONTAINER_PORT_NAME, name);
    }

    public static PortFilter containerPortNumber(int number) {
      return new PortFilter(Kind.CONTAINER_PORT_NUMBER, Integer.toString(number));
    }

    /** Whether a target with these (flattened) labels is kept by a job of this role. */
    boolean keeps(Map<String, String> labels, Role role) {
      String label =
          switch (kind) {
            case ANY -> null;
            case SERVICE_PORT_NAME ->
                role == Role.ENDPOINTSLICE
                    ? EndpointSliceTargets.ENDPOINTSLICE_PORT_NAME
                    : EndpointSliceTargets.ENDPOINT_PORT_NAME;
            case CONTAINER_PORT_NAME -> MetaLabels.POD_CONTAINER_PORT_NAME;
            case CONTAINER_PORT_NUMBER -> MetaLabels.POD_CONTAINER_PORT_NUMBER;
          };
      return label == null || value.equals(labels.getOrDefault(label, ""));
    }

    /** prometheus-operator's rule for a ServiceMonitor endpoint: port, else targetPort. */
    static PortFilter ofServiceMonitorEndpoint(Endpoint endpoint) {
      if (endpoint.port != null && !endpoint.port.isEmpty()) {
        return servicePortName(endpoint.port);
      }
      return ofTargetPort(endpoint.targetPort);
    }

    /** prometheus-operator's rule for a PodMonitor endpoint: port, portNumber, targetPort. */
    static PortFilter ofPodMetricsEndpoint(PodMetricsEndpoint endpoint) {
      if (endpoint.port != null && !endpoint.port.isEmpty()) {
        return containerPortName(endpoint.port);
      }
      if (endpoint.portNumber != null && endpoint.portNumber != 0) {
        return containerPortNumber(endpoint.portNumber);
      }
      return ofTargetPort(endpoint.targetPort);
    }

    private static PortFilter ofTargetPort(IntOrString targetPort) {
      if (targetPort == null) {
        return ANY;
      }
      if (targetPort.getStrVal() != null && !targetPort.getStrVal().isEmpty()) {
        return containerPortName(targetPort.getStrVal());
      }
      if (targetPort.getIntVal() != null && targetPort.getIntVal() != 0) {
        return containerPortNumber(targetPort.getIntVal());
      }
      return ANY;
    }
  }

  /** prometheus-operator's job name for endpoint {@code index} of a ServiceMonitor. */
  public static String serviceMonitorJobName(String namespace, String name, int index) {
    return "serviceMonitor/" + namespace + "/" + name + "/" + index;
  }

  /** prometheus-operator's job name for endpoint {@code index} of a PodMonitor. */
  public static String podMonitorJobName(String namespace, String name, int index) {
    return "podMonitor/" + namespace + "/" + name + "/" + index;
  }

  /**
   * One job per entry of {@code spec.endpoints}, in order.
   *
   * @throws IllegalArgumentException when the spec is missing or the selector is invalid (message
   *     names the field)
   */
  public static List<DiscoveryJob> forServiceMonitor(ServiceMonitor monitor) {
    String namespace = monitor.getMetadata().getNamespace();
    String monitorName = monitor.getMetadata().getName();
    ServiceMonitorSpec spec = requireSpec(monitor.getSpec());
    Role role =
        spec.serviceDiscoveryRole == ServiceMonitorSpec.ServiceDiscoveryRole.EndpointSlice
            ? Role.ENDPOINTSLICE
            : Role.ENDPOINTS;
    ObjectSelection selection = new ByLabels(selection(spec.selector));
    NamespaceSelection namespaces = NamespaceSelection.ofMonitor(spec.namespaceSelector, namespace);
    List<DiscoveryJob> jobs = new ArrayList<>();
    List<Endpoint> endpoints = spec.endpoints == null ? List.of() : spec.endpoints;
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      if (endpoint == null) {
        continue; // a hole only a schema-less API server stores; the reconciler reports it
      }
      jobs.add(
          new DiscoveryJob(
              serviceMonitorJobName(namespace, monitorName, i),
              role,
              namespaces,
              selection,
              PortFilter.ofServiceMonitorEndpoint(endpoint),
              !Boolean.FALSE.equals(endpoint.filterRunning),
              attachNode(spec.attachMetadata)));
    }
    return jobs;
  }

  /**
   * One job per entry of {@code spec.podMetricsEndpoints}, in order.
   *
   * @throws IllegalArgumentException when the spec is missing or the selector is invalid (message
   *     names the field)
   */
  public static List<DiscoveryJob> forPodMonitor(PodMonitor monitor) {
    String namespace = monitor.getMetadata().getNamespace();
    String monitorName = monitor.getMetadata().getName();
    PodMonitorSpec spec = requireSpec(monitor.getSpec());
    ObjectSelection selection = new ByLabels(selection(spec.selector));
    NamespaceSelection namespaces = NamespaceSelection.ofMonitor(spec.namespaceSelector, namespace);
    List<DiscoveryJob> jobs = new ArrayList<>();
    List<PodMetricsEndpoint> endpoints =
        spec.podMetricsEndpoints == null ? List.of() : spec.podMetricsEndpoints;
    for (int i = 0; i < endpoints.size(); i++) {
      PodMetricsEndpoint endpoint = endpoints.get(i);
      if (endpoint == null) {
        continue; // a hole only a schema-less API server stores; the reconciler reports it
      }
      jobs.add(
          new DiscoveryJob(
              podMonitorJobName(namespace, monitorName, i),
              Role.POD,
              namespaces,
              selection,
              PortFilter.ofPodMetricsEndpoint(endpoint),
              !Boolean.FALSE.equals(endpoint.filterRunning),
              attachNode(spec.attachMetadata)));
    }
    return jobs;
  }

  /**
   * Annotation discovery of pods: pod-role targets of pods annotated {@code prometheus.io/scrape:
   * "true"}, one per declared container port, or only {@code podIP:<prometheus.io/port>} when that
   * annotation holds a port number. Pods in phase Succeeded or Failed are left out.
   */
  public static DiscoveryJob annotatedPods(String name, NamespaceSelection namespaces) {
    return new DiscoveryJob(
        name, Role.POD, namespaces, new ByScrapeAnnotation(), PortFilter.ANY, true, false);
  }

  /**
   * Annotation discovery of Services: endpoints-role targets of the Services annotated {@code
   * prometheus.io/scrape: "true"}. Their {@code prometheus.io/*} annotations stay visible as {@code
   * __meta_kubernetes_service_annotation_prometheus_io_*} for the job's relabel rules.
   */
  public static DiscoveryJob annotatedServices(String name, NamespaceSelection namespaces) {
    return new DiscoveryJob(
        name, Role.ENDPOINTS, namespaces, new ByScrapeAnnotation(), PortFilter.ANY, true, false);
  }

  /** Only an API server without Vigil's schema stores a monitor without one. */
  private static <S> S requireSpec(S spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec: missing");
    }
    return spec;
  }

  private static LabelSelection selection(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    try {
      return LabelSelection.of(selector);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.selector." + e.getMessage(), e);
    }
  }

  private static boolean attachNode(AttachMetadata attachMetadata) {
    return attachMetadata != null && Boolean.TRUE.equals(attachMetadata.node);
  }
}
