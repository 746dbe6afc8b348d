package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.InProcessReloader;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.TestNetwork;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster metrics a MonitoringStack deploys, run for real: a stack with {@code
 * kubeStateMetrics} and {@code nodeAgent} on the real API server, the operator (in process)
 * rendering its kube-state-metrics Deployment, ServiceAccount and RBAC, its node-exporter DaemonSet
 * and the shard's configuration; then the real kube-state-metrics (built by e2e/tools) out of
 * cluster with exactly the Deployment's arguments, authenticated as the ServiceAccount Vigil made
 * (a token of it, so only the RBAC Vigil rendered applies: a resource it lists without a rule would
 * be a 403 and a missing family), the real node_exporter with the DaemonSet's arguments, and the
 * real Prometheus on the shard's configuration scraping both through Vigil's own jobs ({@code
 * vigil/kube-state-metrics}, {@code vigil/node-exporter}) and Vigil's HTTP service discovery.
 *
 * <p>Then every panel query of every dashboard Vigil ships ({@code
 * reconcilers/src/main/resources/dashboards/}) runs against that Prometheus, with its template
 * variables resolved by their own {@code label_values()} queries, and must return data. The span
 * panels of the RED dashboard (ids 201–204) are left to {@link SpanMetricsIT}, which runs them on
 * real span metrics with exact values; the rest of the RED dashboard reads a small HTTP app of this
 * test scraped through a PodMonitor, and the operator-health dashboard reads the operator's own
 * {@code /metrics} through the Helm chart's ServiceMonitor shape, the failures and retries of a
 * second stack whose kube-state-metrics Deployment a ValidatingAdmissionPolicy refuses, and the
 * real config reloader (in process, on the shard's Secret) through the stack's {@code
 * vigil/config-reloaders} job, its {@code /metrics} answered at the shard pod's address.
 *
 * <p>What is changed from what the operator renders, and why: kube-state-metrics gets {@code
 * --kubeconfig} (out of cluster), {@code --host} (this machine's end of the test's network, {@link
 * TestNetwork#hostAddress()}, which its Pod reports as pod IP since the API server refuses loopback
 * pod IPs) and its telemetry listener on a free loopback port; node_exporter listens on that same
 * address instead of {@code :9100}'s every interface, and each host path of the DaemonSet's volumes
 * is mapped back (its mount path in an argument becomes the host path: {@code /host/proc} → {@code
 * /proc}), as the kubelet's mounts would make it. The Pods are made from the workloads' templates
 * with the status a kubelet would report; the Node and the workloads' statuses are written as a
 * kubelet and the controller manager would, since the test API server runs neither.
 */
class ClusterMetricsIT {
  static final String NS = "e2e-cluster-metrics";
  static final String STACK = "cluster";
  static final String NODE = "e2e-cluster-metrics-node";
  static final String CONFIG_SECRET = STACK + "-prometheus-0-config";
  static final String KSM = STACK + "-kube-state-metrics";
  static final String NODE_EXPORTER = STACK + "-node-exporter";
  static final String APP = "shop-api";

  static final ObjectMapper JSON = new ObjectMapper();
  static final Path DASHBOARDS =
      RealApiServer.REPO.resolve("reconcilers/src/main/resources/dashboards");

  static KubernetesClient admin;
  static VigilOperator vigil;
  static TestNetwork network;
  static int sdPort;
  static final List<Process> processes = new ArrayList<>();
  static HttpServer app;
  static HttpServer reloaderEndpoint;

  @BeforeAll
  static void start() throws Exception {
    assumeThat(System.getenv("VIGIL_KUBE_STATE_METRICS"))
        .as("VIGIL_KUBE_STATE_METRICS: run `bash e2e/tools/install.sh ksm` and source env.sh")
        .isNotBlank();
    assumeThat(System.getenv("VIGIL_NODE_EXPORTER"))
        .as("VIGIL_NODE_EXPORTER: run `bash e2e/tools/install.sh node-exporter` and source env.sh")
        .isNotBlank();
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    network = TestNetwork.open();
    sdPort = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, sdPort, NS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process process : processes) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (app != null) {
      app.stop(0);
    }
    if (reloaderEndpoint != null) {
      reloaderEndpoint.stop(0);
    }
    if (vigil != null) {
      vigil.close();
    }
    if (network != null) {
      network.close();
    }
    if (admin != null) {
      admin.nodes().withName(NODE).delete();
      admin
          .admissionRegistration()
          .v1()
          .validatingAdmissionPolicyBindings()
          .withName(NS + "-deny")
          .delete();
      admin
          .admissionRegistration()
          .v1()
          .validatingAdmissionPolicies()
          .withName(NS + "-deny")
          .delete();
    }
  }

  @Test
  void kubeStateMetricsAndNodeExporterRunAsRenderedAndEveryDashboardAnswers(@TempDir Path dir)
      throws Exception {
    long began = System.nanoTime();
    String podIp = network.hostAddress();
    node(podIp);
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper: {scrapeInterval: 1s, scrapeTimeout: 1s}
          monitorSelector:
            labelSelector: {matchLabels: {team: e2e}}
          kubeStateMetrics: {enabled: true}
          nodeAgent: {enabled: true}
        """
            .formatted(STACK, NS));

    // The app of this test (below) and the operator's own /metrics, each with its monitor.
    int appPort = RealPrometheus.freePort();
    RealApiServer.apply(admin, appObjects(appPort));
    RealApiServer.apply(admin, operatorObjects(podIp));
    // A second stack whose kube-state-metrics an admission policy refuses: its reconciliations
    // fail and are retried, as they would behind a policy engine, so the operator-health
    // dashboard's failure and retry panels have something to show.
    RealApiServer.apply(admin, admissionPolicy());
    await("the admission policy in force")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(ClusterMetricsIT::blockedDeploymentRefused);
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: blocked, namespace: %s}
        spec:
          kubeStateMetrics: {enabled: true}
        """
            .formatted(NS));

    // What the operator renders on the API server.
    Deployment ksmDeployment =
        await("kube-state-metrics' Deployment")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.apps().deployments().inNamespace(NS).withName(KSM).get(),
                d -> d != null);
    DaemonSet nodeExporterDaemonSet =
        await("node-exporter's DaemonSet")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.apps().daemonSets().inNamespace(NS).withName(NODE_EXPORTER).get(),
                d -> d != null);
    assertThat(ksmDeployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(KSM);
    // The images Vigil deploys are the releases this test runs.
    assertThat(ksmDeployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(
            "registry.k8s.io/kube-state-metrics/kube-state-metrics:"
                + version("VIGIL_KUBE_STATE_METRICS", "version"));
    assertThat(
            nodeExporterDaemonSet
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo(
            "quay.io/prometheus/node-exporter:v" + version("VIGIL_NODE_EXPORTER", "--version"));
    await("kube-state-metrics' ServiceAccount and ClusterRoleBinding")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin.serviceAccounts().inNamespace(NS).withName(KSM).get() != null
                    && ksmBinding().isPresent());
    String prometheusConfig =
        await("the shard's configuration with the stack's and the monitors' jobs")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> RealApiServer.secretText(NS, CONFIG_SECRET, "prometheus.yml.gz"),
                c ->
                    c.isPresent()
                        && c.get().contains("vigil/kube-state-metrics")
                        && c.get().contains("vigil/node-exporter")
                        && c.get().contains("podMonitor/" + NS + "/" + APP + "/0")
                        && c.get().contains("serviceMonitor/" + NS + "/vigil/0"))
            .orElseThrow();

    // The workloads' Pods as a kubelet runs them, at this machine's end of the test network;
    // node-exporter's on the host network, so its pod IP is the node's.
    Pod ksmPod = runningPod(ksmDeployment.getSpec().getTemplate(), KSM + "-6f7b9-k2x4p", podIp, 0);
    runningPod(nodeExporterDaemonSet.getSpec().getTemplate(), NODE_EXPORTER + "-q8z5w", podIp, 0);
    deploymentStatus(KSM, 1, 1);

    // A small app of this test: a Deployment of 2 replicas, one Pod running (it restarts during
    // the test) and one pending, serving http_requests_total and its duration histogram.
    app = startApp(podIp, appPort);
    Deployment appDeployment = admin.apps().deployments().inNamespace(NS).withName(APP).get();
    Pod appPod = runningPod(appDeployment.getSpec().getTemplate(), APP + "-7c9d8-a1b2c", podIp, 0);
    pendingPod(appDeployment.getSpec().getTemplate(), APP + "-7c9d8-d3e4f");
    deploymentStatus(APP, 2, 1);
    // The shard's Prometheus pod, for its config-reloader sidecar's /metrics (port "reloader").
    io.fabric8.kubernetes.api.model.apps.StatefulSet shard =
        await("the shard's StatefulSet")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    admin
                        .apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName(STACK + "-prometheus-0")
                        .get(),
                s -> s != null);
    runningPod(shard.getSpec().getTemplate(), STACK + "-prometheus-0-0", podIp, 0);
    int reloaderPort =
        shard.getSpec().getTemplate().getSpec().getContainers().stream()
            .flatMap(c -> c.getPorts().stream())
            .filter(p -> "reloader".equals(p.getName()))
            .findFirst()
            .orElseThrow()
            .getContainerPort();

    // kube-state-metrics as its Deployment runs it, as its ServiceAccount.
    List<String> ksmArgs =
        ksmDeployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(ksmArgs)
        .contains("--port=8080")
        .anySatisfy(a -> assertThat(a).startsWith("--resources="));
    Path kubeconfig =
        RealApiServer.serviceAccountKubeconfig(dir.resolve("ksm.kubeconfig"), NS, KSM);
    List<String> ksmCommand = new ArrayList<>();
    ksmCommand.add(System.getenv("VIGIL_KUBE_STATE_METRICS"));
    int telemetryPort = RealPrometheus.freePort();
    for (String arg : ksmArgs) {
      ksmCommand.add(
          arg.startsWith("--telemetry-port=") ? "--telemetry-port=" + telemetryPort : arg);
    }
    ksmCommand.addAll(
        List.of("--kubeconfig=" + kubeconfig, "--host=" + podIp, "--telemetry-host=127.0.0.1"));
    Process ksm = start(ksmCommand, dir.resolve("kube-state-metrics.log"));
    TestNetwork.awaitListening(ksm, podIp, 8080);

    // node_exporter as its DaemonSet runs it, the host paths mapped back.
    List<String> nodeExporterArgs =
        hostPaths(nodeExporterDaemonSet.getSpec().getTemplate().getSpec());
    List<String> nodeExporterCommand = new ArrayList<>();
    nodeExporterCommand.add(System.getenv("VIGIL_NODE_EXPORTER"));
    for (String arg : nodeExporterArgs) {
      nodeExporterCommand.add(
          arg.equals("--web.listen-address=:9100")
              ? "--web.listen-address=" + podIp + ":9100"
              : arg);
    }
    assertThat(nodeExporterCommand)
        .contains(
            "--path.procfs=/proc",
            "--path.sysfs=/sys",
            "--path.rootfs=/",
            "--web.listen-address=" + podIp + ":9100");
    Process nodeExporter = start(nodeExporterCommand, dir.resolve("node_exporter.log"));
    TestNetwork.awaitListening(nodeExporter, podIp, 9100);

    // The real Prometheus on the shard's configuration.
    Path promDir = Files.createDirectories(dir.resolve("prometheus"));
    Files.createDirectories(promDir.resolve("sd-token"));
    Files.writeString(
        promDir.resolve("sd-token/token"),
        RealApiServer.secretText(NS, STACK + "-sd-token", "token").orElseThrow());
    Path promFile = promDir.resolve("prometheus.yml");
    Files.writeString(
        promFile,
        prometheusConfig
            .replace("/etc/prometheus/sd-token/", promDir.resolve("sd-token") + "/")
            .replace("refresh_interval: 30s", "refresh_interval: 1s"));
    int prometheusPort = RealPrometheus.freePort();
    List<String> reloaderFlags =
        List.of(
            "--namespace=" + NS,
            "--secret=" + CONFIG_SECRET,
            "--key=prometheus.yml.gz",
            "--output=" + dir.resolve("reloaded-prometheus.yml"),
            "--reload-url=" + RealPrometheus.reloadUrl(prometheusPort));
    try (RealPrometheus prometheus = RealPrometheus.start(promFile, promDir, prometheusPort);
        InProcessReloader reloader =
            InProcessReloader.withOwnServiceAccount(
                NS, "cluster-reloader", CONFIG_SECRET, List.of())) {
      // The shard's config-reloader, the real one in process; its /metrics served at the pod's
      // address on the sidecar's port, as the pod would.
      reloader.start(reloaderFlags);
      await().atMost(Duration.ofSeconds(20)).until(reloader::ready);
      reloaderEndpoint = sidecarMetrics(reloader, podIp, reloaderPort);
      await("both exporters up through Vigil's jobs")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(ScrapePipelineIT.upTargets(prometheus, "vigil/kube-state-metrics"))
                    .containsExactly(podIp + ":8080");
                assertThat(ScrapePipelineIT.upTargets(prometheus, "vigil/node-exporter"))
                    .containsExactly(NODE);
              });
      System.out.printf(
          "ClusterMetricsIT: both exporters up %d ms after start%n",
          Duration.ofNanos(System.nanoTime() - began).toMillis());

      // kube-state-metrics listed everything its --resources names with Vigil's RBAC, no error
      // (its own telemetry, on the port Vigil's job does not scrape).
      String resources =
          ksmArgs.stream().filter(a -> a.startsWith("--resources=")).findFirst().orElseThrow();
      Map<String, Double> lists = listTotals(telemetryPort);
      List<String> expectedLists = new ArrayList<>();
      for (String resource : resources.substring("--resources=".length()).split(",")) {
        expectedLists.add(resource + " success");
      }
      assertThat(lists.keySet())
          .as("kube-state-metrics' lists (its log: %s)", log(dir, "kube-state-metrics.log"))
          .containsExactlyInAnyOrderElementsOf(expectedLists);
      assertThat(lists.values()).allSatisfy(n -> assertThat(n).isPositive());
      assertThat(log(dir, "kube-state-metrics.log")).doesNotContainIgnoringCase("forbidden");

      // The series the dashboards use, with the labels they rely on.
      assertThat(
              value(
                  prometheus,
                  "kube_pod_status_phase{namespace=\""
                      + NS
                      + "\",pod=\""
                      + ksmPod.getMetadata().getName()
                      + "\",phase=\"Running\"}"))
          .isEqualTo(1);
      JsonNode ksmSeries =
          query(prometheus, "kube_deployment_spec_replicas{namespace=\"" + NS + "\"}");
      Map<String, Double> replicas = new TreeMap<>();
      for (JsonNode s : ksmSeries) {
        assertThat(s.path("metric").path("job").asText()).isEqualTo("kube-state-metrics");
        replicas.put(
            s.path("metric").path("deployment").asText(),
            Double.parseDouble(s.path("value").get(1).asText()));
      }
      assertThat(replicas).isEqualTo(Map.of(KSM, 1.0, APP, 2.0));
      assertThat(
              value(
                  prometheus,
                  "kube_node_status_allocatable{node=\"" + NODE + "\",resource=\"cpu\"}"))
          .isEqualTo(4);
      JsonNode cpu = query(prometheus, "node_cpu_seconds_total{mode=\"idle\"}");
      assertThat(cpu).hasSize(Runtime.getRuntime().availableProcessors());
      for (JsonNode s : cpu) {
        assertThat(s.path("metric").path("node").asText()).isEqualTo(NODE);
        assertThat(s.path("metric").path("instance").asText()).isEqualTo(NODE);
        assertThat(s.path("metric").path("job").asText()).isEqualTo("node-exporter");
        assertThat(s.path("metric").path("namespace").asText()).isEqualTo(NS);
      }
      assertThat(value(prometheus, "node_memory_MemTotal_bytes{node=\"" + NODE + "\"}"))
          .isEqualTo((double) memTotalBytes());

      // The app restarts: its container's restart count goes from 0 to 2, as a kubelet reports.
      Thread.sleep(2500);
      setRestarts(appPod, 2);
      await("the restart counted")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  value(
                      prometheus,
                      "sum(kube_pod_container_status_restarts_total{namespace=\""
                          + NS
                          + "\",pod=\""
                          + appPod.getMetadata().getName()
                          + "\"})"),
              v -> v == 2);
      Thread.sleep(2000); // a few more scrapes, for the rates

      await("the app and the operator up through their monitors' jobs")
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(
                        ScrapePipelineIT.upTargets(
                            prometheus, "podMonitor/" + NS + "/" + APP + "/0"))
                    .containsExactly(podIp + ":" + appPort);
                assertThat(
                        ScrapePipelineIT.upTargets(prometheus, "serviceMonitor/" + NS + "/vigil/0"))
                    .containsExactly(podIp + ":" + sdPort);
                assertThat(ScrapePipelineIT.upTargets(prometheus, "vigil/config-reloaders"))
                    .containsExactly(podIp + ":" + reloaderPort);
              });
      // Every panel of every shipped dashboard answers.
      Map<String, Integer> answered = new TreeMap<>();
      try (Stream<Path> files = Files.list(DASHBOARDS)) {
        for (Path file : files.sorted().toList()) {
          answered.put(file.getFileName().toString(), everyPanelAnswers(prometheus, file));
        }
      }
      System.out.println("ClusterMetricsIT: panel queries run per dashboard: " + answered);
      assertThat(EMPTY).as("panel queries without data").isEmpty();
      assertThat(answered)
          .containsOnlyKeys(
              "vigil-kubernetes-workloads.json",
              "vigil-node-overview.json",
              "vigil-operator-health.json",
              "vigil-service-red.json");

      List<String> urls = prometheus.assertTrafficStaysLocal(network);
      System.out.printf(
          "ClusterMetricsIT: Prometheus talked only to 127.0.0.0/8 and %s: %s; done %d ms after"
              + " start%n",
          network.range(), urls, Duration.ofNanos(System.nanoTime() - began).toMillis());
    }
  }

  /**
   * Runs every panel query of {@code file} with its variables set to a value their own queries
   * return, and asserts each returns data; returns how many ran.
   */
  static int everyPanelAnswers(RealPrometheus prometheus, Path file) throws Exception {
    JsonNode dashboard = JSON.readTree(file.toFile());
    Map<String, String> variables = new LinkedHashMap<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (!"query".equals(variable.path("type").asText())) {
        continue;
      }
      String name = variable.path("name").asText();
      if (spanPanels(file, 0) && name.equals("service")) {
        continue; // only the span panels use it: SpanMetricsIT
      }
      List<String> values =
          variableValues(prometheus, variable.path("query").path("query").asText());
      assertThat(values).as("%s: values of $%s", file.getFileName(), name).isNotEmpty();
      variables.put(name, preferred(name, values));
    }
    System.out.println("ClusterMetricsIT: " + file.getFileName() + " variables " + variables);
    List<JsonNode> panels = new ArrayList<>();
    collectPanels(dashboard.path("panels"), panels);
    int ran = 0;
    for (JsonNode panel : panels) {
      int id = panel.path("id").asInt();
      if (file.getFileName().toString().equals("vigil-service-red.json")
          && id >= 201
          && id <= 204) {
        continue; // span metrics: SpanMetricsIT runs these on real spans, with exact values
      }
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        String resolved = expr.replace("$__rate_interval", "1m");
        for (Map.Entry<String, String> v : variables.entrySet()) {
          resolved = resolved.replace("$" + v.getKey(), v.getValue());
        }
        assertThat(resolved).as("a variable left in %s", resolved).doesNotContain("$");
        if (query(prometheus, resolved).isEmpty()) {
          EMPTY.add(
              "%s panel %d \"%s\": %s"
                  .formatted(file.getFileName(), id, panel.path("title").asText(), resolved));
        }
        ran++;
      }
    }
    return ran;
  }

  /**
   * Whether {@code id} is a span-metrics panel of the RED dashboard (ids 201–204; any id 0 asks
   * whether the dashboard has them).
   */
  static boolean spanPanels(Path file, int id) {
    return file.getFileName().toString().equals("vigil-service-red.json")
        && (id == 0 || (id >= 201 && id <= 204));
  }

  /** The panel queries that returned no data. */
  static final List<String> EMPTY = new ArrayList<>();

  /** The test's own value of a variable when it is one of the values, else the first. */
  static String preferred(String name, List<String> values) {
    String mine =
        switch (name) {
          case "namespace" -> NS;
          case "node" -> NODE;
          case "job" -> values.contains("vigil-operator") ? "vigil-operator" : values.get(0);
          default -> values.get(0);
        };
    assertThat(values).as("values of $%s", name).contains(mine);
    return mine;
  }

  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

  /** What Grafana's {@code label_values(metric, label)} returns, from the series API. */
  static List<String> variableValues(RealPrometheus prometheus, String query) throws IOException {
    Matcher m = LABEL_VALUES.matcher(query);
    assertThat(m.matches()).as("a label_values() query: %s", query).isTrue();
    JsonNode values =
        prometheus.api("/api/v1/label/" + m.group(2) + "/values?match[]=" + encode(m.group(1)));
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.asText()));
    return out;
  }

  static void collectPanels(JsonNode panels, List<JsonNode> out) {
    for (JsonNode panel : panels) {
      out.add(panel);
      collectPanels(panel.path("panels"), out);
    }
  }

  /** The version a tool prints ({@code <name>, version <version> (...)}). */
  static String version(String variable, String argument) throws Exception {
    String out = RealApiServer.run(Duration.ofSeconds(30), RealApiServer.tool(variable), argument);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\S+)").matcher(out);
    assertThat(m.find()).as(variable + " " + argument + ": " + out).isTrue();
    return m.group(1);
  }

  /**
   * The DaemonSet's container arguments with each volume's mount path replaced by its host path,
   * longest mount path first ({@code /host/root/run/udev/data} → {@code /run/udev/data}).
   */
  static List<String> hostPaths(PodSpec pod) {
    Map<String, String> hostPathOf = new TreeMap<>();
    for (Volume volume : pod.getVolumes()) {
      hostPathOf.put(volume.getName(), volume.getHostPath().getPath());
    }
    List<VolumeMount> mounts = new ArrayList<>(pod.getContainers().get(0).getVolumeMounts());
    mounts.sort(Comparator.comparingInt((VolumeMount m) -> m.getMountPath().length()).reversed());
    List<String> args = new ArrayList<>();
    for (String arg : pod.getContainers().get(0).getArgs()) {
      for (VolumeMount mount : mounts) {
        String host = hostPathOf.get(mount.getName());
        if (arg.endsWith("=" + mount.getMountPath())) {
          arg = arg.substring(0, arg.length() - mount.getMountPath().length()) + host;
          break;
        }
        if (arg.contains("=" + mount.getMountPath() + "/")) {
          arg =
              arg.replace(
                  "=" + mount.getMountPath() + "/", "=" + (host.equals("/") ? "/" : host + "/"));
          break;
        }
      }
      args.add(arg);
    }
    return args;
  }

  /** This test's node, as its kubelet registers it: 4 CPUs, 16 GiB. */
  static void node(String address) {
    admin.nodes().withName(NODE).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.nodes().withName(NODE).get() == null);
    admin
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToLabels("kubernetes.io/hostname", NODE)
                .endMetadata()
                .build())
        .create();
    var node = admin.nodes().withName(NODE).get();
    node.setStatus(
        new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
            .addToCapacity("cpu", new Quantity("4"))
            .addToCapacity("memory", new Quantity("16Gi"))
            .addToCapacity("pods", new Quantity("110"))
            .addToAllocatable("cpu", new Quantity("4"))
            .addToAllocatable("memory", new Quantity("15Gi"))
            .addToAllocatable("pods", new Quantity("110"))
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(address)
            .endAddress()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    admin.nodes().resource(node).updateStatus();
  }

  /** A Pod of {@code template} on this test's node, running and ready. */
  static Pod runningPod(
      io.fabric8.kubernetes.api.model.PodTemplateSpec template,
      String name,
      String ip,
      int restarts) {
    Pod pod = createPod(template, name);
    var containers = template.getSpec().getContainers();
    PodStatusBuilder status =
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .addNewPodIP(ip)
            .withHostIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition();
    for (var container : containers) {
      status.addToContainerStatuses(
          new ContainerStatusBuilder()
              .withName(container.getName())
              .withImage(container.getImage())
              .withImageID("")
              .withReady(true)
              .withStarted(true)
              .withRestartCount(restarts)
              .withNewState()
              .withNewRunning()
              .endRunning()
              .endState()
              .build());
    }
    pod.setStatus(status.build());
    return admin.pods().inNamespace(NS).resource(pod).updateStatus();
  }

  /** A Pod of {@code template} on this test's node, not ready (its image still being pulled). */
  static Pod pendingPod(io.fabric8.kubernetes.api.model.PodTemplateSpec template, String name) {
    Pod pod = createPod(template, name);
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Pending")
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .endCondition()
            .build());
    return admin.pods().inNamespace(NS).resource(pod).updateStatus();
  }

  static Pod createPod(io.fabric8.kubernetes.api.model.PodTemplateSpec template, String name) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .withLabels(template.getMetadata().getLabels())
            .endMetadata()
            .withSpec(template.getSpec())
            .build();
    pod.getSpec().setNodeName(NODE);
    admin.resource(pod).create();
    return admin.pods().inNamespace(NS).withName(name).get();
  }

  static void setRestarts(Pod pod, int restarts) {
    Pod current = admin.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get();
    current.getStatus().getContainerStatuses().forEach(c -> c.setRestartCount(restarts));
    admin.pods().inNamespace(NS).resource(current).updateStatus();
  }

  /** The status the controller manager would write. */
  static void deploymentStatus(String name, int replicas, int available) {
    Deployment deployment = admin.apps().deployments().inNamespace(NS).withName(name).get();
    deployment.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(available)
            .withAvailableReplicas(available)
            .withUnavailableReplicas(replicas - available)
            .build());
    admin.apps().deployments().inNamespace(NS).resource(deployment).updateStatus();
  }

  /** The app's Deployment and the PodMonitor that makes the stack scrape it. */
  static String appObjects(int port) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
                - name: api
                  image: example.com/shop-api:1.0
                  ports: [{name: metrics, containerPort: %3$d}]
                  resources:
                    requests: {cpu: 250m, memory: 256Mi}
                    limits: {cpu: "1", memory: 512Mi}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: %1$s, namespace: %2$s, labels: {team: e2e}}
        spec:
          selector: {matchLabels: {app: %1$s}}
          podMetricsEndpoints: [{port: metrics}]
        """
        .formatted(APP, NS, port);
  }

  /**
   * The operator's own /metrics as the Helm chart exposes it (Service {@code vigil-operator}, port
   * {@code http}) and scrapes it (its ServiceMonitor template, labelled for this stack): the
   * EndpointSlice's address is the in-process operator's HTTP port on this test's network.
   */
  static String operatorObjects(String address) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: vigil-operator, namespace: %1$s, labels: {app.kubernetes.io/name: vigil}}
        spec:
          selector: {app.kubernetes.io/name: vigil}
          ports: [{name: http, port: 8080, targetPort: http}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: vigil-operator-abcde
          namespace: %1$s
          labels: {kubernetes.io/service-name: vigil-operator}
        addressType: IPv4
        ports: [{name: http, port: %2$d, protocol: TCP}]
        endpoints:
          - addresses: ["%3$s"]
            conditions: {ready: true}
            nodeName: %4$s
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: vigil, namespace: %1$s, labels: {team: e2e}}
        spec:
          selector: {matchLabels: {app.kubernetes.io/name: vigil}}
          namespaceSelector: {matchNames: [%1$s]}
          endpoints: [{port: http, path: /metrics, interval: 1s, scrapeTimeout: 1s}]
        """
        .formatted(NS, sdPort, address, NODE);
  }

  /**
   * A ValidatingAdmissionPolicy (CEL, in the API server itself) refusing the Deployment {@code
   * blocked-kube-state-metrics} in this test's namespace.
   */
  static String admissionPolicy() {
    return """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: %1$s-deny}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [apps]
                apiVersions: [v1]
                operations: [CREATE, UPDATE]
                resources: [deployments]
          validations:
            - expression: "object.metadata.name != 'blocked-kube-state-metrics'"
              message: refused by the test's admission policy
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: %1$s-deny}
        spec:
          policyName: %1$s-deny
          validationActions: [Deny]
          matchResources:
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: %1$s}
        """
        .formatted(NS);
  }

  /** Whether a dry-run create of the Deployment the policy refuses is refused. */
  static boolean blockedDeploymentRefused() {
    Deployment probe =
        new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
            .withNewMetadata()
            .withName("blocked-kube-state-metrics")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .addToMatchLabels("app", "probe")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "probe")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("probe")
            .withImage("probe")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    try {
      admin.resource(probe).dryRun().create();
      return false;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return e.getMessage().contains("refused by the test's admission policy");
    }
  }

  /**
   * The app: every scrape, 20 more requests answered 200 and 1 answered 500, their durations in a
   * histogram, as a client library would expose them.
   */
  static HttpServer startApp(String address, int port) throws IOException {
    AtomicLong scrapes = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.createContext(
        "/metrics",
        exchange -> {
          long n = scrapes.incrementAndGet();
          long ok = 20 * n;
          long failed = n;
          long all = ok + failed;
          String body =
              String.join(
                  "\n",
                  "# TYPE http_requests_total counter",
                  "http_requests_total{method=\"GET\",code=\"200\"} " + ok,
                  "http_requests_total{method=\"GET\",code=\"500\"} " + failed,
                  "# TYPE http_request_duration_seconds histogram",
                  "http_request_duration_seconds_bucket{le=\"0.05\"} " + (10 * n),
                  "http_request_duration_seconds_bucket{le=\"0.1\"} " + (18 * n),
                  "http_request_duration_seconds_bucket{le=\"0.5\"} " + all,
                  "http_request_duration_seconds_bucket{le=\"+Inf\"} " + all,
                  "http_request_duration_seconds_sum " + (0.08 * all),
                  "http_request_duration_seconds_count " + all,
                  "");
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  /** The reloader's {@code GET /metrics} answered at {@code address:port}, the pod's address. */
  static HttpServer sidecarMetrics(InProcessReloader reloader, String address, int port)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] bytes;
          try {
            bytes = reloader.metrics().getBytes(StandardCharsets.UTF_8);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  static Optional<ClusterRoleBinding> ksmBinding() {
    return admin.rbac().clusterRoleBindings().list().getItems().stream()
        .filter(
            b ->
                b.getSubjects() != null
                    && b.getSubjects().stream()
                        .anyMatch(s -> KSM.equals(s.getName()) && NS.equals(s.getNamespace())))
        .findFirst();
  }

  /** {@code kube_state_metrics_{list,watch}_total{resource="*v1.CronJob",result="success"}}. */
  private static final Pattern LIST_TOTAL =
      Pattern.compile(
          "kube_state_metrics_(?:list|watch)_total\\{resource=\"\\*[a-z0-9]+\\.(\\w+)\",result=\"(\\w+)\"} (\\S+)");

  /**
   * kube-state-metrics' own count of its lists and watches (client-go's streaming lists make them
   * watches), from its telemetry port: "resource result" → count, the resource named as in its
   * {@code --resources} flag ({@code *v1.CronJob} → {@code cronjobs}).
   */
  static Map<String, Double> listTotals(int port) throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    Map<String, Double> totals = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      Matcher m = LIST_TOTAL.matcher(line);
      if (m.matches()) {
        totals.merge(
            m.group(1).toLowerCase(java.util.Locale.ROOT) + "s " + m.group(2),
            Double.parseDouble(m.group(3)),
            Double::sum);
      }
    }
    return totals;
  }

  static Process start(List<String> command, Path log) throws IOException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(process);
    return process;
  }

  static String log(Path dir, String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static long memTotalBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no MemTotal in /proc/meminfo");
  }

  static JsonNode query(RealPrometheus prometheus, String query) throws IOException {
    return prometheus.api("/api/v1/query?query=" + encode(query)).path("result");
  }

  /** The value of a query with exactly one series. */
  static double value(RealPrometheus prometheus, String query) throws IOException {
    JsonNode result = query(prometheus, query);
    assertThat(result).as("%s: one series", query).hasSize(1);
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  static String encode(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }
}
