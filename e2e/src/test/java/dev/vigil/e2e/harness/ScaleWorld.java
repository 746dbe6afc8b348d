package dev.vigil.e2e.harness;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The synthetic cluster of the scale harness, as a kubelet and the endpoint controller would leave
 * it: namespaces of Services, each with one EndpointSlice of Running, Ready pods, and the Vigil
 * objects that select them. Deterministic: the same {@link Size} makes the same objects.
 *
 * <p>Pod IPs are in 10.128.0.0/9: they are only data the operator turns into targets; nothing in
 * the harness connects to them (no Prometheus runs).
 */
public final class ScaleWorld {
  public static final String STACK_NAMESPACE = "scale-stacks";
  public static final String LABEL = "vigil-scale";
  public static final int COMPONENTS = 5;
  public static final int METRICS_PORT = 8080;

  /**
   * What to create. Each namespace has {@code servicesPerNamespace} Services in {@link #COMPONENTS}
   * components, {@code podsPerService} pods each, and one ServiceMonitor and one PodMonitor per
   * component (so {@code 2 × COMPONENTS} monitors a namespace).
   */
  public record Size(
      String name,
      int namespaces,
      int servicesPerNamespace,
      int podsPerService,
      int stacks,
      int shards,
      int policies,
      Duration steadyState,
      int podChanges,
      int monitorEdits) {
    /**
     * Issue 21's size: 100,000 pods, 20,000 Services (and EndpointSlices) in 200 namespaces, 2,000
     * monitors (100 targets a job, 200,000 a stack), 3 stacks of 16 shards, a burst of 5,000 edits.
     */
    public static final Size FULL =
        new Size("100k", 200, 100, 5, 3, 16, 200, Duration.ofMinutes(10), 1000, 5000);

    /** Issue 9's size: 10,000 pods, 2,000 Services, 500 monitors, 3 stacks of 4 shards. */
    public static final Size TEN_K =
        new Size("10k", 50, 40, 5, 3, 4, 200, Duration.ofMinutes(10), 1000, 1000);

    public static final Size SMALL =
        new Size("small", 5, 20, 5, 1, 2, 20, Duration.ofSeconds(30), 50, 100);

    /**
     * {@code -Dvigil.scale=full} (or {@code 100k}) for issue 21's figures, {@code 10k} for issue
     * 9's; the small size otherwise. {@code -Dvigil.scale.steadyState=PT2M} shortens the steady
     * state (a run to find problems, not for the table).
     */
    public static Size fromSystemProperty() {
      Size size =
          switch (System.getProperty("vigil.scale", "small")) {
            case "full", "100k" -> FULL;
            case "10k" -> TEN_K;
            default -> SMALL;
          };
      String steady = System.getProperty("vigil.scale.steadyState", "");
      return steady.isBlank() ? size : size.withSteadyState(Duration.parse(steady));
    }

    public Size withSteadyState(Duration steadyState) {
      return new Size(
          name,
          namespaces,
          servicesPerNamespace,
          podsPerService,
          stacks,
          shards,
          policies,
          steadyState,
          podChanges,
          monitorEdits);
    }

    /** Whether this is issue 21's size (whatever its steady state). */
    public boolean full() {
      return name.equals(FULL.name);
    }

    /** Whether this is one of the large sizes, which get longer deadlines. */
    public boolean large() {
      return this != SMALL && !name.equals(SMALL.name);
    }

    public int services() {
      return namespaces * servicesPerNamespace;
    }

    public int pods() {
      return services() * podsPerService;
    }

    public int monitors() {
      return namespaces * 2 * COMPONENTS;
    }

    /** Every job (one per monitor endpoint) has the pods of its component's Services. */
    public int targetsPerJob() {
      return servicesPerNamespace / COMPONENTS * podsPerService;
    }
  }

  private final Size size;

  public ScaleWorld(Size size) {
    this.size = size;
  }

  public static String namespace(int n) {
    return String.format("scale-%03d", n);
  }

  public static String stack(int s) {
    return "stack-" + s;
  }

  public static String serviceMonitor(int component) {
    return "services-c" + component;
  }

  public static String podMonitor(int component) {
    return "pods-c" + component;
  }

  /** Job names of every monitor, as in a shard's prometheus.yml. */
  public List<String> jobs() {
    List<String> jobs = new ArrayList<>();
    for (int n = 0; n < size.namespaces(); n++) {
      for (int c = 0; c < COMPONENTS; c++) {
        jobs.add("serviceMonitor/" + namespace(n) + "/" + serviceMonitor(c) + "/0");
        jobs.add("podMonitor/" + namespace(n) + "/" + podMonitor(c) + "/0");
      }
    }
    return jobs;
  }

  static String service(int s) {
    return String.format("svc-%03d", s);
  }

  public static String pod(int s, int p) {
    return service(s) + "-" + p;
  }

  /** A distinct IP per pod of the cluster, in 10.128.0.0/9. */
  public String podIp(int n, int s, int p) {
    int index = (n * size.servicesPerNamespace() + s) * size.podsPerService() + p;
    return "10." + (128 + index / 65536) + "." + (index / 256 % 256) + "." + (index % 256);
  }

  /**
   * Creates everything but the stacks, on {@code threads} threads (each object is one request, each
   * pod two: create and status).
   */
  public void create(KubernetesClient client, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> pending = new ArrayList<>();
      pending.add(pool.submit(() -> namespace(client, STACK_NAMESPACE)));
      for (int n = 0; n < size.namespaces(); n++) {
        int ns = n;
        pending.add(pool.submit(() -> namespace(client, namespace(ns))));
      }
      await(pending);
      for (int n = 0; n < size.namespaces(); n++) {
        for (int s = 0; s < size.servicesPerNamespace(); s++) {
          int ns = n;
          int svc = s;
          pending.add(pool.submit(() -> serviceWithPods(client, ns, svc)));
        }
        for (int c = 0; c < COMPONENTS; c++) {
          int ns = n;
          int component = c;
          pending.add(pool.submit(() -> monitors(client, ns, component)));
        }
      }
      for (int p = 0; p < size.policies(); p++) {
        int policy = p;
        pending.add(pool.submit(() -> client.resource(alertPolicy(policy)).create()));
      }
      await(pending);
    } finally {
      pool.shutdownNow();
    }
  }

  public void createStacks(KubernetesClient client) {
    for (int s = 0; s < size.stacks(); s++) {
      client.resource(stack(s, size.shards())).create();
    }
  }

  private static void await(List<Future<?>> pending) throws Exception {
    for (Future<?> future : pending) {
      future.get();
    }
    pending.clear();
  }

  private static void namespace(KubernetesClient client, String name) {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of(LABEL, "true"))
                .endMetadata()
                .build())
        .create();
  }

  private void serviceWithPods(KubernetesClient client, int n, int s) {
    String ns = namespace(n);
    String component = "c" + (s % COMPONENTS);
    Map<String, String> labels =
        Map.of(
            "app.kubernetes.io/name",
            service(s),
            "app.kubernetes.io/part-of",
            "scale",
            "component",
            component);
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(service(s))
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app.kubernetes.io/name", service(s)))
                .addNewPort()
                .withName("metrics")
                .withPort(METRICS_PORT)
                .withNewTargetPort("metrics")
                .endPort()
                .endSpec()
                .build())
        .create();
    EndpointSliceBuilder slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(service(s) + "-abcde")
            .withNamespace(ns)
            .withLabels(Map.of("kubernetes.io/service-name", service(s)))
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("metrics")
            .withPort(METRICS_PORT)
            .withProtocol("TCP")
            .endPort();
    for (int p = 0; p < size.podsPerService(); p++) {
      Pod created = client.resource(pod(ns, s, p, labels)).create();
      created.setStatus(
          new PodStatusBuilder()
              .withPhase("Running")
              .withPodIP(podIp(n, s, p))
              .addNewPodIP(podIp(n, s, p))
              .withHostIP("10.127.0." + (p + 1))
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .endCondition()
              .addNewCondition()
              .withType("ContainersReady")
              .withStatus("True")
              .endCondition()
              .build());
      client.resource(created).updateStatus();
      slice
          .addNewEndpoint()
          .withAddresses(podIp(n, s, p))
          .withNewConditions()
          .withReady(true)
          .endConditions()
          .withNodeName("node-" + p)
          .withNewTargetRef()
          .withKind("Pod")
          .withName(pod(s, p))
          .withNamespace(ns)
          .endTargetRef()
          .endEndpoint();
    }
    client.resource(slice.build()).create();
  }

  private static Pod pod(String ns, int s, int p, Map<String, String> serviceLabels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(pod(s, p))
        .withNamespace(ns)
        .withLabels(serviceLabels)
        .addToLabels("pod-template-hash", "5d8f7c9b4")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-" + p)
        .addNewContainer()
        .withName("app")
        .withImage("example/app:1.0")
        .addNewPort()
        .withName("metrics")
        .withContainerPort(METRICS_PORT)
        .endPort()
        .endContainer()
        .endSpec()
        .build();
  }

  private static void monitors(KubernetesClient client, int n, int c) {
    String ns = namespace(n);
    ServiceMonitor services = new ServiceMonitor();
    services.setMetadata(
        new ObjectMetaBuilder()
            .withName(serviceMonitor(c))
            .withNamespace(ns)
            .withLabels(Map.of(LABEL, "true"))
            .build());
    services.setSpec(new ServiceMonitorSpec());
    services.getSpec().selector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("component", "c" + c)).build();
    Endpoint endpoint = new Endpoint();
    endpoint.port = "metrics";
    services.getSpec().endpoints = List.of(endpoint);
    client.resource(services).create();

    PodMonitor pods = new PodMonitor();
    pods.setMetadata(
        new ObjectMetaBuilder()
            .withName(podMonitor(c))
            .withNamespace(ns)
            .withLabels(Map.of(LABEL, "true"))
            .build());
    pods.setSpec(new PodMonitorSpec());
    pods.getSpec().selector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("component", "c" + c)).build();
    PodMetricsEndpoint podEndpoint = new PodMetricsEndpoint();
    podEndpoint.port = "metrics";
    pods.getSpec().podMetricsEndpoints = List.of(podEndpoint);
    client.resource(pods).create();
  }

  private AlertPolicy alertPolicy(int p) {
    String ns = namespace(p % size.namespaces());
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(
        new ObjectMetaBuilder()
            .withName("policy-" + p)
            .withNamespace(ns)
            .withLabels(Map.of(LABEL, "true"))
            .build());
    policy.setSpec(new AlertPolicySpec());
    RuleGroup group = new RuleGroup();
    group.name = "scale-" + p;
    String selector = "namespace=\"" + ns + "\",component=\"c" + (p % COMPONENTS) + "\"";
    Rule record = new Rule();
    record.record = "component:http_requests:rate5m";
    record.expr = new IntOrString("sum by (job) (rate(http_requests_total{" + selector + "}[5m]))");
    Rule errors = new Rule();
    errors.alert = "HighErrorRatio" + p;
    errors.expr =
        new IntOrString(
            "sum(rate(http_requests_total{"
                + selector
                + ",code=~\"5..\"}[5m])) / "
                + "sum(rate(http_requests_total{"
                + selector
                + "}[5m])) > 0.05");
    errors.forDuration = "10m";
    errors.labels = Map.of("severity", "page");
    Rule down = new Rule();
    down.alert = "TargetDown" + p;
    down.expr = new IntOrString("up{" + selector + "} == 0");
    down.forDuration = "5m";
    down.labels = Map.of("severity", "warning");
    group.rules = List.of(record, errors, down);
    policy.getSpec().groups = List.of(group);
    return policy;
  }

  static HasMetadata stack(int s, int shards) {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new ObjectMetaBuilder().withName(stack(s)).withNamespace(STACK_NAMESPACE).build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper.shards = shards;
    stack.getSpec().monitorSelector = new ResourceSelector();
    stack.getSpec().monitorSelector.labelSelector =
        new LabelSelectorBuilder().withMatchLabels(Map.of(LABEL, "true")).build();
    stack.getSpec().monitorSelector.namespaceSelector = new LabelSelectorBuilder().build();
    stack.getSpec().policySelector = new ResourceSelector();
    stack.getSpec().policySelector.namespaceSelector = new LabelSelectorBuilder().build();
    return stack;
  }
}
