package dev.vigil.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.http.SlowClients.Kind;
import dev.vigil.reconcilers.prometheus.HttpServiceDiscovery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The abuse check of the operator's HTTP server: 200 slow clients hold its connections (loopback
 * only, for a bounded time) while {@code /healthz} and a stack's service discovery must keep
 * answering within a second. The server runs in a JVM of its own ({@link AbuseTarget}), as in a
 * pod: the JDK server reads its limits once per process, so a test JVM that started another server
 * first could not show them. Prints what the probes saw and what became of the slow clients.
 */
class SlowClientsIT {
  static final int SLOW_CLIENTS = 200;
  static final Duration ABUSE = Duration.ofSeconds(12);
  static final long PROBE_PERIOD_MILLIS = 100;
  static final double LIMIT_MILLIS = 1_000;

  static final String SD_PATH =
      "/sd/v1/monitoring/platform/0/" + HttpServiceDiscovery.pathSegment(AbuseTarget.SMALL_JOB);
  static final String BIG_SD_PATH =
      "/sd/v1/monitoring/platform/0/" + HttpServiceDiscovery.pathSegment(AbuseTarget.BIG_JOB);
  static final String BEARER = "Authorization: Bearer " + AbuseTarget.TOKEN;

  /**
   * Timeouts shorter than the defaults (10 s, 30 s), so that what they do shows within the {@link
   * #ABUSE} window; the slow clients reconnect when closed, so they hold their connections all
   * along either way.
   */
  static final List<String> LIMITS =
      List.of("--http-request-timeout=3s", "--http-response-timeout=5s");

  static final long REQUEST_TIMEOUT_MILLIS = 3_000;
  static final long RESPONSE_TIMEOUT_MILLIS = 5_000;

  /** The default: service discovery shares the HTTP port with the probes (and the slow clients). */
  @Test
  void oneSharedPortAnswersProbesAndServiceDiscoveryWithinASecondUnder200SlowClients()
      throws Exception {
    List<String> flags = new ArrayList<>(LIMITS);
    flags.add("--http-port=0");
    try (Target target = Target.start("shared", flags)) {
      assertThat(target.sdPort).isEqualTo(target.httpPort);
      Probe healthz = new Probe("/healthz", target.httpPort, "/healthz", List.of(), null);
      Probe sd =
          new Probe(
              "service discovery",
              target.sdPort,
              SD_PATH,
              List.of(BEARER, "Accept-Encoding: gzip"),
              null);
      SlowClients.Builder slow =
          SlowClients.builder()
              .add(100, Kind.SLOW_HEADERS, target.httpPort, SLOW_REQUEST)
              .add(50, Kind.SILENT, target.httpPort, "")
              .add(50, Kind.NON_READER, target.sdPort, BIG_REQUEST);
      SlowClients done = abuse(slow, healthz, sd);
      assertClosedAfter(done, Kind.SLOW_HEADERS, REQUEST_TIMEOUT_MILLIS);
      assertClosedAfter(done, Kind.SILENT, REQUEST_TIMEOUT_MILLIS);
      assertClosedAfter(done, Kind.NON_READER, RESPONSE_TIMEOUT_MILLIS);
    }
  }

  /** Service discovery over HTTPS on a port of its own; probes stay plain on theirs. */
  /**
   * Prometheus keeps its HTTP SD connection alive between refreshes. The JDK server writes headers
   * and body apart, so with Nagle's algorithm on the body waited for the client's delayed ACK of
   * the headers: about 40 ms an answer on Linux whatever the work (44 ms measured at 100,000 pods).
   * With TCP_NODELAY an answer of a small job takes about a millisecond; the median of 40 requests
   * on one connection stays far from the stall even on a loaded machine.
   */
  @Test
  void aKeptAliveConnectionIsAnsweredWithoutWaitingForDelayedAcks() throws Exception {
    try (Target target = Target.start("keep-alive", List.of("--http-port=0"))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.sdPort + SD_PATH))
              .header("Authorization", "Bearer " + AbuseTarget.TOKEN)
              .header("Accept-Encoding", "gzip")
              .build();
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response =
            client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        millis.add((System.nanoTime() - start) / 1e6);
        assertThat(response.statusCode()).isEqualTo(200);
      }
      millis.sort(Double::compare);
      System.out.printf(
          "kept-alive SD answers: median %.1f ms, slowest %.1f ms%n",
          millis.get(20), millis.get(39));
      assertThat(millis.get(20)).as("median ms of 40 answers on one connection").isLessThan(20);
    }
  }

  @Test
  void tlsServiceDiscoveryAndPlainProbesAnswerWithinASecondUnder200SlowClients() throws Exception {
    List<String> flags = new ArrayList<>(LIMITS);
    flags.addAll(
        List.of(
            "--http-port=0",
            "--service-discovery-port=0",
            "--service-discovery-tls-secret=abuse-test",
            "--service-discovery-url=https://127.0.0.1:8443"));
    try (Target target = Target.start("tls", flags)) {
      assertThat(target.sdPort).isNotEqualTo(target.httpPort);
      String ca = TestCertificates.pem("ca.crt");
      Probe healthz = new Probe("/healthz", target.httpPort, "/healthz", List.of(), null);
      Probe sd =
          new Probe(
              "service discovery tls",
              target.sdPort,
              SD_PATH,
              List.of(BEARER, "Accept-Encoding: gzip"),
              () -> TestCertificates.trusting(ca).getSocketFactory());
      SlowClients.Builder slow =
          SlowClients.builder()
              .add(100, Kind.SLOW_HEADERS, target.httpPort, SLOW_REQUEST)
              .add(50, Kind.SLOW_HANDSHAKE, target.sdPort, "")
              .add(50, Kind.SILENT, target.sdPort, "");
      SlowClients done = abuse(slow, healthz, sd);
      assertClosedAfter(done, Kind.SLOW_HEADERS, REQUEST_TIMEOUT_MILLIS);
      assertClosedAfter(done, Kind.SLOW_HANDSHAKE, REQUEST_TIMEOUT_MILLIS);
      assertClosedAfter(done, Kind.SILENT, REQUEST_TIMEOUT_MILLIS);
    }
  }

  static final String SLOW_REQUEST = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  static final String BIG_REQUEST =
      "GET " + BIG_SD_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + BEARER + "\r\n\r\n";

  /**
   * The server closed the slow clients of a kind about when its timeout says: the JDK's timers look
   * every second, and a client sees the close at its next tick.
   */
  static void assertClosedAfter(SlowClients slow, Kind kind, long timeoutMillis) {
    SlowClients.Tally tally = slow.tallies().get(kind);
    assertThat(tally.closedByServer()).as("%s closed by the server", kind).isPositive();
    assertThat(tally.medianLifetimeMillis())
        .as("%s median lifetime ms", kind)
        .isBetween(timeoutMillis - 500, timeoutMillis + 2_500);
  }

  /** Probes every {@link #PROBE_PERIOD_MILLIS} while the slow clients run; prints and checks. */
  static SlowClients abuse(SlowClients.Builder clients, Probe... probes) throws Exception {
    // A running operator has served both before: warm up, unmeasured.
    for (Probe probe : probes) {
      probe.warmUp();
    }
    SlowClients slow = clients.start();
    assertThat(slow.size()).isEqualTo(SLOW_CLIENTS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (slow.open() < slow.size() * 9 / 10 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    ExecutorService probing = Executors.newFixedThreadPool(probes.length);
    List<Future<?>> runs = new ArrayList<>();
    long end = System.nanoTime() + ABUSE.toNanos();
    try {
      for (Probe probe : probes) {
        runs.add(
            probing.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    long started = System.nanoTime();
                    probe.once();
                    long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    try {
                      Thread.sleep(Math.max(0, PROBE_PERIOD_MILLIS - spent));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }));
      }
      for (Future<?> run : runs) {
        run.get(ABUSE.toSeconds() + 2L * Probe.GIVE_UP_MILLIS / 1000 + 5, TimeUnit.SECONDS);
      }
    } finally {
      probing.shutdownNow();
      slow.close();
    }
    System.out.println(report(slow, probes));

    assertThat(slow.maxOpen())
        .as("slow connections held at once (of %d)", slow.size())
        .isGreaterThanOrEqualTo(slow.size() * 9 / 10);
    for (Probe probe : probes) {
      assertThat(probe.answered(200))
          .as("%s requests answered 200 (of %d)", probe.name(), probe.count())
          .isEqualTo(probe.count());
      assertThat(probe.millisAt(1.0)).as(probe.name() + " slowest ms").isLessThan(LIMIT_MILLIS);
      assertThat(probe.count()).as(probe.name() + " requests").isGreaterThan(20);
    }
    return slow;
  }

  static String report(SlowClients slow, Probe... probes) {
    StringBuilder text = new StringBuilder();
    text.append(
        "%n%d slow clients for %ds (at most %d open at once)%n"
            .formatted(slow.size(), ABUSE.toSeconds(), slow.maxOpen()));
    text.append(
        "%-22s %5s %5s %8s %8s %8s%n".formatted("probe", "n", "200", "p50 ms", "p99 ms", "max ms"));
    for (Probe probe : probes) {
      text.append(
          "%-22s %5d %5d %8.1f %8.1f %8.1f%n"
              .formatted(
                  probe.name(),
                  probe.count(),
                  probe.answered(200),
                  probe.millisAt(0.5),
                  probe.millisAt(0.99),
                  probe.millisAt(1.0)));
    }
    text.append(
        "%-22s %8s %8s %14s %16s %13s%n"
            .formatted(
                "slow client",
                "opened",
                "refused",
                "closed by srv",
                "median life ms",
                "max life ms"));
    for (Map.Entry<Kind, SlowClients.Tally> entry : slow.tallies().entrySet()) {
      SlowClients.Tally tally = entry.getValue();
      if (tally.opened == 0 && tally.refused == 0) {
        continue;
      }
      text.append(
          "%-22s %8d %8d %14d %16d %13d%n"
              .formatted(
                  entry.getKey(),
                  tally.opened,
                  tally.refused,
                  tally.closedByServer(),
                  tally.medianLifetimeMillis(),
                  tally.maxLifetimeMillis()));
    }
    return text.toString();
  }

  /** {@link AbuseTarget} in a JVM of its own. */
  static final class Target implements AutoCloseable {
    final Process process;
    final int httpPort;
    final int sdPort;

    private Target(Process process, int httpPort, int sdPort) {
      this.process = process;
      this.httpPort = httpPort;
      this.sdPort = sdPort;
    }

    /** Logs to {@code target/abuse-target-<name>.log}. */
    static Target start(String name, List<String> flags) throws IOException {
      String classpath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-Xmx256m", "-cp", classpath, AbuseTarget.class.getName()));
      command.addAll(flags);
      Path log = Path.of("target", "abuse-target-" + name + ".log");
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("PORTS ")) {
        // skip anything printed before
      }
      if (line == null) {
        process.destroyForcibly();
        throw new IOException("the abuse target ended without serving; see " + log);
      }
      String[] ports = line.split(" ");
      return new Target(process, Integer.parseInt(ports[1]), Integer.parseInt(ports[2]));
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
