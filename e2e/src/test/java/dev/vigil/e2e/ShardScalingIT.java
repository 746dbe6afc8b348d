package dev.vigil.e2e;

import static dev.vigil.e2e.harness.RealApiServer.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.RetainedShard;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.ShardPrometheus;
import dev.vigil.e2e.harness.StackServiceDiscovery;
import dev.vigil.e2e.harness.TestNetwork;
import dev.vigil.e2e.harness.Workloads;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.sharding.RendezvousSharding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack's shards follow {@code kubectl scale} without scraping a target twice or losing the
 * samples of a removed shard, on the real API server with real Prometheus processes.
 *
 * <p>A MonitoringStack of 2 shards with {@code shardRetention: {whenScaled: Retain, retain:
 * {retentionPeriod: 20s}}} and a PodMonitor over 12 stand-in apps (in the test's network namespace,
 * {@link TestNetwork}), Thanos on (Query's endpoints follow the running shards); one real
 * Prometheus per shard on the configuration Vigil renders into the shard's Secret (paths moved to
 * the test's directory, SD refresh 1 s), fed by Vigil's HTTP SD.
 *
 * <ul>
 *   <li>Before and after {@code kubectl scale monitoringstack/grow --replicas=3} (the scale
 *       subresource on {@code spec.scraper.shards}): the instant {@code up} series of all shards'
 *       Prometheus together hold every target exactly once, on the shard Vigil's HTTP SD serves it
 *       to; growing moves targets only to the new shard. The {@code /scale} an HPA reads has the
 *       replicas and a selector that picks exactly the serving shards' pods.
 *   <li>After {@code --replicas=2}: shard 2 is retained ({@code status.retainedShards}, the Ready
 *       message); its HTTP SD answers are 200 with an empty list, so its Prometheus drops the
 *       targets (their {@code up} goes stale there) while shards 0 and 1 take them back, each
 *       target once; it still answers a query at a time before the scale-down with the samples it
 *       scraped; its StatefulSet, config Secret, governing Service and PDB stay and its pods are
 *       still behind the stack's query Service, but not in the scale selector.
 *   <li>When the 20 s window ends, Vigil deletes shard 2's objects (not before its {@code until})
 *       and clears the status.
 * </ul>
 *
 * <p>A second test checks the schema: a stack written without {@code spec.scraper} scales (the API
 * server defaults it, so its scale reads 1 shard, not 0), and a negative retention period is
 * refused with the schema's message.
 */
class ShardScalingIT {
  static final String NS = "e2e-shard-scaling";
  static final String STACK = "grow";
  static final String JOB = "podMonitor/" + NS + "/targets/0";
  static final int TARGETS = 12;
  static final Duration WINDOW = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();

  static KubernetesClient admin;
  static VigilOperator vigil;
  static TestNetwork network;
  static String host;
  static int sdPort;
  static final List<AutoCloseable> processes = new ArrayList<>();
  static final List<String> targets = new ArrayList<>();

  @TempDir static Path work;

  @BeforeAll
  static void start() throws Exception {
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
  void growingAndShrinkingScrapesEveryTargetOnceAndKeepsTheRemovedShardForItsWindow()
      throws Exception {
    long began = System.nanoTime();
    Path logs = Files.createDirectories(work.resolve("apps"));
    for (int port : portsOnEveryShard()) {
      network.metricsServer(
          host,
          port,
          "# TYPE demo_requests_total counter\ndemo_requests_total 1\n",
          logs.resolve("app-" + port + ".log"));
      Workloads.runningPod(
          admin,
          Workloads.standInApp(NS, "app-" + port, Map.of("app", "scaled"), port),
          host,
          "10.0.0.1");
      targets.add(host + ":" + port);
    }
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper:
            shards: 2
            replicas: 2
            scrapeInterval: 1s
            scrapeTimeout: 1s
            shardRetention: {whenScaled: Retain, retain: {retentionPeriod: 20s}}
          thanos: {enabled: true}
          monitorSelector:
            labelSelector: {matchLabels: {team: e2e}}
            namespaceSelector: {}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: targets, namespace: %s, labels: {team: e2e}}
        spec:
          selector: {matchLabels: {app: scaled}}
          podMetricsEndpoints: [{port: metrics}]
        """
            .formatted(STACK, NS, NS));

    Map<Integer, RealPrometheus> shards = new TreeMap<>();
    for (int shard = 0; shard < 2; shard++) {
      shards.put(shard, startShard(shard));
    }
    Map<String, Integer> before = awaitEachTargetOnce(shards, 2);
    System.out.printf("2 shards: %s%n", perShard(before));

    // Grow through the scale subresource, as an HPA or a person would.
    assertThat(kubectl("scale", "monitoringstack/" + STACK, "-n", NS, "--replicas=3"))
        .contains("scaled");
    assertThat(stack().getSpec().scraper.shards).isEqualTo(3);
    shards.put(2, startShard(2));
    Map<String, Integer> grown = awaitEachTargetOnce(shards, 3);
    System.out.printf("3 shards: %s%n", perShard(grown));
    List<String> moved = new ArrayList<>();
    grown.forEach(
        (target, shard) -> {
          if (shard == 2) {
            moved.add(target);
          } else {
            assertThat(shard).as("%s stays where it was", target).isEqualTo(before.get(target));
          }
        });
    assertThat(moved).as("the new shard takes some targets").isNotEmpty();
    JsonNode scale = awaitScale(3, 3);
    String selector = scale.path("status").path("selector").asText();
    assertThat(selector)
        .isEqualTo(
            "app.kubernetes.io/component=prometheus,app.kubernetes.io/instance="
                + STACK
                + ",monitoring.vigil.dev/shard in (0,1,2)");
    // The pods the StatefulSets would run (no controller runs here): the selector picks them.
    for (int shard = 0; shard < 3; shard++) {
      podOf(statefulSet(shard));
    }
    assertThat(podNames(admin.pods().inNamespace(NS).withLabelSelector(selector).list().getItems()))
        .containsExactly(
            STACK + "-prometheus-0-0", STACK + "-prometheus-1-0", STACK + "-prometheus-2-0");

    // Let shard 2 hold a few samples of its targets, then shrink.
    Thread.sleep(2_000);
    Instant beforeShrink = Instant.now().minusSeconds(1);
    assertThat(kubectl("scale", "monitoringstack/" + STACK, "-n", NS, "--replicas=2"))
        .contains("scaled");
    MonitoringStack retained =
        await("shard 2 retained in the status")
            .atMost(Duration.ofSeconds(30))
            .until(
                ShardScalingIT::stack,
                s ->
                    s.getStatus() != null
                        && s.getStatus().retainedShards != null
                        && Integer.valueOf(2).equals(s.getStatus().shards));
    assertThat(retained.getStatus().retainedShards).hasSize(1);
    RetainedShard record = retained.getStatus().retainedShards.get(0);
    assertThat(record.shard).isEqualTo(2);
    Instant until = Instant.parse(record.until);
    assertThat(Duration.between(Instant.parse(record.since), until)).isEqualTo(WINDOW);
    assertThat(retained.getStatus().condition("Ready").orElseThrow().getMessage())
        .contains("1 retained shard(s) scrape nothing and still answer queries: shard 2 until");
    scale = awaitScale(2, 2);
    assertThat(scale.path("status").path("selector").asText()).endsWith("shard in (0,1)");
    assertThat(
            podNames(
                admin
                    .pods()
                    .inNamespace(NS)
                    .withLabelSelector(scale.path("status").path("selector").asText())
                    .list()
                    .getItems()))
        .containsExactly(STACK + "-prometheus-0-0", STACK + "-prometheus-1-0");
    // The stack's query Service still sends queries to the retained shard's pods.
    Service query = admin.services().inNamespace(NS).withName(STACK + "-prometheus").get();
    assertThat(query).as("the stack's query Service").isNotNull();
    assertThat(
            podNames(
                admin
                    .pods()
                    .inNamespace(NS)
                    .withLabels(query.getSpec().getSelector())
                    .list()
                    .getItems()))
        .contains(STACK + "-prometheus-2-0");

    // Shard 2 is answered an empty list (200), so its Prometheus drops the targets; 0 and 1 take
    // them back, every target once again.
    await("shard 2's HTTP SD answer: 200 and an empty list")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(new StackServiceDiscovery(admin, sdPort, NS, STACK, 2).targets(JOB))
                    .isEmpty());
    Map<String, Integer> shrunk = awaitEachTargetOnce(shards, 2);
    System.out.printf("2 shards and shard 2 retained: %s%n", perShard(shrunk));
    assertThat(shrunk).isEqualTo(before);
    RealPrometheus shard2 = shards.get(2);
    assertThat(shard2.activeTargets()).isEmpty();
    assertThat(shard2.query("up")).as("up of the moved targets is stale on shard 2").isEmpty();
    // ... and it still answers for what it scraped.
    JsonNode past = shard2.api("/api/v1/query?query=up&time=" + beforeShrink.getEpochSecond());
    List<String> answered = new ArrayList<>();
    past.path("result").forEach(s -> answered.add(s.path("metric").path("instance").asText()));
    assertThat(answered).containsExactlyInAnyOrderElementsOf(moved);

    // Its objects stay for the window.
    assertThat(statefulSet(2)).isNotNull();
    assertThat(admin.secrets().inNamespace(NS).withName(STACK + "-prometheus-2-config").get())
        .isNotNull();
    assertThat(admin.services().inNamespace(NS).withName(STACK + "-prometheus-2").get())
        .isNotNull();
    assertThat(
            admin
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withName(STACK + "-prometheus-2")
                .get())
        .isNotNull();
    assertThat(queryEndpoints()).contains(endpoint(2));
    assertThat(reloaderSecrets()).contains(STACK + "-prometheus-2-config");
    String retainedConfig =
        RealApiServer.secretText(NS, STACK + "-prometheus-2-config", "prometheus.yml.gz")
            .orElseThrow();
    assertThat(retainedConfig).contains("/sd/v1/" + NS + "/" + STACK + "/2/");

    // Then Vigil deletes them, at the end of the window and not before.
    await("shard 2's StatefulSet deleted when its window ends")
        .atMost(WINDOW.plusSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> statefulSet(2) == null);
    Instant deleted = Instant.now();
    assertThat(deleted).isAfterOrEqualTo(until);
    System.out.printf(
        "shard 2 deleted %d ms after its deadline%n", Duration.between(until, deleted).toMillis());
    assertThat(admin.secrets().inNamespace(NS).withName(STACK + "-prometheus-2-config").get())
        .isNull();
    assertThat(admin.services().inNamespace(NS).withName(STACK + "-prometheus-2").get()).isNull();
    assertThat(
            admin
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withName(STACK + "-prometheus-2")
                .get())
        .isNull();
    await("Thanos Query and the reloader's Role without shard 2")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(queryEndpoints()).containsExactly(endpoint(0), endpoint(1));
              assertThat(reloaderSecrets()).doesNotContain(STACK + "-prometheus-2-config");
            });
    await("status without retained shards")
        .atMost(Duration.ofSeconds(10))
        .until(() -> stack().getStatus().retainedShards == null);
    assertThat(statefulSet(0)).isNotNull();
    assertThat(statefulSet(1)).isNotNull();
    System.out.printf(
        "2 -> 3 -> 2 shards over %d targets, shard 2 retained %s: %d ms%n",
        TARGETS, WINDOW, Duration.ofNanos(System.nanoTime() - began).toMillis());
  }

  @Test
  void aStackWithoutScraperScalesAndABadPeriodIsRefused() throws Exception {
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: bare, namespace: %s}
        spec: {}
        """
            .formatted(NS));
    JsonNode scale = scaleOf("bare");
    assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(1);
    kubectl("scale", "monitoringstack/bare", "-n", NS, "--replicas=2");
    assertThat(
            admin
                .resources(MonitoringStack.class)
                .inNamespace(NS)
                .withName("bare")
                .get()
                .getSpec()
                .scraper
                .shards)
        .isEqualTo(2);
    assertThatThrownBy(
            () ->
                RealApiServer.apply(
                    admin,
                    """
                    apiVersion: monitoring.vigil.dev/v1alpha1
                    kind: MonitoringStack
                    metadata: {name: negative, namespace: %s}
                    spec:
                      scraper:
                        shardRetention: {whenScaled: Retain, retain: {retentionPeriod: -5m}}
                    """
                        .formatted(NS)))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "shardRetention.retain.retentionPeriod must be a Prometheus duration such as 20s,"
                + " 2h or 7d");
    assertThatThrownBy(
            () ->
                RealApiServer.apply(
                    admin,
                    """
                    apiVersion: monitoring.vigil.dev/v1alpha1
                    kind: MonitoringStack
                    metadata: {name: unknown, namespace: %s}
                    spec:
                      scraper:
                        shardRetention: {whenScaled: Keep}
                    """
                        .formatted(NS)))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("Unsupported value: \"Keep\"");
  }

  /** Starts the Prometheus of a shard on the configuration Vigil rendered for it. */
  static RealPrometheus startShard(int shard) throws Exception {
    RealPrometheus prometheus =
        ShardPrometheus.start(NS, STACK, shard, JOB, work.resolve("shard-" + shard), true);
    processes.add(prometheus);
    return prometheus;
  }

  /**
   * Waits until the instant {@code up} series of every shard's Prometheus hold each target exactly
   * once, each on the shard Vigil's HTTP SD serves it to, and {@code serving} shards are served.
   *
   * @return each target's shard
   */
  static Map<String, Integer> awaitEachTargetOnce(Map<Integer, RealPrometheus> shards, int serving)
      throws Exception {
    Map<String, Integer> placed = new TreeMap<>();
    await("every target's up series exactly once over all shards")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, List<Integer>> seen = new TreeMap<>();
              for (var entry : shards.entrySet()) {
                for (JsonNode series : entry.getValue().query("up")) {
                  String instance = series.path("metric").path("instance").asText();
                  if (targets.contains(instance)) {
                    seen.computeIfAbsent(instance, i -> new ArrayList<>()).add(entry.getKey());
                  }
                }
              }
              Map<String, List<Integer>> served = new TreeMap<>();
              for (int shard : shards.keySet()) {
                for (String target :
                    new StackServiceDiscovery(admin, sdPort, NS, STACK, shard).targets(JOB)) {
                  served.computeIfAbsent(target, t -> new ArrayList<>()).add(shard);
                }
              }
              assertThat(new TreeSet<>(served.keySet()))
                  .containsExactlyElementsOf(new TreeSet<>(targets));
              assertThat(served.values().stream().flatMap(List::stream).distinct().count())
                  .as("shards served")
                  .isEqualTo(serving);
              assertThat(seen).as("up series per target, by shard").isEqualTo(served);
              served.forEach(
                  (target, on) ->
                      assertThat(on)
                          .as("%s on its rendezvous shard of %d", target, serving)
                          .containsExactly(
                              RendezvousSharding.shardOf(
                                  RendezvousSharding.targetKey(JOB, target), serving)));
              placed.clear();
              seen.forEach((target, on) -> placed.put(target, on.get(0)));
            });
    return placed;
  }

  /**
   * {@value #TARGETS} ports for the stand-in apps whose targets rendezvous hashing spreads over all
   * three shards, at least two on each: the network's address is drawn anew each run, and with
   * twelve arbitrary ports the new shard gets none about once in 130 runs ((2/3)^12). Growing only
   * moves targets to the new shard, so shards 0 and 1 hold some at two shards as well.
   */
  static List<Integer> portsOnEveryShard() throws Exception {
    List<Integer> chosen = new ArrayList<>();
    int[] perShard = new int[3];
    for (int i = 0; chosen.size() < TARGETS; i++) {
      assertThat(i).as("candidate ports for 2 targets on each of 3 shards").isLessThan(500);
      int port = network.isolated() ? 9100 + i : RealPrometheus.freePort();
      int shard =
          RendezvousSharding.shardOf(RendezvousSharding.targetKey(JOB, host + ":" + port), 3);
      int missing = 0;
      for (int on : perShard) {
        missing += Math.max(0, 2 - on);
      }
      // A port is taken if its shard still lacks a target, or if it leaves room for those missing.
      if (perShard[shard] < 2 || TARGETS - chosen.size() > missing) {
        perShard[shard]++;
        chosen.add(port);
      }
    }
    return chosen;
  }

  static Map<Integer, List<String>> perShard(Map<String, Integer> placed) {
    Map<Integer, List<String>> byShard = new TreeMap<>();
    placed.forEach((t, s) -> byShard.computeIfAbsent(s, x -> new ArrayList<>()).add(t));
    return byShard;
  }

  /** The {@code /scale} of a stack, as an HorizontalPodAutoscaler reads it. */
  static JsonNode scaleOf(String name) throws Exception {
    return JSON.readTree(
        kubectl(
            "get",
            "--raw",
            "/apis/monitoring.vigil.dev/v1alpha1/namespaces/"
                + NS
                + "/monitoringstacks/"
                + name
                + "/scale"));
  }

  static JsonNode awaitScale(int spec, int status) {
    return await("the scale subresource: " + spec + " wanted, " + status + " serving")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> scaleOf(STACK),
            s ->
                s.path("kind").asText().equals("Scale")
                    && s.path("spec").path("replicas").asInt() == spec
                    && s.path("status").path("replicas").asInt() == status
                    && s.path("status").path("selector").asText().endsWith(")"));
  }

  /** The {@code --endpoint} arguments of the stack's Thanos Query Deployment. */
  static List<String> queryEndpoints() {
    return admin
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(STACK + "-thanos-query")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getArgs()
        .stream()
        .filter(a -> a.startsWith("--endpoint="))
        .toList();
  }

  static String endpoint(int shard) {
    return "--endpoint=dnssrv+_grpc._tcp." + STACK + "-prometheus-" + shard + "." + NS + ".svc";
  }

  /** The Secrets the shards' reloaders may read. */
  static List<String> reloaderSecrets() {
    return admin
        .rbac()
        .roles()
        .inNamespace(NS)
        .withName(STACK + "-prometheus-reloader")
        .get()
        .getRules()
        .get(0)
        .getResourceNames();
  }

  static MonitoringStack stack() {
    return admin.resources(MonitoringStack.class).inNamespace(NS).withName(STACK).get();
  }

  static StatefulSet statefulSet(int shard) {
    return admin
        .apps()
        .statefulSets()
        .inNamespace(NS)
        .withName(STACK + "-prometheus-" + shard)
        .get();
  }

  /**
   * Creates replica 0's pod of {@code sts} from its template, as the StatefulSet controller would.
   */
  static void podOf(StatefulSet sts) {
    String name = sts.getMetadata().getName() + "-0";
    if (admin.pods().inNamespace(NS).withName(name).get() != null) {
      return;
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .withSpec(sts.getSpec().getTemplate().getSpec())
            .build();
    admin.resource(pod).create();
  }

  static List<String> podNames(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }
}
