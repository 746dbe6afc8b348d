package dev.vigil.e2e;

import static dev.vigil.e2e.harness.FaultWorld.API_JOB;
import static dev.vigil.e2e.harness.FaultWorld.APP_NS;
import static dev.vigil.e2e.harness.FaultWorld.STACK_NS;
import static dev.vigil.e2e.harness.FaultWorld.WORKER_JOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.harness.ControlPlane;
import dev.vigil.e2e.harness.FaultWorld;
import dev.vigil.e2e.harness.OperatorProcess;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on a real API server ({@link ControlPlane}, etcd and kube-apiserver owned by this test)
 * with the operator jar as real processes, running as the ServiceAccount of manifests/rbac with
 * leader election on, as a Deployment runs it: the leader is killed, the API server restarts, the
 * operator is killed during a burst of changes, a stack is deleted while no operator runs. Each
 * prints what it measured.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
  /** JOSDK's defaults, which the operator uses: lease 15 s, renew deadline 10 s, retry 2 s. */
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
  static final String LEASE_NS = "vigil-system";
  static final String LEASE = "vigil-operator-lock";

  /** A small, quick-starting JVM: the machine running the tests has two cores. */
  static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  static final Set<String> API_TARGETS =
      Set.of("10.244.0.1:8080", "10.244.0.2:8080", "10.244.0.3:8080");

  /** Kept after the run: the operators' and the API server's logs are the first thing to read. */
  static final Path dir = RealApiServer.REPO.resolve("e2e/target/faults-it");

  static ControlPlane plane;
  static KubernetesClient admin;
  static FaultWorld world;
  static Path operatorKubeconfig;
  static final List<OperatorProcess> operators = new ArrayList<>();
  static final Map<String, String> figures = new LinkedHashMap<>();

  @BeforeAll
  static void startControlPlaneAndWorld() throws Exception {
    long start = System.nanoTime();
    deleteRecursively(dir);
    Files.createDirectories(dir.resolve("plane"));
    plane = ControlPlane.start(dir.resolve("plane"));
    admin = plane.admin();
    try (Stream<Path> files = Files.list(RealApiServer.REPO.resolve("manifests/rbac"))) {
      plane.applyFiles(files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList());
    }
    operatorKubeconfig = plane.kubeconfigFor(LEASE_NS, "vigil-operator");
    world = new FaultWorld(admin);
    world.create();
    world.stack("alpha", 2);
    figure("control plane start", since(start));
  }

  @AfterEach
  void stopOperators() throws InterruptedException {
    for (OperatorProcess operator : operators) {
      operator.close();
    }
    operators.clear();
    // SIGTERM does not give the Lease back: without this, the next test's operator would wait for
    // it to expire.
    admin.resources(Lease.class).inNamespace(LEASE_NS).withName(LEASE).delete();
  }

  @AfterAll
  static void stopControlPlane() {
    if (plane != null) {
      plane.close();
    }
    StringBuilder report = new StringBuilder("FaultsIT figures:\n");
    figures.forEach(
        (name, value) -> report.append("  ").append(name).append(": ").append(value).append('\n'));
    System.out.print(report);
  }

  @Test
  @Order(1)
  void standbyTakesOverWithinTheLeaseAndDiscoveryKeepsAnswering() throws Exception {
    OperatorProcess a = operator("replica-a");
    awaitLeader("replica-a", Duration.ofSeconds(120));
    long start = System.nanoTime();
    converge(Duration.ofSeconds(120));
    figure("first convergence (leader elected → statuses stable)", since(start));
    OperatorProcess b = operator("replica-b");
    await().atMost(Duration.ofSeconds(90)).until(() -> status(b, "/readyz") == 200);
    String token = world.sdToken("alpha").orElseThrow();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> served(b, token, API_JOB).equals(Optional.of(API_TARGETS)));
    assertThat(holder()).as("the standby did not take the Lease").isEqualTo("replica-a");

    try (DiscoveryProbe probe = new DiscoveryProbe(List.of(a, b), token, API_TARGETS)) {
      probe.start();
      Thread.sleep(1000);
      long killed = System.nanoTime();
      a.kill();
      // Written while no replica leads: the new leader must act on it when it takes over.
      world.stack("alpha", 2, "20s");
      await()
          .atMost(LEASE_DURATION.plus(Duration.ofSeconds(45)))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> "replica-b".equals(holder()));
      Duration takeover = since(killed);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  world.statusesObserved()
                      && configOf("alpha", 0).contains("scrape_interval: 20s"));
      Duration converged = since(killed);
      Thread.sleep(500);
      probe.close();
      figure("failover: leader killed → standby holds the Lease", takeover);
      figure("failover: leader killed → change made meanwhile reconciled", converged);
      figure(
          "failover: longest gap in correct SD answers (any replica, polled every 100 ms)",
          probe.longestGapAny());
      figure("failover: longest gap in the standby's own SD answers", probe.longestGap(b));
      assertThat(takeover)
          .as("takeover within the lease duration plus two retry periods (and load)")
          .isLessThan(LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(2)).plusSeconds(8));
      assertThat(probe.longestGap(b))
          .as("the standby answers HTTP SD throughout the failover")
          .isLessThan(Duration.ofSeconds(2));
      assertThat(probe.wrongAnswers()).as("SD answers that were wrong").isZero();
    }
    // The survivor keeps following changes: a pod appears in the worker job.
    world.runningPod("worker-3", "worker", "10.244.1.4");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                served(b, token, WORKER_JOB)
                    .filter(t -> t.contains("10.244.1.4:8080"))
                    .isPresent());
    FaultWorld.assertNoProblems(world.orphansAndDuplicates());

    // A rolling update: SIGTERM ends the leader promptly, it gives the Lease back, and a standby
    // takes over at its next retry instead of waiting out the lease.
    OperatorProcess next = operator("replica-b2");
    await().atMost(Duration.ofSeconds(90)).until(() -> status(next, "/readyz") == 200);
    long terminated = System.nanoTime();
    b.close();
    operators.remove(b);
    Duration exited = since(terminated);
    awaitLeader("replica-b2", LEASE_DURATION.plus(Duration.ofSeconds(30)));
    Duration handover = since(terminated);
    figure("rolling update: SIGTERM → leader process exited", exited);
    figure("rolling update: SIGTERM → standby holds the Lease", handover);
    assertThat(exited)
        .as("the leader exits well within the grace period")
        .isLessThan(Duration.ofSeconds(15));
    assertThat(handover)
        .as("the Lease is released, not left to expire")
        .isLessThan(exited.plus(RETRY_PERIOD.multipliedBy(2)).plusSeconds(3));
  }

  @Test
  @Order(2)
  void survivesAnApiServerRestartAndFollowsChangesAfterIt() throws Exception {
    OperatorProcess operator = operator("replica-c");
    awaitLeader("replica-c", Duration.ofSeconds(120));
    converge(Duration.ofSeconds(120));
    String token = world.sdToken("alpha").orElseThrow();
    Set<String> workers = served(operator, token, WORKER_JOB).orElseThrow();

    long stopped;
    Duration outage;
    try (DiscoveryProbe probe = new DiscoveryProbe(List.of(operator), token, API_TARGETS)) {
      probe.start();
      Thread.sleep(500);
      stopped = System.nanoTime();
      plane.stopApiServer();
      plane.restartApiServer();
      outage = since(stopped);
      Thread.sleep(500);
      probe.close();
      figure("API server restart: outage (stop → ready again)", outage);
      figure("API server restart: longest gap in SD answers", probe.longestGap(operator));
      assertThat(probe.longestGap(operator))
          .as("HTTP SD answers from the operator's caches while the API server is away")
          .isLessThan(Duration.ofSeconds(2));
    }
    // Changes after the restart reach the config and SD: the watches came back by themselves.
    long changed = System.nanoTime();
    world.stack("alpha", 2, "25s");
    world.runningPod("worker-4", "worker", "10.244.1.5");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                configOf("alpha", 1).contains("scrape_interval: 25s")
                    && served(operator, token, WORKER_JOB)
                        .filter(t -> t.contains("10.244.1.5:8080"))
                        .isPresent());
    figure("API server restart: change after restart → config and SD", since(changed));
    assertThat(operator.isAlive()).as("the operator survived without a restart").isTrue();
    assertThat(holder()).isEqualTo("replica-c");
    assertThat(Files.readString(operator.log())).doesNotContain("Stopped leading");
    assertThat(served(operator, token, WORKER_JOB).orElseThrow()).containsAll(workers);
    converge(Duration.ofSeconds(90));
    FaultWorld.assertNoProblems(world.orphansAndDuplicates());

    // An outage longer than the renew deadline: the leader cannot know whether another replica
    // took over, so it exits (its pod restarts) rather than reconcile beside a new leader.
    long away = System.nanoTime();
    plane.stopApiServer();
    try {
      await()
          .atMost(RENEW_DEADLINE.plus(RETRY_PERIOD.multipliedBy(2)).plusSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !operator.isAlive());
      figure("API server away: → leader exited (renew deadline 10 s)", since(away));
    } finally {
      plane.restartApiServer();
    }
    assertThat(Files.readString(operator.log())).contains("lost the Lease");
  }

  @Test
  @Order(3)
  void aRestartDuringABurstEndsInTheWorldOfAnUninterruptedRun() throws Exception {
    OperatorProcess first = operator("replica-d");
    awaitLeader("replica-d", Duration.ofSeconds(120));
    converge(Duration.ofSeconds(120));

    List<Runnable> burst = burstOfChanges();
    long start = System.nanoTime();
    OperatorProcess restarted = null;
    for (int i = 0; i < burst.size(); i++) {
      burst.get(i).run();
      if (i == burst.size() / 3) {
        first.kill();
        operators.remove(first);
        // The same pod's container restarting: same HOSTNAME, so the same leader identity.
        restarted = operator("replica-d");
      }
      Thread.sleep(150);
    }
    figure("restart during burst: burst of " + burst.size() + " changes", since(start));
    Map<String, String> afterRestart = converge(Duration.ofSeconds(150));
    figure("restart during burst: kill → converged", since(start));
    assertThat(restarted.isAlive()).isTrue();
    FaultWorld.assertNoProblems(world.orphansAndDuplicates());
    String token = world.sdToken("alpha").orElseThrow();
    assertThat(FaultWorld.servedTargets(restarted, token, "alpha", 2, API_JOB))
        .hasValue(Set.of("10.244.0.2:8080", "10.244.0.3:8080", "10.244.0.4:8080"));
    assertThat(FaultWorld.servedTargets(restarted, token, "alpha", 2, WORKER_JOB))
        .hasValueSatisfying(
            t -> assertThat(t).contains("10.244.1.6:8080").doesNotContain("10.244.1.1:8080"));

    // What an uninterrupted run makes of the same inputs: no operator, everything Vigil made gone
    // (but the stack's SD token, whose value is random), then one fresh operator.
    stopOperators();
    for (GenericKubernetesResource made : world.madeObjects()) {
      if (!made.getMetadata().getName().endsWith("-sd-token")) {
        admin.resource(made).withGracePeriod(0).delete();
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                world.madeObjects().stream()
                    .allMatch(m -> m.getMetadata().getName().endsWith("-sd-token")));
    long fresh = System.nanoTime();
    operator("replica-e");
    awaitLeader("replica-e", Duration.ofSeconds(120));
    Map<String, String> uninterrupted = converge(Duration.ofSeconds(150));
    figure("restart during burst: fresh operator on the final inputs → converged", since(fresh));
    assertThat(FaultWorld.differences(afterRestart, uninterrupted))
        .as("the world after the interrupted run (first) and after an uninterrupted one (second)")
        .isEmpty();
  }

  @Test
  @Order(4)
  void aStackDeletedWhileTheOperatorIsDownIsCleanedUpOnItsReturn() throws Exception {
    OperatorProcess operator = operator("replica-f");
    awaitLeader("replica-f", Duration.ofSeconds(120));
    world.stack("beta", 1);
    String clusterRole = ClusterAccess.name(STACK_NS, "beta-kube-state-metrics");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                admin.rbac().clusterRoles().withName(clusterRole).get() != null
                    && admin.rbac().clusterRoleBindings().withName(clusterRole).get() != null);
    converge(Duration.ofSeconds(90));
    operator.close();
    operators.remove(operator);

    admin
        .genericKubernetesResources(FaultWorld.GROUP_VERSION, "MonitoringStack")
        .inNamespace(STACK_NS)
        .withName("beta")
        .delete();
    Thread.sleep(2000);
    GenericKubernetesResource terminating =
        admin
            .genericKubernetesResources(FaultWorld.GROUP_VERSION, "MonitoringStack")
            .inNamespace(STACK_NS)
            .withName("beta")
            .get();
    assertThat(terminating).as("the finalizer holds the stack while no operator runs").isNotNull();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();

    long back = System.nanoTime();
    operator("replica-f");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                admin
                        .genericKubernetesResources(FaultWorld.GROUP_VERSION, "MonitoringStack")
                        .inNamespace(STACK_NS)
                        .withName("beta")
                        .get()
                    == null);
    figure("deletion while down: operator started → stack cleaned up and gone", since(back));
    assertThat(admin.rbac().clusterRoles().withName(clusterRole).get()).isNull();
    assertThat(admin.rbac().clusterRoleBindings().withName(clusterRole).get()).isNull();
    // What garbage collection would delete (no kube-controller-manager runs here) is owned by the
    // deleted stack alone; the other stack's objects are untouched.
    String betaUid = terminating.getMetadata().getUid();
    for (GenericKubernetesResource made : world.madeObjects()) {
      if ("beta".equals(made.getMetadata().getLabels().get("app.kubernetes.io/instance"))) {
        assertThat(made.getMetadata().getOwnerReferences())
            .as(made.getKind() + " " + made.getMetadata().getName())
            .singleElement()
            .satisfies(o -> assertThat(o.getUid()).isEqualTo(betaUid));
      }
    }
    assertThat(world.statusesObserved()).isTrue();
  }

  /**
   * Changes to every kind of input: pods come and go, the api Service's endpoints move, the stack
   * grows a shard and loses it again, monitors and policies are edited, created and deleted. The
   * final inputs do not depend on when the operator ran.
   */
  static List<Runnable> burstOfChanges() {
    String podMonitor =
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: %s, namespace: %s, labels: {team: faults}}
        spec:
          selector: {matchLabels: {app: %s}}
          podMetricsEndpoints: [{port: metrics, interval: %s}]
        """;
    String policy =
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: AlertPolicy
        metadata: {name: %s, namespace: %s}
        spec:
          groups:
            - name: %s
              rules:
                - alert: %s
                  expr: %s
                  for: 5m
        """;
    return List.of(
        () -> world.runningPod("worker-5", "worker", "10.244.1.6"),
        () -> world.stack("alpha", 3, "25s"),
        () -> world.runningPod("api-3", "api", "10.244.0.4"),
        () -> world.apiEndpoints(List.of("api-0", "api-1", "api-2", "api-3")),
        () -> world.apply(podMonitor.formatted("extra", APP_NS, "api", "10s")),
        () ->
            world.apply(
                policy.formatted(
                    "latency", APP_NS, "latency", "Slow", "scrape_duration_seconds > 1")),
        () -> admin.pods().inNamespace(APP_NS).withName("worker-0").withGracePeriod(0).delete(),
        () -> world.apply(podMonitor.formatted("workers", APP_NS, "worker", "15s")),
        () -> world.apiEndpoints(List.of("api-1", "api-2", "api-3")),
        () -> world.stack("alpha", 2, "20s"),
        () ->
            world.apply(
                policy.formatted(
                    "availability", APP_NS, "availability", "TargetDown", "up == 0 or absent(up)")),
        () ->
            admin
                .genericKubernetesResources(FaultWorld.GROUP_VERSION, "PodMonitor")
                .inNamespace(APP_NS)
                .withName("extra")
                .delete(),
        () ->
            admin
                .genericKubernetesResources(FaultWorld.GROUP_VERSION, "AlertPolicy")
                .inNamespace(APP_NS)
                .withName("latency")
                .delete(),
        () -> world.runningPod("worker-6", "worker", "10.244.1.7"),
        () -> admin.pods().inNamespace(APP_NS).withName("api-0").withGracePeriod(0).delete());
  }

  /** GET status code, 0 when the operator does not answer. */
  static int status(OperatorProcess operator, String path) {
    return operator.get(path).map(r -> r.statusCode()).orElse(0);
  }

  static Optional<Set<String>> served(OperatorProcess operator, String token, String job) {
    return FaultWorld.servedTargets(operator, token, "alpha", 2, job);
  }

  // ---------------------------------------------------------------- helpers

  static OperatorProcess operator(String hostname) throws Exception {
    OperatorProcess operator =
        OperatorProcess.start(
            operatorKubeconfig,
            dir.resolve(hostname + ".log"),
            JVM,
            Map.of("HOSTNAME", hostname),
            "--leader-election=true",
            "--lease-namespace=" + LEASE_NS,
            "--platform-namespaces=" + STACK_NS);
    operators.add(operator);
    return operator;
  }

  static String holder() {
    Lease lease = admin.resources(Lease.class).inNamespace(LEASE_NS).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  static void awaitLeader(String identity, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> identity.equals(holder()));
  }

  /**
   * Waits until every status has caught up with its spec and the snapshot has not changed for 7
   * seconds (target counts reach statuses within 5), and returns that snapshot.
   */
  static Map<String, String> converge(Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(world::statusesObserved);
    Map<String, String> last = world.snapshot();
    long stableSince = System.nanoTime();
    while (System.nanoTime() - stableSince < Duration.ofSeconds(7).toNanos()) {
      assertThat(System.nanoTime()).as("converged in %s", atMost).isLessThan(deadline);
      Thread.sleep(1000);
      Map<String, String> now = world.snapshot();
      if (!now.equals(last) || !world.statusesObserved()) {
        last = now;
        stableSince = System.nanoTime();
      }
    }
    return last;
  }

  static String configOf(String stack, int shard) {
    var secret =
        admin
            .secrets()
            .inNamespace(STACK_NS)
            .withName(stack + "-prometheus-" + shard + "-config")
            .get();
    if (secret == null || secret.getData() == null) {
      return "";
    }
    byte[] gzip = Base64.getDecoder().decode(secret.getData().get("prometheus.yml.gz"));
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (Files.exists(path)) {
      try (Stream<Path> all = Files.walk(path)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  static void figure(String name, Duration value) {
    String text = String.format("%.1f s", value.toMillis() / 1000.0);
    figures.put(name, text);
    System.out.println("FaultsIT: " + name + ": " + text);
  }

  /**
   * Polls HTTP SD on every replica every 100 ms, as Prometheus behind the operator's Service would:
   * records when any replica, and when each replica, last answered with the expected targets.
   */
  static final class DiscoveryProbe implements AutoCloseable {
    private final List<OperatorProcess> replicas;
    private final String token;
    private final Set<String> expected;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<OperatorProcess, long[]> gaps = new LinkedHashMap<>();
    private final long[] anyGap = new long[2];
    private int wrong;
    private Thread thread;

    DiscoveryProbe(List<OperatorProcess> replicas, String token, Set<String> expected) {
      this.replicas = replicas;
      this.token = token;
      this.expected = expected;
    }

    void start() {
      long now = System.nanoTime();
      replicas.forEach(r -> gaps.put(r, new long[] {now, 0}));
      anyGap[0] = now;
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  boolean anyCorrect = false;
                  for (OperatorProcess replica : replicas) {
                    Optional<Set<String>> answer = served(replica, token, API_JOB);
                    long at = System.nanoTime();
                    if (answer.isPresent() && !answer.get().equals(expected)) {
                      synchronized (this) {
                        wrong++;
                      }
                    }
                    if (answer.filter(expected::equals).isPresent()) {
                      anyCorrect = true;
                      record(gaps.get(replica), at);
                    }
                  }
                  if (anyCorrect) {
                    record(anyGap, System.nanoTime());
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "sd-probe");
      thread.start();
    }

    private synchronized void record(long[] gap, long at) {
      gap[1] = Math.max(gap[1], at - gap[0]);
      gap[0] = at;
    }

    synchronized Duration longestGapAny() {
      return Duration.ofNanos(anyGap[1]);
    }

    synchronized Duration longestGap(OperatorProcess replica) {
      return Duration.ofNanos(gaps.get(replica)[1]);
    }

    synchronized int wrongAnswers() {
      return wrong;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      if (thread != null) {
        thread.join();
      }
    }
  }

  static List<GenericKubernetesResource> stacks() {
    return world.vigilObjects("MonitoringStack");
  }
}
