package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import dev.vigil.api.v1alpha1.alertpolicy.WebhookReceiver;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.KubeletEnv;
import dev.vigil.e2e.harness.MountedSecrets;
import dev.vigil.e2e.harness.RealAlertmanager;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alertmanager as the HA gossip cluster Vigil renders, with real processes: a MonitoringStack with
 * {@code alertmanager.replicas: 2} on the real API server, the operator rendering the StatefulSet,
 * {@code alertmanager.yml}, the rules and the shard's {@code prometheus.yml}; two real
 * Alertmanagers on exactly the StatefulSet container's arguments (their {@code $(POD_IP)} expanded
 * as the kubelet does) and the real Prometheus on the shard's configuration, which sends every
 * alert to both. It proves:
 *
 * <ul>
 *   <li>the peers form one cluster ({@code /api/v2/status}: {@code ready}, two peers);
 *   <li>one alert, received by both peers, gives exactly one notification: the peer later in the
 *       cluster's order finds it in the notification log gossiped by the first and sends nothing;
 *   <li>a silence created with amtool on one peer reaches the other, which lists it and sends no
 *       notification for a matching alert, while a control alert sent with it is notified once;
 *   <li>when the peer that would notify is killed (SIGKILL) after the alert reached both and before
 *       its group wait ended, the survivor notifies, exactly once.
 * </ul>
 *
 * <p>Only addresses are moved: pod {@code i}'s IP is the loopback address {@code 127.0.N.(2+i)}
 * (one random {@code N} per run), which {@code $(POD_IP)} expands to and the peers' DNS names
 * ({@code <stack>-alertmanager-<i>.<stack>-alertmanager.<ns>.svc}) resolve to; {@code
 * --web.listen-address=:9093} listens on that pod's address; every port is Vigil's (9093, 9094).
 * Files are where the pod has them, below this test's directory.
 */
class AlertmanagerHaIT {
  static final String NS = "e2e-alertmanager-ha";
  static final String STACK = "ha";
  static final String POLICY = "pager";
  static final ObjectMapper JSON = new ObjectMapper();

  /** The group wait of the policy's route: the window in which a peer is killed. */
  static final Duration GROUP_WAIT = Duration.ofSeconds(3);

  /** Alertmanager's default {@code --cluster.peer-timeout}: how long the second peer waits. */
  static final Duration PEER_TIMEOUT = Duration.ofSeconds(15);

  static KubernetesClient admin;
  static VigilOperator vigil;
  static HttpServer webhook;

  /** Every notification the webhook got: its alerts' names, in order. */
  static final List<List<String>> notifications = new CopyOnWriteArrayList<>();

  static final List<RealAlertmanager> alertmanagers = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/",
        exchange -> {
          List<String> names = new ArrayList<>();
          JSON.readTree(exchange.getRequestBody())
              .path("alerts")
              .forEach(a -> names.add(a.path("labels").path("alertname").asText()));
          notifications.add(names);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    webhook.start();
    int port = RealPrometheus.freePort();
    vigil = InProcessOperator.start(admin, port, NS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (RealAlertmanager alertmanager : alertmanagers) {
      alertmanager.close();
    }
    if (vigil != null) {
      vigil.close();
    }
    if (webhook != null) {
      webhook.stop(0);
    }
  }

  static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName(STACK).withNamespace(NS).build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper.evaluationInterval = "1s";
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    stack.getSpec().alertmanager.replicas = 2;
    return stack;
  }

  static Rule alert(String name, String forDuration) {
    Rule rule = new Rule();
    rule.alert = name;
    rule.expr = new IntOrString("vector(1)");
    rule.forDuration = forDuration;
    rule.labels = Map.of("severity", "page");
    return rule;
  }

  /** The policy: {@code HaDedup} fires at once; {@code HaFailover} is added for the failover. */
  static AlertPolicy policy(boolean failover) {
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(POLICY).withNamespace(NS).build());
    policy.setSpec(new AlertPolicySpec());
    RuleGroup group = new RuleGroup();
    group.name = "ha";
    group.interval = "1s";
    group.rules =
        failover
            ? List.of(alert("HaDedup", null), alert("HaFailover", null))
            : List.of(alert("HaDedup", null));
    policy.getSpec().groups = List.of(group);
    Receiver receiver = new Receiver();
    receiver.name = "hook";
    receiver.webhook = new WebhookReceiver();
    receiver.webhook.url = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
    policy.getSpec().routing = new Routing();
    policy.getSpec().routing.receivers = List.of(receiver);
    policy.getSpec().routing.route = new PolicyRoute();
    policy.getSpec().routing.route.receiver = "hook";
    policy.getSpec().routing.route.groupBy = List.of("alertname");
    policy.getSpec().routing.route.groupWait = GROUP_WAIT.toSeconds() + "s";
    policy.getSpec().routing.route.groupInterval = "2s";
    policy.getSpec().routing.route.repeatInterval = "1h";
    return policy;
  }

  static long notified(String alertname) {
    return notifications.stream().filter(n -> n.contains(alertname)).count();
  }

  @Test
  void twoPeersNotifyOnceSurviveAPeerAndShareSilences(@TempDir Path work) throws Exception {
    admin.resource(stack()).create();
    admin.resource(policy(false)).create();
    String amName = STACK + "-alertmanager";
    await("the operator's StatefulSet, alertmanager.yml, rules and prometheus.yml")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin.apps().statefulSets().inNamespace(NS).withName(amName).get() != null
                    && RealApiServer.secretText(NS, amName + "-config", "alertmanager.yml")
                        .filter(c -> c.contains(NS + "/" + POLICY + "/hook"))
                        .isPresent()
                    && RealApiServer.secretText(
                            NS, STACK + "-prometheus-0-config", "prometheus.yml.gz")
                        .filter(c -> c.contains(amName + "-1"))
                        .isPresent()
                    && admin
                            .configMaps()
                            .inNamespace(NS)
                            .withName(STACK + "-prometheus-rules-0")
                            .get()
                        != null);

    // Pod i of the StatefulSet is at 127.0.N.(2+i), under its stable DNS name.
    StatefulSet statefulSet = admin.apps().statefulSets().inNamespace(NS).withName(amName).get();
    assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(2);
    List<String> ips = loopbackPair();
    Map<String, String> dns = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      dns.put(amName + "-" + i + "." + amName + "." + NS + ".svc", ips.get(i));
    }
    String alertmanagerYml =
        RealApiServer.secretText(NS, amName + "-config", "alertmanager.yml").orElseThrow();
    long started = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      alertmanagers.add(startPeer(statefulSet, i, ips.get(i), dns, alertmanagerYml, work));
    }
    System.out.printf(
        "AlertmanagerHaIT: peers %s with arguments %s%n",
        ips, peerArguments(statefulSet, 0, ips.get(0), dns, work));

    // The real Prometheus on the shard's configuration: it sends to both peers.
    int prometheusPort = RealPrometheus.freePort();
    Path prometheusRoot = work.resolve("prometheus-0-0");
    RealPrometheus prometheus = startPrometheus(dns, prometheusRoot, prometheusPort);
    try (prometheus) {
      // Prometheus's notifier gets its Alertmanagers from discovery a moment after start.
      await("Prometheus sends to both peers")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                List<String> targets = new ArrayList<>();
                prometheus
                    .api("/api/v1/alertmanagers")
                    .path("activeAlertmanagers")
                    .forEach(a -> targets.add(a.path("url").asText()));
                assertThat(targets)
                    .containsExactlyInAnyOrder(
                        "http://" + ips.get(0) + ":9093/api/v2/alerts",
                        "http://" + ips.get(1) + ":9093/api/v2/alerts");
              });

      await("both peers in one ready cluster")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                for (RealAlertmanager peer : alertmanagers) {
                  JsonNode cluster = peer.api("/api/v2/status").path("cluster");
                  assertThat(cluster.path("status").asText())
                      .as("%s: %s%n%s", peer.name(), cluster, peer.log())
                      .isEqualTo("ready");
                  assertThat(cluster.path("peers")).as("%s: %s", peer.name(), cluster).hasSize(2);
                }
              });
      System.out.printf(
          "AlertmanagerHaIT: cluster ready %d ms after the peers started%n",
          Duration.ofNanos(System.nanoTime() - started).toMillis());

      // 1. One alert, held by both peers, is notified once.
      await("HaDedup notified")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(notified("HaDedup"))
                      .as("notifications %s; prometheus:%n%s", notifications, prometheus.log())
                      .isEqualTo(1));
      long firstNotification = System.nanoTime();
      for (RealAlertmanager peer : alertmanagers) {
        assertThat(peer.alertNames()).as(peer.name()).contains("HaDedup");
      }
      RealAlertmanager first = byPosition(0);
      RealAlertmanager second = byPosition(1);

      // 2. A silence made on one peer with amtool is honoured by the other.
      long silenceStart = System.nanoTime();
      String silence =
          RealApiServer.run(
                  Duration.ofSeconds(30),
                  RealApiServer.tool("VIGIL_AMTOOL"),
                  "--alertmanager.url=" + second.url(),
                  "silence",
                  "add",
                  "alertname=HaSilenced",
                  "--author=e2e",
                  "--comment=AlertmanagerHaIT",
                  "--duration=1h")
              .strip();
      assertThat(silence).matches("[0-9a-f-]{36}");
      await("the silence gossiped to " + first.name())
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () -> {
                List<String> active = new ArrayList<>();
                first
                    .api("/api/v2/silences")
                    .forEach(
                        s -> {
                          if ("active".equals(s.path("status").path("state").asText())) {
                            active.add(s.path("id").asText());
                          }
                        });
                assertThat(active).containsExactly(silence);
              });
      System.out.printf(
          "AlertmanagerHaIT: silence on %s listed by %s after %d ms%n",
          second.name(),
          first.name(),
          Duration.ofNanos(System.nanoTime() - silenceStart).toMillis());
      // To the peer that notifies first (no wait for a peer ahead of it): a silenced alert and a
      // control alert, labelled as the policy's rules label theirs.
      first.postAlerts(alerts(prometheus, "HaSilenced", "HaControl"));
      await("HaControl notified")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> notified("HaControl") == 1);
      JsonNode silenced = alert(first, "HaSilenced");
      assertThat(silenced.path("status").path("state").asText()).isEqualTo("suppressed");
      assertThat(silenced.path("status").path("silencedBy").get(0).asText()).isEqualTo(silence);

      // Until the second peer's turn for HaDedup has passed: still one notification.
      sleepUntil(firstNotification + PEER_TIMEOUT.plusSeconds(3).toNanos());
      assertThat(notified("HaDedup")).as("notifications %s", notifications).isEqualTo(1);
      assertThat(notified("HaSilenced")).as("notifications %s", notifications).isZero();
      assertThat(notified("HaControl")).as("notifications %s", notifications).isEqualTo(1);
      assertThat(sent(first)).as("webhook notifications sent by %s", first.name()).isEqualTo(2);
      assertThat(sent(second)).as("webhook notifications sent by %s", second.name()).isZero();

      // 3. HaFailover, added to the policy, reaches both peers; the one that would notify dies
      // before its group wait ends; the survivor notifies, once. The rule files reach Prometheus
      // as the reloader carries them: written into the rules volume, then POST /-/reload.
      admin
          .resources(AlertPolicy.class)
          .inNamespace(NS)
          .withName(POLICY)
          .edit(
              p -> {
                p.getSpec().groups = policy(true).getSpec().groups;
                return p;
              });
      await("HaFailover in the rules ConfigMap")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                      .configMaps()
                      .inNamespace(NS)
                      .withName(STACK + "-prometheus-rules-0")
                      .get()
                      .getData()
                      .values()
                      .stream()
                      .anyMatch(rules -> rules.contains("HaFailover")));
      writeRules(prometheusRoot);
      assertThat(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(RealPrometheus.reloadUrl(prometheusPort))
                          .POST(HttpRequest.BodyPublishers.noBody())
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      assertThat(notified("HaFailover")).isZero();
      await("HaFailover at both peers")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  first.alertNames().contains("HaFailover")
                      && second.alertNames().contains("HaFailover"));
      first.kill();
      long killed = System.nanoTime();
      assertThat(notified("HaFailover"))
          .as("HaFailover was notified before %s was killed: the test lost its window", first)
          .isZero();
      await("HaFailover notified by the survivor")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(notified("HaFailover"))
                      .as("notifications %s; survivor:%n%s", notifications, second.log())
                      .isEqualTo(1));
      System.out.printf(
          "AlertmanagerHaIT: %s killed, %s notified %d ms later%n",
          first.name(), second.name(), Duration.ofNanos(System.nanoTime() - killed).toMillis());
      Thread.sleep(3000);
      assertThat(notified("HaFailover")).as("notifications %s", notifications).isEqualTo(1);
      assertThat(notified("HaDedup")).as("notifications %s", notifications).isEqualTo(1);
      assertThat(sent(second)).as("webhook notifications sent by %s", second.name()).isEqualTo(1);
      assertThat(notifications).hasSize(3);
      assertThat(prometheus.assertTrafficStaysLocal()).isNotEmpty();
      System.out.printf(
          "AlertmanagerHaIT: %d ms from the peers' start to the end%n",
          Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
  }

  /**
   * Starts pod {@code i} of the StatefulSet: its alertmanager container's arguments, the files of
   * its volumes below {@code work/pod-i}.
   */
  static RealAlertmanager startPeer(
      StatefulSet statefulSet,
      int i,
      String ip,
      Map<String, String> dns,
      String alertmanagerYml,
      Path work)
      throws Exception {
    Container container = container(statefulSet);
    Path root = work.resolve("pod-" + i);
    // The reloader (init container) writes alertmanager.yml into the config volume.
    String configArg =
        container.getArgs().stream().filter(a -> a.startsWith("--config.file=")).findFirst().get();
    Path config = local(root, configArg.substring("--config.file=".length()));
    Files.createDirectories(config.getParent());
    Files.writeString(config, alertmanagerYml);
    List<String> args = peerArguments(statefulSet, i, ip, dns, work);
    return RealAlertmanager.start(
        statefulSet.getMetadata().getName() + "-" + i, args, ip, 9093, root);
  }

  /** The container's arguments for pod {@code i}, with addresses and paths moved. */
  static List<String> peerArguments(
      StatefulSet statefulSet, int i, String ip, Map<String, String> dns, Path work) {
    Container container = container(statefulSet);
    Pod pod =
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(statefulSet.getMetadata().getName() + "-" + i)
                    .withNamespace(NS)
                    .build())
            .withSpec(statefulSet.getSpec().getTemplate().getSpec())
            .build();
    Map<String, String> env = KubeletEnv.of(pod, container, "node-a", ip, ip);
    assertThat(env).containsEntry("POD_IP", ip);
    Path root = work.resolve("pod-" + i);
    List<String> args = new ArrayList<>();
    for (String arg : container.getArgs()) {
      String moved = KubeletEnv.expand(arg, env);
      for (Map.Entry<String, String> name : dns.entrySet()) {
        moved = moved.replace(name.getKey() + ":", name.getValue() + ":");
      }
      if (moved.equals("--web.listen-address=:9093")) {
        moved = "--web.listen-address=" + ip + ":9093";
      }
      for (VolumeMount mount : container.getVolumeMounts()) {
        moved = moved.replace("=" + mount.getMountPath(), "=" + local(root, mount.getMountPath()));
      }
      args.add(moved);
    }
    assertThat(args)
        .as("every address and path moved: %s", args)
        .noneMatch(a -> a.contains(".svc") || a.contains("$(") || a.contains("=/etc/"));
    return args;
  }

  static Container container(StatefulSet statefulSet) {
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("alertmanager"))
        .findFirst()
        .orElseThrow();
  }

  static Path local(Path root, String absolute) {
    return root.resolve(absolute.replaceFirst("^/+", ""));
  }

  /**
   * The shard's Prometheus (pod {@code <stack>-prometheus-0-0}) on {@code port}: its Secret volumes
   * and rules volume below {@code root}, the Alertmanagers' DNS names mapped by {@code dns}.
   */
  static RealPrometheus startPrometheus(Map<String, String> dns, Path root, int port)
      throws Exception {
    StatefulSet shard =
        admin.apps().statefulSets().inNamespace(NS).withName(STACK + "-prometheus-0").get();
    Container container =
        shard.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("prometheus"))
            .findFirst()
            .orElseThrow();
    MountedSecrets secrets =
        MountedSecrets.write(NS, shard.getSpec().getTemplate().getSpec(), container, root);
    Path rulesDir = writeRules(root);
    String config =
        secrets.relocate(
            RealApiServer.secretText(NS, STACK + "-prometheus-0-config", "prometheus.yml.gz")
                .orElseThrow()
                .replace("/etc/prometheus/rules/", rulesDir + "/"));
    for (Map.Entry<String, String> name : dns.entrySet()) {
      config = config.replace(name.getKey() + ":", name.getValue() + ":");
    }
    Path file = root.resolve("prometheus.yml");
    Files.writeString(file, config);
    Pod pod =
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(STACK + "-prometheus-0-0")
                    .withNamespace(NS)
                    .build())
            .withSpec(shard.getSpec().getTemplate().getSpec())
            .build();
    return RealPrometheus.start(
        file,
        root,
        port,
        List.of(),
        KubeletEnv.of(pod, container, "node-a", "127.0.0.1", "127.0.0.1"),
        null);
  }

  /**
   * Writes the shard's rule files below {@code root/rules} as its reloader does (one directory per
   * rules ConfigMap), and returns that directory.
   */
  static Path writeRules(Path root) throws IOException {
    Path rulesDir = root.resolve("rules");
    ConfigMap rules =
        admin.configMaps().inNamespace(NS).withName(STACK + "-prometheus-rules-0").get();
    for (Map.Entry<String, String> file : rules.getData().entrySet()) {
      Path path = rulesDir.resolve(STACK + "-prometheus-rules-0").resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return rulesDir;
  }

  /** The peer at {@code position} in the cluster's order (peer names sorted), as both see it. */
  static RealAlertmanager byPosition(int position) throws IOException {
    List<String> names = new ArrayList<>();
    alertmanagers
        .get(0)
        .api("/api/v2/status")
        .path("cluster")
        .path("peers")
        .forEach(p -> names.add(p.path("name").asText()));
    names.sort(Comparator.naturalOrder());
    for (RealAlertmanager peer : alertmanagers) {
      if (peer.api("/api/v2/status")
          .path("cluster")
          .path("name")
          .asText()
          .equals(names.get(position))) {
        return peer;
      }
    }
    throw new IllegalStateException("no peer at position " + position + " of " + names);
  }

  /** Webhook notifications {@code peer} has sent. */
  static double sent(RealAlertmanager peer) throws IOException {
    return peer.metric("alertmanager_notifications_total", "integration=\"webhook\"");
  }

  /**
   * Alerts named {@code names} with the labels Prometheus gave HaDedup (the policy's label, the
   * shard's, the rule's), as a JSON array for {@code POST /api/v2/alerts}.
   */
  static String alerts(RealPrometheus prometheus, String... names) throws IOException {
    JsonNode labels = null;
    for (JsonNode alert : prometheus.api("/api/v1/alerts").path("alerts")) {
      if ("HaDedup".equals(alert.path("labels").path("alertname").asText())) {
        labels = alert.path("labels");
      }
    }
    assertThat(labels).as("HaDedup's labels in Prometheus").isNotNull();
    assertThat(labels.path("vigil_policy").asText()).isEqualTo(NS + "/" + POLICY);
    ArrayNode alerts = JSON.createArrayNode();
    for (String name : names) {
      ObjectNode alert = alerts.addObject();
      ObjectNode copy = ((ObjectNode) labels).deepCopy();
      copy.put("alertname", name);
      alert.set("labels", copy);
    }
    return JSON.writeValueAsString(alerts);
  }

  static JsonNode alert(RealAlertmanager peer, String name) throws IOException {
    for (JsonNode alert : peer.api("/api/v2/alerts")) {
      if (name.equals(alert.path("labels").path("alertname").asText())) {
        return alert;
      }
    }
    throw new AssertionError(peer.name() + " has no alert " + name);
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      Thread.sleep(Duration.ofNanos(left).toMillis() + 1);
    }
  }

  /**
   * Two loopback addresses {@code 127.0.N.2} and {@code 127.0.N.3} (N random) on which Vigil's
   * ports 9093 (TCP) and 9094 (TCP and UDP) are free.
   */
  static List<String> loopbackPair() throws IOException {
    SecureRandom random = new SecureRandom();
    for (int attempt = 0; attempt < 20; attempt++) {
      int n = 16 + random.nextInt(230);
      List<String> ips = List.of("127.0." + n + ".2", "127.0." + n + ".3");
      if (ips.stream().allMatch(AlertmanagerHaIT::portsFree)) {
        return ips;
      }
    }
    throw new IllegalStateException("no loopback pair with 9093 and 9094 free");
  }

  static boolean portsFree(String ip) {
    try (ServerSocket web = new ServerSocket();
        ServerSocket mesh = new ServerSocket();
        DatagramSocket meshUdp = new DatagramSocket(null)) {
      InetAddress address = InetAddress.getByName(ip);
      web.bind(new InetSocketAddress(address, 9093));
      mesh.bind(new InetSocketAddress(address, 9094));
      meshUdp.bind(new InetSocketAddress(address, 9094));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
