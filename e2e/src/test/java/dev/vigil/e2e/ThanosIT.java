package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.RealThanos;
import dev.vigil.e2e.harness.TestNetwork;
import dev.vigil.e2e.harness.Workloads;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.sharding.RendezvousSharding;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thanos over two shards with two replicas each, every process real and every argument Vigil's: a
 * MonitoringStack with {@code shards: 2, replicas: 2, thanos.enabled} on the real API server, the
 * operator in-process rendering each shard's configuration and serving its targets over HTTP SD;
 * four real Prometheus processes (one per pod the StatefulSets would run, with the pod name in
 * {@code POD_NAME} as the pod sets it, so each gets Vigil's {@code prometheus_shard} and {@code
 * prometheus_replica} external labels); a real Thanos sidecar beside each on exactly the {@code
 * thanos-sidecar} container's args of the shard's StatefulSet; and a real Thanos Query on exactly
 * the args of Vigil's Thanos Query Deployment.
 *
 * <p>Only addresses and paths are moved, each checked first against what it stands for in the
 * rendered objects: {@code :9090}/{@code :10901}/{@code :10902} become free loopback ports, the
 * TSDB path a temporary directory, and each {@code --endpoint=dnssrv+_grpc._tcp.<service>...} of
 * Query (the SRV records of a shard's headless governing Service for its port named {@code grpc},
 * which in a cluster list that shard's pods on the sidecar's gRPC port) becomes one {@code
 * --endpoint=127.0.0.1:<port>} per sidecar of that shard, the two addresses those SRV records would
 * list. The other arguments (the replica label for deduplication among them) are passed as
 * rendered.
 *
 * <p>Four stand-in apps (in the test's network namespace, {@link TestNetwork}) are discovered
 * through a PodMonitor and Vigil's HTTP SD, two per shard. A query through Thanos Query returns
 * every target's {@code up} series exactly once, from its own shard (twice without deduplication:
 * once per replica), and the Grafana data source Vigil provisions for the stack is Thanos Query's
 * Service URL, the stack's {@code status.queryUrl}.
 */
class ThanosIT {
  static final String NS = "e2e-thanos";
  static final String STACK = "ha";
  static final String MONITOR = "targets";
  static final String JOB = "podMonitor/" + NS + "/" + MONITOR + "/0";
  static final int SHARDS = 2;
  static final int REPLICAS = 2;
  static final int TARGETS_PER_SHARD = 2;
  static final YAMLMapper YAML = new YAMLMapper();

  static KubernetesClient admin;
  static VigilOperator vigil;
  static TestNetwork network;
  static String host;
  static int sdPort;
  static final List<AutoCloseable> processes = new ArrayList<>();

  /** The processes' directories; a class-level one, deleted after {@link #stop()} ended them. */
  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        System.getenv(RealThanos.VARIABLE) != null,
        RealThanos.VARIABLE
            + " is not set: install Thanos with `bash e2e/tools/install.sh thanos` and source"
            + " env.sh");
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    network = TestNetwork.open();
    host = network.address(0);
    sdPort = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, sdPort, NS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    if (vigil != null) {
      vigil.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  void thanosQueryOverTwoShardsOfTwoReplicasReturnsEveryTargetOnce() throws Exception {
    long began = System.nanoTime();
    // Ports for the stand-in apps such that each shard gets two: Vigil places a target by
    // rendezvous hashing of its job and address, so pick addresses until both shards have two.
    List<List<String>> targetsByShard = List.of(new ArrayList<>(), new ArrayList<>());
    Path logs = Files.createDirectories(work.resolve("apps"));
    for (int candidate = 0;
        targetsByShard.stream().anyMatch(t -> t.size() < TARGETS_PER_SHARD);
        candidate++) {
      int port = network.isolated() ? 9100 + candidate : RealPrometheus.freePort();
      String address = host + ":" + port;
      int shard = RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, address), SHARDS);
      if (targetsByShard.get(shard).size() == TARGETS_PER_SHARD) {
        continue;
      }
      targetsByShard.get(shard).add(address);
      network.metricsServer(
          host,
          port,
          "# TYPE demo_requests_total counter\ndemo_requests_total 1\n",
          logs.resolve("app-" + port + ".log"));
      runningPod("app-" + port, port);
    }
    List<String> allTargets = new ArrayList<>();
    targetsByShard.forEach(allTargets::addAll);

    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper: {shards: %d, replicas: %d, scrapeInterval: 1s, scrapeTimeout: 1s}
          monitorSelector:
            labelSelector: {matchLabels: {team: e2e}}
            namespaceSelector: {}
          thanos: {enabled: true}
          grafana: {enabled: true}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: %s, namespace: %s, labels: {team: e2e}}
        spec:
          selector: {matchLabels: {app: thanos-target}}
          podMetricsEndpoints: [{port: metrics}]
        """
            .formatted(STACK, NS, SHARDS, REPLICAS, MONITOR, NS));

    // What Vigil renders: each shard's configuration, StatefulSet and governing Service, the
    // Thanos Query Deployment and Service, Grafana's provisioning.
    List<String> configs = new ArrayList<>();
    List<StatefulSet> statefulSets = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      String secret = STACK + "-prometheus-" + shard + "-config";
      configs.add(
          await("shard " + shard + "'s configuration with the PodMonitor's job")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> RealApiServer.secretText(NS, secret, "prometheus.yml.gz").orElse(""),
                  c -> c.contains(JOB)));
      String name = STACK + "-prometheus-" + shard;
      statefulSets.add(
          await("StatefulSet " + name)
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> admin.apps().statefulSets().inNamespace(NS).withName(name).get(),
                  s -> s != null));
    }
    Deployment queryDeployment =
        await("the Thanos Query Deployment")
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    admin
                        .apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName(STACK + "-thanos-query")
                        .get(),
                d -> d != null);

    // The image Vigil deploys is the release this test runs.
    String image = "quay.io/thanos/thanos:v" + RealThanos.version();
    for (StatefulSet sts : statefulSets) {
      assertThat(container(sts.getSpec().getTemplate().getSpec().getContainers(), "thanos-sidecar"))
          .extracting(Container::getImage)
          .isEqualTo(image);
    }
    assertThat(
            container(
                    queryDeployment.getSpec().getTemplate().getSpec().getContainers(),
                    "thanos-query")
                .getImage())
        .isEqualTo(image);

    // Four Prometheus processes, each with its Thanos sidecar on the StatefulSet's args.
    Map<Integer, List<String>> sidecarAddresses = new TreeMap<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      StatefulSet sts = statefulSets.get(shard);
      assertThat(sts.getSpec().getReplicas()).isEqualTo(REPLICAS);
      List<Container> containers = sts.getSpec().getTemplate().getSpec().getContainers();
      Container prometheus = container(containers, "prometheus");
      Container sidecar = container(containers, "thanos-sidecar");
      String replicaLabel = replicaLabel(configs.get(shard), prometheus);
      assertThat(externalLabels(configs.get(shard)))
          .as("shard %d's external labels", shard)
          .containsEntry("prometheus_shard", Integer.toString(shard))
          .containsEntry(replicaLabel, "${POD_NAME}");
      for (int replica = 0; replica < REPLICAS; replica++) {
        String pod = sts.getMetadata().getName() + "-" + replica;
        Path dir = work.resolve(pod);
        int webPort = RealPrometheus.freePort();
        RealPrometheus real =
            RealPrometheus.start(
                localConfig(configs.get(shard), dir),
                dir,
                webPort,
                List.of(),
                Map.of("POD_NAME", pod),
                null);
        processes.add(real);
        int grpcPort = RealPrometheus.freePort();
        int httpPort = RealPrometheus.freePort();
        List<String> args = new ArrayList<>(sidecar.getArgs());
        assertThat(args.get(0)).isEqualTo("sidecar");
        // --prometheus.url names Prometheus's web port in the same pod.
        replace(
            args,
            "--prometheus.url",
            "http://127.0.0.1:" + port(prometheus, "web"),
            "http://127.0.0.1:" + webPort);
        // --tsdb.path is Prometheus's --storage.tsdb.path, on the volume both mount there.
        String tsdb = flag(prometheus.getArgs(), "--storage.tsdb.path");
        assertThat(mountedVolume(sidecar, tsdb)).isEqualTo(mountedVolume(prometheus, tsdb));
        replace(args, "--tsdb.path", tsdb, RealPrometheus.dataDir(dir).toString());
        replace(args, "--grpc-address", ":" + port(sidecar, "grpc"), "127.0.0.1:" + grpcPort);
        replace(
            args, "--http-address", ":" + port(sidecar, "http-sidecar"), "127.0.0.1:" + httpPort);
        processes.add(RealThanos.start("sidecar-" + pod, args, httpPort, dir));
        sidecarAddresses
            .computeIfAbsent(shard, s -> new ArrayList<>())
            .add("127.0.0.1:" + grpcPort);
      }
    }

    // Thanos Query on the Deployment's args; each shard's dnssrv+ endpoint becomes its sidecars.
    Container query =
        container(
            queryDeployment.getSpec().getTemplate().getSpec().getContainers(), "thanos-query");
    List<String> queryArgs = new ArrayList<>();
    int queryHttp = RealPrometheus.freePort();
    int queryGrpc = RealPrometheus.freePort();
    List<String> endpoints = new ArrayList<>();
    for (String arg : query.getArgs()) {
      if (arg.startsWith("--endpoint=")) {
        endpoints.add(arg);
        int shard = shardOfSrvEndpoint(arg.substring("--endpoint=".length()), statefulSets);
        sidecarAddresses.get(shard).forEach(a -> queryArgs.add("--endpoint=" + a));
      } else {
        queryArgs.add(arg);
      }
    }
    assertThat(endpoints).as("one endpoint per shard").hasSize(SHARDS);
    replace(queryArgs, "--http-address", ":" + port(query, "http"), "127.0.0.1:" + queryHttp);
    replace(queryArgs, "--grpc-address", ":" + port(query, "grpc"), "127.0.0.1:" + queryGrpc);
    String replicaLabel = flag(query.getArgs(), "--query.replica-label");
    assertThat(replicaLabel).isEqualTo(replicaLabel(configs.get(0), null));
    System.out.printf("Vigil's Thanos Query args: %s%nrun as: %s%n", query.getArgs(), queryArgs);
    RealThanos thanosQuery = RealThanos.start("query", queryArgs, queryHttp, work.resolve("query"));
    processes.add(thanosQuery);

    // Without deduplication every target is there once per replica: both replicas of its shard
    // scrape it, and Query reaches all four sidecars. Awaited first, so the deduplicated answer
    // below is taken while both copies of every series exist.
    Map<String, List<String>> expectedReplicas = new TreeMap<>();
    Map<String, List<String>> expectedShard = new TreeMap<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      for (String target : targetsByShard.get(shard)) {
        List<String> replicas = new ArrayList<>();
        for (int replica = 0; replica < REPLICAS; replica++) {
          replicas.add(STACK + "-prometheus-" + shard + "-" + replica);
        }
        expectedReplicas.put(target, replicas);
        expectedShard.put(target, List.of(Integer.toString(shard)));
      }
    }
    try {
      await("every target from both replicas of its shard through Thanos Query (dedup=false)")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(byInstance(thanosQuery.query("up == 1", "dedup=false"), replicaLabel))
                      .isEqualTo(expectedReplicas));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + logs(thanosQuery), e);
    }
    assertThat(thanosQuery.query("count(up)", "dedup=false").get(0).path("value").get(1).asText())
        .isEqualTo(Integer.toString(allTargets.size() * REPLICAS));

    // Deduplicated (Query's default with a replica label): every target once, from its own shard,
    // without the replica label.
    JsonNode deduplicated = thanosQuery.query("up", "");
    deduplicated.forEach(
        series ->
            assertThat(series.path("metric").has(replicaLabel))
                .as("%s keeps no replica label", series)
                .isFalse());
    assertThat(byInstance(deduplicated, "prometheus_shard")).isEqualTo(expectedShard);
    assertThat(thanosQuery.query("count(up)", "").get(0).path("value").get(1).asText())
        .isEqualTo(Integer.toString(allTargets.size()));

    // The stack's query URL is Thanos Query's Service, and Grafana's Prometheus data source is it.
    MonitoringStack stack =
        await("the stack's status")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> admin.resources(MonitoringStack.class).inNamespace(NS).withName(STACK).get(),
                s ->
                    s.getStatus() != null
                        && s.getStatus().targets != null
                        && s.getStatus().targets == allTargets.size());
    String queryUrl = stack.getStatus().queryUrl;
    URI uri = URI.create(queryUrl);
    String serviceName = uri.getHost().split("\\.")[0];
    assertThat(uri.getHost()).isEqualTo(serviceName + "." + NS + ".svc");
    Service queryService = admin.services().inNamespace(NS).withName(serviceName).get();
    assertThat(queryService).as("the Service of status.queryUrl %s", queryUrl).isNotNull();
    assertThat(queryService.getSpec().getSelector())
        .isEqualTo(queryDeployment.getSpec().getSelector().getMatchLabels());
    ServicePort httpPort =
        queryService.getSpec().getPorts().stream()
            .filter(p -> p.getPort() == uri.getPort())
            .findFirst()
            .orElseThrow();
    assertThat(httpPort.getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(flag(query.getArgs(), "--http-address")).isEqualTo(":" + port(query, "http"));
    assertThat(stack.getStatus().shards).isEqualTo(SHARDS);
    assertThat(stack.getStatus().shardStatuses)
        .extracting(s -> s.shard, s -> s.targets)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, TARGETS_PER_SHARD),
            org.assertj.core.groups.Tuple.tuple(1, TARGETS_PER_SHARD));
    assertThat(stack.getStatus().alertmanagerUrl).isNull();

    ConfigMap provisioning =
        await("Grafana's provisioning ConfigMap")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    admin
                        .configMaps()
                        .inNamespace(NS)
                        .withLabel("app.kubernetes.io/component", "grafana-provisioning")
                        .withLabel("app.kubernetes.io/instance", STACK)
                        .list()
                        .getItems(),
                l -> l.size() == 1)
            .get(0);
    JsonNode datasources = YAML.readTree(provisioning.getData().get("datasources.yaml"));
    List<JsonNode> prometheusSources = new ArrayList<>();
    datasources
        .path("datasources")
        .forEach(
            d -> {
              if ("prometheus".equals(d.path("type").asText())) {
                prometheusSources.add(d);
              }
            });
    assertThat(prometheusSources).hasSize(1);
    assertThat(prometheusSources.get(0).path("url").asText()).isEqualTo(queryUrl);
    assertThat(prometheusSources.get(0).path("jsonData").path("prometheusType").asText())
        .isEqualTo("Thanos");
    System.out.printf(
        "Thanos over %d shards x %d replicas: %d targets once each (dedup), %d series without;"
            + " Grafana -> %s; %d ms%n",
        SHARDS,
        REPLICAS,
        allTargets.size(),
        allTargets.size() * REPLICAS,
        queryUrl,
        Duration.ofNanos(System.nanoTime() - began).toMillis());
  }

  /** The values of {@code label} of each instance's series, sorted, by instance. */
  static Map<String, List<String>> byInstance(JsonNode result, String label) {
    Map<String, List<String>> values = new TreeMap<>();
    for (JsonNode series : result) {
      JsonNode metric = series.path("metric");
      values
          .computeIfAbsent(metric.path("instance").asText(), i -> new ArrayList<>())
          .add(metric.path(label).asText());
    }
    values.values().forEach(v -> v.sort(null));
    return values;
  }

  /** A Running, Ready pod of the PodMonitor at the test network's address. */
  static void runningPod(String name, int port) {
    Workloads.runningPod(
        admin,
        Workloads.standInApp(NS, name, Map.of("app", "thanos-target"), port),
        host,
        "10.0.0.1");
  }

  /**
   * The shard whose sidecars {@code endpoint} finds in a cluster: {@code
   * dnssrv+_grpc._tcp.<service>.<namespace>.svc} must be the SRV name of the port named {@code
   * grpc} (TCP) of a shard's headless governing Service, whose target port is the sidecar's gRPC
   * port.
   */
  static int shardOfSrvEndpoint(String endpoint, List<StatefulSet> statefulSets) {
    String prefix = "dnssrv+_grpc._tcp.";
    String suffix = "." + NS + ".svc";
    assertThat(endpoint).startsWith(prefix).endsWith(suffix);
    String serviceName = endpoint.substring(prefix.length(), endpoint.length() - suffix.length());
    for (int shard = 0; shard < statefulSets.size(); shard++) {
      StatefulSet sts = statefulSets.get(shard);
      if (!sts.getSpec().getServiceName().equals(serviceName)) {
        continue;
      }
      Service service = admin.services().inNamespace(NS).withName(serviceName).get();
      assertThat(service).as("governing Service %s", serviceName).isNotNull();
      assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
      assertThat(service.getSpec().getSelector())
          .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
      ServicePort grpc =
          service.getSpec().getPorts().stream()
              .filter(p -> "grpc".equals(p.getName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(serviceName + " has no port named grpc"));
      assertThat(grpc.getProtocol()).isIn(null, "TCP");
      Container sidecar =
          container(sts.getSpec().getTemplate().getSpec().getContainers(), "thanos-sidecar");
      int target =
          grpc.getTargetPort().getIntVal() != null
              ? grpc.getTargetPort().getIntVal()
              : port(sidecar, grpc.getTargetPort().getStrVal());
      assertThat(target).isEqualTo(port(sidecar, "grpc"));
      return shard;
    }
    throw new AssertionError(endpoint + " names no shard's governing Service");
  }

  /**
   * The external label whose value differs per pod ({@code ${POD_NAME}}, which Prometheus expands
   * from the environment the Prometheus container sets from the pod's name).
   */
  static String replicaLabel(String config, Container prometheus) throws Exception {
    List<String> perPod = new ArrayList<>();
    externalLabels(config)
        .forEach(
            (name, value) -> {
              if (value.equals("${POD_NAME}")) {
                perPod.add(name);
              }
            });
    assertThat(perPod).hasSize(1);
    if (prometheus != null) {
      EnvVar podName =
          prometheus.getEnv().stream()
              .filter(e -> e.getName().equals("POD_NAME"))
              .findFirst()
              .orElseThrow();
      assertThat(podName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    }
    return perPod.get(0);
  }

  static Map<String, String> externalLabels(String config) throws Exception {
    Map<String, String> labels = new TreeMap<>();
    YAML.readTree(config)
        .path("global")
        .path("external_labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /**
   * The shard's configuration with the in-container path of the SD token moved to this test's copy
   * of the token, and HTTP SD refreshed every second instead of every 30 s.
   */
  static Path localConfig(String config, Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sd-token"));
    Files.writeString(
        dir.resolve("sd-token/token"),
        RealApiServer.secretText(NS, STACK + "-sd-token", "token").orElseThrow());
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(
        file,
        config
            .replace("/etc/prometheus/sd-token/", dir.resolve("sd-token") + "/")
            .replace("refresh_interval: 30s", "refresh_interval: 1s"));
    return file;
  }

  /** The value of {@code --name=value} in {@code args}; exactly one must be there. */
  static String flag(List<String> args, String name) {
    List<String> values =
        args.stream()
            .filter(a -> a.startsWith(name + "="))
            .map(a -> a.substring(name.length() + 1))
            .toList();
    assertThat(values).as("%s in %s", name, args).hasSize(1);
    return values.get(0);
  }

  /** Replaces {@code --name=rendered} by {@code --name=local}, after checking Vigil rendered it. */
  static void replace(List<String> args, String name, String rendered, String local) {
    assertThat(flag(args, name)).as("%s in %s", name, args).isEqualTo(rendered);
    args.replaceAll(a -> a.equals(name + "=" + rendered) ? name + "=" + local : a);
  }

  static Container container(List<Container> containers, String name) {
    return containers.stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in " + containers));
  }

  static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name));
  }

  /** The volume mounted at {@code path} in {@code container}. */
  static String mountedVolume(Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .map(VolumeMount::getName)
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
  }

  /** Every Thanos and Prometheus log, for a failure message. */
  static String logs(RealThanos query) {
    StringBuilder out = new StringBuilder("query:\n").append(query.log());
    for (AutoCloseable process : processes) {
      if (process instanceof RealThanos thanos && thanos != query) {
        out.append("\n").append(thanos).append(":\n").append(tail(thanos.log()));
      } else if (process instanceof RealPrometheus prometheus) {
        out.append("\nprometheus:\n").append(tail(prometheus.log()));
      }
    }
    return out.toString();
  }

  private static String tail(String log) {
    return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
  }
}
