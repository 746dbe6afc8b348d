package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.AnnotationDiscoverySpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.InProcessReloader;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.TestNetwork;
import dev.vigil.e2e.harness.Workloads;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole metrics path with real processes: a MonitoringStack and monitors on the real API
 * server, Pods, a Service and its EndpointSlice whose addresses are stand-in apps of this test (in
 * a network namespace of its own, {@link TestNetwork}: the API server refuses loopback endpoints,
 * and a test may reach nothing but loopback and that namespace), the operator rendering the shard's
 * configuration and serving its targets over HTTP SD, and the real Prometheus scraping them.
 *
 * <p>Two Prometheus processes run: one fed by the reloader exactly as in a pod (it measures how
 * fast a custom resource change reaches Prometheus), and one on a copy of the configuration whose
 * in-container paths point at this test's files (so its HTTP SD requests carry the stack's token)
 * and whose SD refresh interval is 1s instead of 30s, to keep the test short.
 */
class ScrapePipelineIT {
  static final String STACK_NS = "e2e-scrape-monitoring";
  static final String APP_NS = "e2e-scrape-app";
  static final String CONFIG_SECRET = "scrape-prometheus-0-config";

  static KubernetesClient admin;
  static VigilOperator vigil;
  static int sdPort;
  static String host;

  /** The ports of the applications: api-0, worker-0, worker-1, annotated-0. */
  static final int[] ports = new int[4];

  /**
   * Where the stand-in applications listen: a network namespace of this test when running as root
   * (the API server refuses loopback endpoints, and a test may reach nothing else).
   */
  static TestNetwork network;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(STACK_NS);
    RealApiServer.ensureNamespace(APP_NS);
    network = TestNetwork.open();
    host = network.address(0);
    // Kept beside the other tests' output (target/ is cleaned with the build), not in /tmp.
    Path logs = Files.createDirectories(RealApiServer.REPO.resolve("e2e/target/scrape-apps"));
    for (int i = 0; i < ports.length; i++) {
      // Inside the test's own network namespace every port is free; without root the stand-ins
      // share this machine's ports.
      ports[i] = network.isolated() ? 9100 + i : RealPrometheus.freePort();
      network.metricsServer(
          host,
          ports[i],
          "# TYPE demo_requests_total counter\ndemo_requests_total{port=\"" + ports[i] + "\"} 42\n",
          logs.resolve("app-" + i + ".log"));
    }
    sdPort = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, sdPort, STACK_NS, APP_NS);
  }

  @AfterAll
  static void stop() {
    if (vigil != null) {
      vigil.close();
    }
    if (network != null) {
      network.close();
    }
  }

  /** A Running, Ready pod at {@code ip}, as the kubelet would report it. */
  static void runningPod(String name, String app, int port) {
    runningPod(name, app, port, Map.of());
  }

  static void runningPod(String name, String app, int port, Map<String, String> annotations) {
    runningPod(name, Map.of("app", app), port, annotations);
  }

  static void runningPod(
      String name, Map<String, String> labels, int port, Map<String, String> annotations) {
    Pod pod = Workloads.standInApp(APP_NS, name, labels, port);
    pod.getMetadata().setAnnotations(annotations);
    Workloads.runningPod(admin, pod, host, "10.0.0.1");
  }

  static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("scrape").withNamespace(STACK_NS).build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper.scrapeInterval = "1s";
    stack.getSpec().scraper.scrapeTimeout = "1s";
    stack.getSpec().monitorSelector = new ResourceSelector();
    stack.getSpec().monitorSelector.labelSelector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("team", "e2e")).build();
    stack.getSpec().monitorSelector.namespaceSelector = new LabelSelectorBuilder().build();
    stack.getSpec().scraper.annotationDiscovery = new AnnotationDiscoverySpec();
    stack.getSpec().scraper.annotationDiscovery.enabled = true;
    return stack;
  }

  static ServiceMonitor serviceMonitor() {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder()
            .withName("api")
            .withNamespace(APP_NS)
            .withLabels(Map.of("team", "e2e"))
            .build());
    monitor.setSpec(new ServiceMonitorSpec());
    monitor.getSpec().selector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "api")).build();
    Endpoint endpoint = new Endpoint();
    endpoint.port = "metrics";
    monitor.getSpec().endpoints = List.of(endpoint);
    return monitor;
  }

  static PodMonitor podMonitor() {
    PodMonitor monitor = new PodMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder()
            .withName("workers")
            .withNamespace(APP_NS)
            .withLabels(Map.of("team", "e2e"))
            .build());
    monitor.setSpec(new PodMonitorSpec());
    monitor.getSpec().selector =
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "worker")).build();
    PodMetricsEndpoint endpoint = new PodMetricsEndpoint();
    endpoint.port = "metrics";
    RelabelConfig dropCanaries = new RelabelConfig();
    dropCanaries.sourceLabels = List.of("__meta_kubernetes_pod_label_tier");
    dropCanaries.regex = "canary";
    dropCanaries.action = RelabelConfig.Action.drop;
    endpoint.relabelings = List.of(dropCanaries);
    monitor.getSpec().podMetricsEndpoints = List.of(endpoint);
    return monitor;
  }

  static List<String> upTargets(RealPrometheus prometheus, String job) throws IOException {
    List<String> up = new ArrayList<>();
    for (JsonNode target : prometheus.activeTargets()) {
      if (job.equals(target.path("scrapePool").asText())
          && "up".equals(target.path("health").asText())) {
        up.add(target.path("labels").path("instance").asText());
      }
    }
    up.sort(null);
    return up;
  }

  @Test
  void prometheusScrapesDiscoveredTargetsAndFollowsChangesWithoutRestart(@TempDir Path work)
      throws Exception {
    runningPod("api-0", "api", ports[0]);
    runningPod("worker-0", "worker", ports[1]);
    runningPod("worker-1", "worker", ports[2]);
    // A worker the PodMonitor's relabeling drops: discovered, never served, never scraped.
    runningPod("worker-canary-0", Map.of("app", "worker", "tier", "canary"), ports[2], Map.of());
    runningPod(
        "annotated-0",
        "plain",
        ports[3],
        Map.of("prometheus.io/scrape", "true", "prometheus.io/port", Integer.toString(ports[3])));
    admin
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("api")
                .withNamespace(APP_NS)
                .withLabels(Map.of("app", "api"))
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app", "api"))
                .addNewPort()
                .withName("metrics")
                .withPort(80)
                .withNewTargetPort("metrics")
                .endPort()
                .endSpec()
                .build())
        .create();
    admin
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("api-abc")
                .withNamespace(APP_NS)
                .withLabels(Map.of("kubernetes.io/service-name", "api"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses(host)
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName("api-0")
                .withNamespace(APP_NS)
                .endTargetRef()
                .endEndpoint()
                .addNewPort()
                .withName("metrics")
                .withPort(ports[0])
                .withProtocol("TCP")
                .endPort()
                .build())
        .create();
    admin.resource(stack()).create();
    admin.resource(serviceMonitor()).create();
    admin.resource(podMonitor()).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                RealApiServer.secretText(STACK_NS, CONFIG_SECRET, "prometheus.yml.gz")
                    .filter(c -> c.contains("podMonitor/" + APP_NS + "/workers/0"))
                    .filter(c -> c.contains("serviceMonitor/" + APP_NS + "/api/0"))
                    .isPresent());

    // Prometheus A: fed by the reloader from the config Secret, as in the pod.
    Path podDir = work.resolve("pod");
    Files.createDirectories(podDir);
    Path podConfig = podDir.resolve("prometheus.yml");
    int podPrometheusPort = RealPrometheus.freePort();
    List<String> reloaderFlags =
        List.of(
            "--namespace=" + STACK_NS,
            "--secret=" + CONFIG_SECRET,
            "--key=prometheus.yml.gz",
            "--output=" + podConfig,
            "--reload-url=" + RealPrometheus.reloadUrl(podPrometheusPort));
    try (InProcessReloader reloader =
            InProcessReloader.withOwnServiceAccount(
                STACK_NS, "scrape-reloader", CONFIG_SECRET, List.of());
        RealPrometheus podPrometheus =
            startAfterOnce(reloader, reloaderFlags, podDir, podPrometheusPort);
        RealPrometheus prometheus = startOnRewrittenCopy(work.resolve("local"))) {
      reloader.start(reloaderFlags);
      await().atMost(Duration.ofSeconds(20)).until(reloader::ready);
      long pid = prometheus.pid();

      // Every discovered target is scraped and up, with prometheus-operator's target labels.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(upTargets(prometheus, "podMonitor/" + APP_NS + "/workers/0"))
                    .containsExactlyInAnyOrder(host + ":" + ports[1], host + ":" + ports[2]);
                assertThat(upTargets(prometheus, "serviceMonitor/" + APP_NS + "/api/0"))
                    .containsExactly(host + ":" + ports[0]);
                assertThat(upTargets(prometheus, "vigil/annotations/pods"))
                    .containsExactly(host + ":" + ports[3]);
              });
      JsonNode api =
          prometheus.activeTargets().stream()
              .filter(t -> t.path("scrapePool").asText().startsWith("serviceMonitor/"))
              .findFirst()
              .orElseThrow();
      assertThat(api.path("labels").path("job").asText()).isEqualTo("api");
      assertThat(api.path("labels").path("namespace").asText()).isEqualTo(APP_NS);
      assertThat(api.path("labels").path("service").asText()).isEqualTo("api");
      assertThat(api.path("labels").path("pod").asText()).isEqualTo("api-0");
      assertThat(api.path("labels").path("endpoint").asText()).isEqualTo("metrics");

      // A pod label change moves a target out of the PodMonitor's job; no restart.
      admin
          .pods()
          .inNamespace(APP_NS)
          .withName("worker-1")
          .edit(
              p -> {
                p.getMetadata().getLabels().put("app", "idle");
                return p;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(upTargets(prometheus, "podMonitor/" + APP_NS + "/workers/0"))
                      .containsExactly(host + ":" + ports[1]));
      assertThat(prometheus.pid()).isEqualTo(pid);

      // The monitors report what they found; the stack counts the targets.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                PodMonitor workers =
                    admin.resources(PodMonitor.class).inNamespace(APP_NS).withName("workers").get();
                assertThat(workers.getStatus().targets).isEqualTo(1);
                assertThat(workers.getStatus().condition("Accepted").orElseThrow().getStatus())
                    .isEqualTo("True");
                ServiceMonitor apiMonitor =
                    admin.resources(ServiceMonitor.class).inNamespace(APP_NS).withName("api").get();
                assertThat(apiMonitor.getStatus().condition("Ready").orElseThrow().getReason())
                    .isEqualTo("TargetsFound");
                MonitoringStack stack =
                    admin
                        .resources(MonitoringStack.class)
                        .inNamespace(STACK_NS)
                        .withName("scrape")
                        .get();
                assertThat(stack.getStatus().targets).isEqualTo(3);
                assertThat(stack.getStatus().monitors).isEqualTo(2);
                // What Vigil counts is what Prometheus scrapes, after relabeling.
                assertThat(stack.getStatus().targets).isEqualTo(prometheus.activeTargets().size());
                assertThat(workers.getStatus().condition("Ready").orElseThrow().getMessage())
                    .contains("1 target(s) scraped, of 2 discovered");
              });

      // A custom resource change reaches the pod's Prometheus through Secret and reloader.
      assertThat(podPrometheus.scrapeJobs()).doesNotContain("podMonitor/" + APP_NS + "/idle/0");
      PodMonitor idle = podMonitor();
      idle.getMetadata().setName("idle");
      idle.getSpec().selector.setMatchLabels(Map.of("app", "idle"));
      long changed = System.nanoTime();
      admin.resource(idle).create();
      Optional<Duration> reached =
          podPrometheus.awaitConfig(
              c -> c.contains("podMonitor/" + APP_NS + "/idle/0"), Duration.ofSeconds(10));
      Duration latency = Duration.ofNanos(System.nanoTime() - changed);
      System.out.printf(
          "custom resource change -> Prometheus reports the new job: %d ms%n", latency.toMillis());
      assertThat(reached).as("the new job within 10 s:\n" + podPrometheus.log()).isPresent();
      assertThat(latency).isLessThan(Duration.ofSeconds(10));

      // Everything both Prometheus processes talked to is loopback or this test's network.
      List<String> urls = new ArrayList<>(prometheus.assertTrafficStaysLocal(network));
      assertThat(urls).hasSizeGreaterThanOrEqualTo(3);
      urls.addAll(podPrometheus.assertTrafficStaysLocal(network));
      System.out.printf(
          "Prometheus talked only to 127.0.0.0/8 and %s (%s): %s%n",
          network.range(), network.isolated() ? network.namespace() : "no namespace", urls);
    }
  }

  private static RealPrometheus startAfterOnce(
      InProcessReloader reloader, List<String> flags, Path dir, int port) throws Exception {
    assertThat(reloader.once(flags)).isTrue();
    return RealPrometheus.start(dir.resolve("prometheus.yml"), dir, port);
  }

  /**
   * Prometheus on a copy of the shard's configuration whose in-container paths point at this test's
   * directory (holding the stack's token), refreshing HTTP SD every second.
   */
  private static RealPrometheus startOnRewrittenCopy(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sd-token"));
    Files.writeString(
        dir.resolve("sd-token/token"),
        RealApiServer.secretText(STACK_NS, "scrape-sd-token", "token").orElseThrow());
    String config =
        RealApiServer.secretText(STACK_NS, CONFIG_SECRET, "prometheus.yml.gz")
            .orElseThrow()
            .replace("/etc/prometheus/sd-token/", dir.resolve("sd-token") + "/")
            .replace("refresh_interval: 30s", "refresh_interval: 1s");
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    return RealPrometheus.start(file, dir);
  }
}
