package dev.vigil.benchmarks;

import dev.vigil.api.v1alpha1.common.AttachMetadata;
import dev.vigil.api.v1alpha1.common.NamespaceSelector;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.reconcilers.discovery.ClusterSnapshot;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.discovery.TrimmedObjects;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic cluster the size the issue names: 50 namespaces, 100 nodes, 2,000 Services (40 a
 * namespace) each with one EndpointSlice of 5 endpoints, 10,000 Pods behind them, and 500 monitors
 * (5 ServiceMonitors and 5 PodMonitors a namespace) whose selectors look like real ones: most pick
 * a few Services or Pods of their own namespace, some span a few named namespaces, a handful span
 * the cluster, and one ({@link #ALL_PODS_JOB}) scrapes the metrics port of every pod, 10,000
 * targets.
 *
 * <p>Objects are built whole with the fabric8 builders, as the API server sends them (probes,
 * resources, env, managed conditions), so trimming has real work to do.
 */
final class DiscoveryFixture {
  static final int NAMESPACES = 50;
  static final int NODES = 100;
  static final int SERVICES_PER_NAMESPACE = 40;
  static final int PODS_PER_SERVICE = 5;
  static final int MONITORS_PER_KIND_PER_NAMESPACE = 5;

  /** The cluster-wide PodMonitor endpoint that selects every pod's metrics port. */
  static final String ALL_PODS_JOB = DiscoveryJob.podMonitorJobName("team-00", "pods-4", 0);

  private static final String[] TIERS = {"frontend", "backend", "data"};
  private static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};

  final List<Namespace> namespaces = new ArrayList<>();
  final List<Node> nodes = new ArrayList<>();
  final List<Service> services = new ArrayList<>();
  final List<EndpointSlice> endpointSlices = new ArrayList<>();
  final List<Pod> pods = new ArrayList<>();
  final List<ServiceMonitor> serviceMonitors = new ArrayList<>();
  final List<PodMonitor> podMonitors = new ArrayList<>();
  final List<DiscoveryJob> jobs = new ArrayList<>();

  DiscoveryFixture() {
    for (int n = 0; n < NODES; n++) {
      nodes.add(node(n));
    }
    for (int ns = 0; ns < NAMESPACES; ns++) {
      namespaces.add(namespace(ns));
      for (int s = 0; s < SERVICES_PER_NAMESPACE; s++) {
        List<Pod> backing = new ArrayList<>();
        for (int k = 0; k < PODS_PER_SERVICE; k++) {
          backing.add(pod(ns, s, k));
        }
        pods.addAll(backing);
        services.add(service(ns, s));
        endpointSlices.add(endpointSlice(ns, s, backing));
      }
      for (int j = 0; j < MONITORS_PER_KIND_PER_NAMESPACE; j++) {
        serviceMonitors.add(serviceMonitor(ns, j));
        podMonitors.add(podMonitor(ns, j));
      }
    }
    serviceMonitors.forEach(m -> jobs.addAll(DiscoveryJob.forServiceMonitor(m)));
    podMonitors.forEach(m -> jobs.addAll(DiscoveryJob.forPodMonitor(m)));
  }

  /** Every object discovery reads, in the order informers would list them. */
  List<HasMetadata> objects() {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(namespaces);
    all.addAll(nodes);
    all.addAll(services);
    all.addAll(endpointSlices);
    all.addAll(pods);
    return all;
  }

  /**
   * A snapshot holding a trimmed copy of every object, as the operator's event handlers fill it.
   */
  InMemoryClusterSnapshot trimmedSnapshot() {
    InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
    for (HasMetadata object : objects()) {
      snapshot.put(trim(object));
    }
    return snapshot;
  }

  /**
   * What the informers' own stores hold beside the snapshot: another trimmed copy of every object,
   * keyed {@code namespace/name} in a concurrent map as fabric8's {@code BasicItemStore} keeps
   * them.
   */
  Map<String, HasMetadata> informerStores() {
    Map<String, HasMetadata> stores = new ConcurrentHashMap<>();
    for (HasMetadata object : objects()) {
      String ns = object.getMetadata().getNamespace();
      String key =
          object.getKind() + ":" + (ns == null ? "" : ns + "/") + object.getMetadata().getName();
      stores.put(key, trim(object));
    }
    return stores;
  }

  static HasMetadata trim(HasMetadata object) {
    if (object instanceof Namespace namespace) {
      return TrimmedObjects.namespace(namespace);
    } else if (object instanceof Node node) {
      return TrimmedObjects.node(node);
    } else if (object instanceof Service service) {
      return TrimmedObjects.service(service);
    } else if (object instanceof EndpointSlice slice) {
      return TrimmedObjects.endpointSlice(slice);
    } else if (object instanceof Pod pod) {
      return TrimmedObjects.pod(pod);
    }
    throw new IllegalArgumentException(object.getKind());
  }

  // ------------------------------------------------------------------ objects

  static String namespaceName(int ns) {
    return String.format(Locale.ROOT, "team-%02d", ns);
  }

  static String serviceName(int s) {
    return String.format(Locale.ROOT, "svc-%02d", s);
  }

  static String podName(int ns, int s, int k) {
    return serviceName(s) + "-" + templateHash(ns, s) + "-" + suffix(ns * 1000 + s * 10 + k, 5);
  }

  static String podIp(int ns, int s, int k) {
    return "10." + (ns + 1) + "." + s + "." + (k + 10);
  }

  private static String nodeName(int n) {
    return String.format(Locale.ROOT, "node-%03d", n);
  }

  private static Namespace namespace(int ns) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(namespaceName(ns))
        .withUid(uid(ns, 0, 0, 1))
        .withResourceVersion(Integer.toString(1000 + ns))
        .addToLabels("kubernetes.io/metadata.name", namespaceName(ns))
        .addToLabels("team", namespaceName(ns))
        .addToLabels("environment", ns % 2 == 0 ? "prod" : "staging")
        .endMetadata()
        .withNewSpec()
        .withFinalizers("kubernetes")
        .endSpec()
        .withNewStatus()
        .withPhase("Active")
        .endStatus()
        .build();
  }

  private static Node node(int n) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(nodeName(n))
        .withUid(uid(n, 0, 0, 2))
        .withResourceVersion(Integer.toString(5000 + n))
        .addToLabels("kubernetes.io/hostname", nodeName(n))
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToLabels("node.kubernetes.io/instance-type", "m6i.2xlarge")
        .addToLabels("topology.kubernetes.io/zone", ZONES[n % 3])
        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
        .addToAnnotations("volumes.kubernetes.io/controller-managed-attach-detach", "true")
        .endMetadata()
        .withNewSpec()
        .withPodCIDR("10." + (100 + n / 250) + "." + (n % 250) + ".0/24")
        .withProviderID("aws:///eu-west-1a/i-0" + suffix(n, 16))
        .endSpec()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(hostIp(n))
        .endAddress()
        .addToCapacity("cpu", new Quantity("8"))
        .addToCapacity("memory", new Quantity("32Gi"))
        .addToCapacity("pods", new Quantity("110"))
        .withNewNodeInfo()
        .withKubeletVersion("v1.35.4")
        .withContainerRuntimeVersion("containerd://2.1.4")
        .withOsImage("Ubuntu 24.04 LTS")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  private static Map<String, String> appLabels(int ns, int s) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", serviceName(s));
    labels.put("app.kubernetes.io/part-of", namespaceName(ns));
    labels.put("app.kubernetes.io/version", "1." + (s % 4) + ".0");
    labels.put("tier", TIERS[s % 3]);
    labels.put("component", "c-" + (s % 8));
    return labels;
  }

  private static Service service(int ns, int s) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(serviceName(s))
        .withNamespace(namespaceName(ns))
        .withUid(uid(ns, s, 0, 3))
        .withResourceVersion(Integer.toString(10_000 + ns * 100 + s))
        .withLabels(appLabels(ns, s))
        .addToAnnotations("meta.helm.sh/release-name", namespaceName(ns))
        .addToAnnotations("meta.helm.sh/release-namespace", namespaceName(ns))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP("10.96." + ns + "." + (s + 10))
        .withClusterIPs("10.96." + ns + "." + (s + 10))
        .withIpFamilies("IPv4")
        .withIpFamilyPolicy("SingleStack")
        .withSessionAffinity("None")
        .addToSelector("app.kubernetes.io/name", serviceName(s))
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("metrics")
        .withPort(9090)
        .withTargetPort(new IntOrString("metrics"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  private static Pod pod(int ns, int s, int k) {
    int node = (ns * SERVICES_PER_NAMESPACE * PODS_PER_SERVICE + s * PODS_PER_SERVICE + k) % NODES;
    String image = "registry.example.com/" + namespaceName(ns) + "/" + serviceName(s) + ":1.4.2";
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName(ns, s, k))
            .withNamespace(namespaceName(ns))
            .withUid(uid(ns, s, k, 4))
            .withResourceVersion(Integer.toString(100_000 + ns * 1000 + s * 10 + k))
            .withGenerateName(serviceName(s) + "-" + templateHash(ns, s) + "-")
            .withLabels(appLabels(ns, s))
            .addToLabels("pod-template-hash", templateHash(ns, s))
            .addToAnnotations("kubectl.kubernetes.io/default-container", "app")
            .addToAnnotations("checksum/config", suffix(ns * 100 + s, 40))
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withName(serviceName(s) + "-" + templateHash(ns, s))
            .withUid(uid(ns, s, 0, 5))
            .withController(true)
            .withBlockOwnerDeletion(true)
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodeName(node))
            .withServiceAccountName(serviceName(s))
            .withRestartPolicy("Always")
            .withTerminationGracePeriodSeconds(30L)
            .withDnsPolicy("ClusterFirst")
            .addToContainers(
                new ContainerBuilder()
                    .withName("app")
                    .withImage(image)
                    .withImagePullPolicy("IfNotPresent")
                    .withArgs("--config=/etc/app/config.yaml", "--log-level=info")
                    .addNewEnv()
                    .withName("POD_NAME")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.name")
                    .endFieldRef()
                    .endValueFrom()
                    .endEnv()
                    .addNewEnv()
                    .withName("GOMAXPROCS")
                    .withValue("2")
                    .endEnv()
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(8080)
                    .withProtocol("TCP")
                    .endPort()
                    .addNewPort()
                    .withName("metrics")
                    .withContainerPort(9090)
                    .withProtocol("TCP")
                    .endPort()
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("100m"))
                    .addToRequests("memory", new Quantity("128Mi"))
                    .addToLimits("memory", new Quantity("256Mi"))
                    .endResources()
                    .withNewReadinessProbe()
                    .withNewHttpGet()
                    .withPath("/ready")
                    .withPort(new IntOrString("http"))
                    .endHttpGet()
                    .withPeriodSeconds(10)
                    .endReadinessProbe()
                    .addNewVolumeMount()
                    .withName("config")
                    .withMountPath("/etc/app")
                    .withReadOnly(true)
                    .endVolumeMount()
                    .build())
            .addNewVolume()
            .withName("config")
            .withNewConfigMap()
            .withName(serviceName(s) + "-config")
            .endConfigMap()
            .endVolume()
            .endSpec();
    if (s % 3 == 0) {
      // Frontends run a proxy sidecar with a metrics port of its own.
      pod.editSpec()
          .addToContainers(
              new ContainerBuilder()
                  .withName("envoy")
                  .withImage("docker.io/envoyproxy/envoy:v1.34.1")
                  .addNewPort()
                  .withName("envoy-prom")
                  .withContainerPort(15090)
                  .withProtocol("TCP")
                  .endPort()
                  .build())
          .endSpec();
    }
    pod.withNewStatus()
        .withPhase("Running")
        .withPodIP(podIp(ns, s, k))
        .addNewPodIP(podIp(ns, s, k))
        .withHostIP(hostIp(node))
        .withQosClass("Burstable")
        .withStartTime("2026-11-20T08:00:00Z")
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("True")
        .withLastTransitionTime("2026-11-20T08:00:00Z")
        .endCondition()
        .addNewCondition()
        .withType("Initialized")
        .withStatus("True")
        .withLastTransitionTime("2026-11-20T08:00:01Z")
        .endCondition()
        .addNewCondition()
        .withType("ContainersReady")
        .withStatus("True")
        .withLastTransitionTime("2026-11-20T08:00:09Z")
        .endCondition()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime("2026-11-20T08:00:09Z")
        .endCondition()
        .addNewContainerStatus()
        .withName("app")
        .withImage(image)
        .withImageID(image + "@sha256:" + suffix(ns * 100 + s, 64))
        .withContainerID("containerd://" + suffix(ns * 10_000 + s * 10 + k, 64))
        .withReady(true)
        .withStarted(true)
        .withRestartCount(0)
        .withNewState()
        .withNewRunning("2026-11-20T08:00:02Z")
        .endState()
        .endContainerStatus()
        .endStatus();
    if (s % 3 == 0) {
      pod.editStatus()
          .addNewContainerStatus()
          .withName("envoy")
          .withContainerID("containerd://" + suffix(ns * 10_000 + s * 10 + k + 7, 64))
          .withReady(true)
          .endContainerStatus()
          .endStatus();
    }
    return pod.build();
  }

  private static EndpointSlice endpointSlice(int ns, int s, List<Pod> backing) {
    EndpointSliceBuilder slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(serviceName(s) + "-" + suffix(ns * 100 + s, 5))
            .withNamespace(namespaceName(ns))
            .withUid(uid(ns, s, 0, 6))
            .withResourceVersion(Integer.toString(200_000 + ns * 100 + s))
            .withGenerateName(serviceName(s) + "-")
            .withLabels(appLabels(ns, s))
            .addToLabels(ClusterSnapshot.SERVICE_NAME_LABEL, serviceName(s))
            .addToLabels(
                "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
            .addToAnnotations(
                "endpoints.kubernetes.io/last-change-trigger-time", "2026-11-20T08:00:09Z")
            .addNewOwnerReference()
            .withApiVersion("v1")
            .withKind("Service")
            .withName(serviceName(s))
            .withUid(uid(ns, s, 0, 3))
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withPort(8080)
            .withProtocol("TCP")
            .endPort()
            .addNewPort()
            .withName("metrics")
            .withPort(9090)
            .withProtocol("TCP")
            .endPort();
    for (Pod pod : backing) {
      slice
          .addNewEndpoint()
          .withAddresses(pod.getStatus().getPodIP())
          .withNewConditions()
          .withReady(true)
          .withServing(true)
          .withTerminating(false)
          .endConditions()
          .withNodeName(pod.getSpec().getNodeName())
          .withZone(ZONES[Integer.parseInt(pod.getSpec().getNodeName().substring(5)) % 3])
          .withNewTargetRef()
          .withKind("Pod")
          .withNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withUid(pod.getMetadata().getUid())
          .endTargetRef()
          .endEndpoint();
    }
    return slice.build();
  }

  // ----------------------------------------------------------------- monitors

  /**
   * ServiceMonitor {@code services-j} of namespace {@code ns}: the Services of one component (5 of
   * the namespace's 40) on the metrics port; {@code services-0} also scrapes the http port, {@code
   * services-2} uses the EndpointSlice role, {@code services-3} of the first ten namespaces spans
   * three named namespaces, {@code services-4} of the first five spans the cluster.
   */
  private static ServiceMonitor serviceMonitor(int ns, int j) {
    ServiceMonitorSpec spec = new ServiceMonitorSpec();
    spec.selector = new LabelSelectorBuilder().addToMatchLabels("component", "c-" + j).build();
    Endpoint metrics = new Endpoint();
    metrics.port = "metrics";
    spec.endpoints = new ArrayList<>(List.of(metrics));
    if (j == 0) {
      Endpoint http = new Endpoint();
      http.targetPort = new IntOrString("http");
      spec.endpoints.add(http);
    } else if (j == 2) {
      spec.serviceDiscoveryRole = ServiceMonitorSpec.ServiceDiscoveryRole.EndpointSlice;
    } else if (j == 3 && ns < 10) {
      spec.namespaceSelector = new NamespaceSelector();
      spec.namespaceSelector.matchNames =
          List.of(namespaceName(ns), namespaceName(ns + 1), namespaceName(ns + 2));
      spec.selector = requirements(List.of("tier", "In", "backend", "data"));
    } else if (j == 4 && ns < 5) {
      spec.namespaceSelector = new NamespaceSelector();
      spec.namespaceSelector.any = true;
      spec.selector =
          requirements(
              List.of("component", "In", "c-" + (ns % 8)), List.of("tier", "NotIn", "data"));
    }
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespaceName(ns)).withName("services-" + j).build());
    monitor.setSpec(spec);
    return monitor;
  }

  /**
   * PodMonitor {@code pods-j} of namespace {@code ns}: the pods of one component on the metrics
   * port (by name, by number, or by targetPort); {@code pods-4} of the first five namespaces spans
   * the cluster, and {@code team-00/pods-4} selects every pod ({@link #ALL_PODS_JOB}).
   */
  private static PodMonitor podMonitor(int ns, int j) {
    PodMonitorSpec spec = new PodMonitorSpec();
    spec.selector =
        requirements(List.of("component", "In", "c-" + ((j + 3) % 8)), List.of("tier", "Exists"));
    PodMetricsEndpoint endpoint = new PodMetricsEndpoint();
    if (j == 1) {
      endpoint.portNumber = 9090;
    } else if (j == 2) {
      endpoint.targetPort = new IntOrString("metrics");
    } else {
      endpoint.port = "metrics";
    }
    spec.podMetricsEndpoints = List.of(endpoint);
    if (j == 4 && ns == 0) {
      spec.namespaceSelector = new NamespaceSelector();
      spec.namespaceSelector.any = true;
      spec.selector = requirements(List.of("app.kubernetes.io/name", "Exists"));
    } else if (j == 4 && ns < 5) {
      spec.namespaceSelector = new NamespaceSelector();
      spec.namespaceSelector.any = true;
      spec.selector =
          new LabelSelectorBuilder()
              .addToMatchLabels("tier", "frontend")
              .addToMatchLabels("app.kubernetes.io/version", "1." + ns % 4 + ".0")
              .build();
      spec.attachMetadata = new AttachMetadata();
      spec.attachMetadata.node = true;
    }
    PodMonitor monitor = new PodMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespaceName(ns)).withName("pods-" + j).build());
    monitor.setSpec(spec);
    return monitor;
  }

  /** {@code matchExpressions}, each given as key, operator, values…. */
  @SafeVarargs
  private static LabelSelector requirements(List<String>... expressions) {
    LabelSelectorBuilder selector = new LabelSelectorBuilder();
    for (List<String> e : expressions) {
      selector
          .addNewMatchExpression()
          .withKey(e.get(0))
          .withOperator(e.get(1))
          .withValues(e.subList(2, e.size()))
          .endMatchExpression();
    }
    return selector.build();
  }

  // ---------------------------------------------------------------- identities

  private static String hostIp(int node) {
    return "192.168." + (node / 250) + "." + (node % 250 + 1);
  }

  private static String templateHash(int ns, int s) {
    return suffix(ns * 100 + s + 17, 10);
  }

  private static String uid(int a, int b, int c, int kind) {
    long high = (long) kind << 40 | (long) a << 24 | (long) b << 8 | c;
    return String.format(
        Locale.ROOT, "%08x-%04x-4%03x-8%03x-%012x", high >>> 16, high & 0xffff, a, b, high);
  }

  /** {@code length} lowercase alphanumerics derived from {@code seed}, as Kubernetes suffixes. */
  static String suffix(long seed, int length) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder out = new StringBuilder(length);
    long x = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    for (int i = 0; i < length; i++) {
      x ^= x >>> 29;
      x *= 0xBF58476D1CE4E5B9L;
      x ^= x >>> 32;
      out.append(alphabet.charAt((int) Long.remainderUnsigned(x, alphabet.length())));
    }
    return out.toString();
  }
}
