package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.KubeletEnv;
import dev.vigil.e2e.harness.MountedSecrets;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.StackServiceDiscovery;
import dev.vigil.e2e.harness.TestNetwork;
import dev.vigil.e2e.harness.Workloads;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write with real processes: a MonitoringStack whose scraper remote-writes, with basic auth
 * from a Secret and a {@code queueConfig}, to a receiver; the operator on the real API server
 * renders the shard's {@code prometheus.yml} and copies the Secret's keys into the stack's
 * credentials Secret, which the shard's StatefulSet mounts. The shard runs as the real Prometheus
 * on that configuration, with the StatefulSet's Secret volumes written where the pod would have
 * them (below this test's directory) and its {@code POD_NAME} as the kubelet sets it; it scrapes a
 * stand-in app found through the operator's HTTP SD. The receiver is a second real Prometheus with
 * {@code --web.enable-remote-write-receiver} behind its own {@code --web.config.file} basic auth (a
 * bcrypt hash of the Secret's password). It proves:
 *
 * <ul>
 *   <li>the receiver's queries return the shard's samples (the target's {@code up} and the app's
 *       counter) with the shard's external labels ({@code cluster}, {@code prometheus_shard},
 *       {@code prometheus_replica});
 *   <li>a second remote write to the same receiver whose Secret holds a wrong password is refused
 *       (401): its samples are counted failed, none sent;
 *   <li>the spec's queue settings are the running queue's ({@code prometheus_remote_storage_*}
 *       gauges) and the loaded configuration's.
 * </ul>
 *
 * <p>Only addresses and paths are moved: the remote write URL's in-cluster host to the receiver's
 * loopback port, and the pod's mount paths to this test's directory.
 */
class RemoteWriteIT {
  static final String NS = "e2e-remote-write";
  static final String STACK = "writer";
  static final String USER = "vigil-writer";
  static final String RECEIVER_HOST = "receiver." + NS + ".svc:9090";
  static final YAMLMapper YAML = new YAMLMapper();

  static KubernetesClient admin;
  static VigilOperator vigil;
  static int sdPort;
  static TestNetwork network;
  static String appAddress;
  static String password;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    network = TestNetwork.open();
    String host = network.address(0);
    int port = network.isolated() ? 9100 : RealPrometheus.freePort();
    appAddress = host + ":" + port;
    Path logs = Files.createDirectories(RealApiServer.REPO.resolve("e2e/target/remote-write-app"));
    network.metricsServer(
        host, port, "# TYPE rw_demo_total counter\nrw_demo_total 42\n", logs.resolve("app.log"));
    password = "pw-" + Long.toHexString(new SecureRandom().nextLong());
    RealApiServer.apply(
        admin,
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: receiver-auth, namespace: %1$s}
        stringData: {username: %2$s, password: %3$s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: stale-auth, namespace: %1$s}
        stringData: {username: %2$s, password: not-the-password}
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: app, namespace: %1$s}
        spec:
          selector: {matchLabels: {app: rw-app}}
          podMetricsEndpoints: [{port: metrics}]
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %4$s, namespace: %1$s}
        spec:
          scraper:
            scrapeInterval: 1s
            scrapeTimeout: 1s
            externalLabels: {cluster: e2e-rw}
            remoteWrite:
              - url: http://%5$s/api/v1/write
                name: receiver
                basicAuth:
                  username: {name: receiver-auth, key: username}
                  password: {name: receiver-auth, key: password}
                queueConfig:
                  capacity: 1234
                  minShards: 2
                  maxShards: 3
                  maxSamplesPerSend: 77
                  batchSendDeadline: 1s
              - url: http://%5$s/api/v1/write
                name: stale
                basicAuth:
                  username: {name: stale-auth, key: username}
                  password: {name: stale-auth, key: password}
                queueConfig: {batchSendDeadline: 1s}
        """
            .formatted(NS, USER, password, STACK, RECEIVER_HOST));
    Workloads.runningPod(
        admin,
        Workloads.standInApp(NS, "app-0", Map.of("app", "rw-app"), port),
        host,
        network.hostAddress());
    sdPort = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, sdPort, NS);
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

  @Test
  void theReceiverGetsTheShardsSamplesWithItsLabelsAndQueueSettings(@TempDir Path work)
      throws Exception {
    String job = "podMonitor/" + NS + "/app/0";
    // As prometheus-operator labels a PodMonitor's targets.
    String jobLabel = NS + "/app";
    String shardName = STACK + "-prometheus-0";
    StackServiceDiscovery sd = new StackServiceDiscovery(admin, sdPort, NS, STACK, 0);
    await("the shard's configuration, credentials and target")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                RealApiServer.secretText(NS, shardName + "-config", "prometheus.yml.gz")
                        .filter(c -> c.contains(job) && c.contains("name: stale"))
                        .isPresent()
                    && admin.apps().statefulSets().inNamespace(NS).withName(shardName).get() != null
                    && admin
                            .secrets()
                            .inNamespace(NS)
                            .withName(STACK + "-prometheus-credentials")
                            .get()
                        != null
                    && sd.targets(job).equals(List.of(appAddress)));
    String rendered =
        RealApiServer.secretText(NS, shardName + "-config", "prometheus.yml.gz").orElseThrow();
    JsonNode remoteWrite = YAML.readTree(rendered).path("remote_write");
    System.out.printf("RemoteWriteIT: rendered remote_write:%n%s%n", remoteWrite);
    // Credentials are files from the mounted Secret, never values in the configuration.
    assertThat(rendered).doesNotContain(password).doesNotContain("not-the-password");
    assertThat(remoteWrite.get(0).path("basic_auth").path("password_file").asText())
        .isEqualTo("/etc/prometheus/secrets/" + NS + "/receiver-auth/password");

    // The shard's pod: its Secret volumes below work/pod, its environment as the kubelet sets it.
    StatefulSet shard = admin.apps().statefulSets().inNamespace(NS).withName(shardName).get();
    Container container =
        shard.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("prometheus"))
            .findFirst()
            .orElseThrow();
    Path pod = work.resolve("pod");
    MountedSecrets secrets =
        MountedSecrets.write(NS, shard.getSpec().getTemplate().getSpec(), container, pod);
    assertThat(
            Files.readString(
                pod.resolve("etc/prometheus/secrets/" + NS + "/receiver-auth/password")))
        .isEqualTo(password);
    Pod shardPod =
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder().withName(shardName + "-0").withNamespace(NS).build())
            .withSpec(shard.getSpec().getTemplate().getSpec())
            .build();
    Map<String, String> env =
        KubeletEnv.of(shardPod, container, "node-a", "127.0.0.1", "127.0.0.1");

    // The receiver: basic auth with a bcrypt hash of the Secret's password (Prometheus accepts
    // only bcrypt there). BouncyCastle is on the test classpath through kube-api-test, which makes
    // the API server's certificates with it.
    Path receiverDir = Files.createDirectories(work.resolve("receiver"));
    Path webConfig = receiverDir.resolve("web.yml");
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    Files.writeString(
        webConfig,
        "basic_auth_users:\n  %s: '%s'\n"
            .formatted(USER, OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, 10)));
    Path receiverConfig = receiverDir.resolve("prometheus.yml");
    Files.writeString(receiverConfig, "global: {scrape_interval: 1m}\n");
    int receiverPort = RealPrometheus.freePort();
    String authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));

    Path shardConfig = pod.resolve("prometheus.yml");
    Files.writeString(
        shardConfig,
        secrets.relocate(rendered).replace(RECEIVER_HOST, "127.0.0.1:" + receiverPort));
    long start = System.nanoTime();
    try (RealPrometheus receiver =
            RealPrometheus.start(
                receiverConfig,
                receiverDir,
                receiverPort,
                List.of("--web.enable-remote-write-receiver", "--web.config.file=" + webConfig),
                Map.of(),
                authorization);
        RealPrometheus prometheus =
            RealPrometheus.start(
                shardConfig, pod, RealPrometheus.freePort(), List.of(), env, null)) {
      Map<String, String> shardLabels =
          Map.of(
              "cluster", "e2e-rw", "prometheus_shard", "0", "prometheus_replica", shardName + "-0");
      await("the shard's samples at the receiver")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                List<JsonNode> up = receiver.query("up{job=\"" + jobLabel + "\"}");
                assertThat(up)
                    .as(
                        "receiver's up; shard's targets %s; shard log:%n%s",
                        prometheus.activeTargets(), prometheus.log())
                    .hasSize(1);
                assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
                assertThat(receiver.query("rw_demo_total")).hasSize(1);
              });
      System.out.printf(
          "RemoteWriteIT: first samples at the receiver %d ms after the processes started%n",
          Duration.ofNanos(System.nanoTime() - start).toMillis());
      JsonNode up = receiver.query("up{job=\"" + jobLabel + "\"}").get(0).path("metric");
      Map<String, String> labels = new TreeMap<>();
      up.fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
      assertThat(labels)
          .containsAllEntriesOf(shardLabels)
          .containsEntry("instance", appAddress)
          .containsEntry("namespace", NS)
          .containsEntry("pod", "app-0");
      JsonNode demo = receiver.query("rw_demo_total").get(0);
      assertThat(demo.path("value").get(1).asText()).isEqualTo("42");
      Map<String, String> demoLabels = new TreeMap<>();
      demo.path("metric")
          .fields()
          .forEachRemaining(f -> demoLabels.put(f.getKey(), f.getValue().asText()));
      assertThat(demoLabels).containsAllEntriesOf(shardLabels).containsEntry("job", jobLabel);

      // The queue runs with the spec's settings.
      String receiverQueue = "remote_name=\"receiver\"";
      assertThat(prometheus.metric("prometheus_remote_storage_shard_capacity", receiverQueue))
          .isEqualTo(1234);
      assertThat(prometheus.metric("prometheus_remote_storage_shards_min", receiverQueue))
          .isEqualTo(2);
      assertThat(prometheus.metric("prometheus_remote_storage_shards_max", receiverQueue))
          .isEqualTo(3);
      assertThat(prometheus.metric("prometheus_remote_storage_max_samples_per_send", receiverQueue))
          .isEqualTo(77);
      JsonNode loaded =
          YAML.readTree(prometheus.api("/api/v1/status/config").path("yaml").asText())
              .path("remote_write");
      JsonNode queue = loaded.get(0).path("queue_config");
      assertThat(loaded.get(0).path("name").asText()).isEqualTo("receiver");
      assertThat(queue.path("capacity").asInt()).isEqualTo(1234);
      assertThat(queue.path("min_shards").asInt()).isEqualTo(2);
      assertThat(queue.path("max_shards").asInt()).isEqualTo(3);
      assertThat(queue.path("max_samples_per_send").asInt()).isEqualTo(77);
      assertThat(queue.path("batch_send_deadline").asText()).isEqualTo("1s");

      // The stale password is refused (401): its samples fail; the good queue has none failed.
      await("the stale queue's samples refused")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  prometheus.metric(
                          "prometheus_remote_storage_samples_failed_total", "remote_name=\"stale\"")
                      > 0);
      // Every sample it tried (samples_total counts attempts) failed.
      double staleFailed =
          prometheus.metric(
              "prometheus_remote_storage_samples_failed_total", "remote_name=\"stale\"");
      assertThat(
              prometheus.metric("prometheus_remote_storage_samples_total", "remote_name=\"stale\""))
          .isEqualTo(staleFailed);
      assertThat(prometheus.metric("prometheus_remote_storage_samples_failed_total", receiverQueue))
          .isZero();
      assertThat(prometheus.metric("prometheus_remote_storage_samples_total", receiverQueue))
          .isPositive();
      assertThat(prometheus.log()).contains("401");
      assertThat(prometheus.assertTrafficStaysLocal(network)).isNotEmpty();
    }
  }
}
