package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real {@code prometheus} binary (from {@code VIGIL_PROMETHEUS}, built by e2e/tools) on a free
 * loopback port with the lifecycle API on, and the read side of its HTTP API that tests check: the
 * configuration it has loaded and the targets it scrapes. Every test that wants to see what a
 * running Prometheus makes of Vigil's output starts one of these.
 */
public final class RealPrometheus implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Duration POLL = Duration.ofMillis(20);

  private final Process process;
  private final URI url;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String authorization;

  private RealPrometheus(Process process, URI url, Path log, String authorization) {
    this.process = process;
    this.url = url;
    this.log = log;
    this.authorization = authorization;
  }

  /**
   * Starts Prometheus on {@code configFile}, its TSDB and log under {@code workDir}, and waits
   * until {@code /-/ready} answers.
   */
  public static RealPrometheus start(Path configFile, Path workDir) throws Exception {
    return start(configFile, workDir, freePort());
  }

  /** As {@link #start(Path, Path)}, on a port chosen beforehand (see {@link #reloadUrl(int)}). */
  public static RealPrometheus start(Path configFile, Path workDir, int port) throws Exception {
    return start(configFile, workDir, port, List.of(), Map.of(), null);
  }

  /**
   * As {@link #start(Path, Path, int)}, with {@code moreArguments} after the usual ones, {@code
   * env} added to its environment (as a pod's {@code env} sets {@code POD_NAME}, which the external
   * label {@code prometheus_replica} expands), and {@code authorization} (an {@code Authorization}
   * header value, or null) sent with every request of this class, for a Prometheus behind its own
   * {@code --web.config.file}.
   */
  public static RealPrometheus start(
      Path configFile,
      Path workDir,
      int port,
      List<String> moreArguments,
      Map<String, String> env,
      String authorization)
      throws Exception {
    Path log = workDir.resolve("prometheus.log");
    Files.createDirectories(workDir);
    List<String> command =
        new ArrayList<>(
            List.of(
                RealApiServer.tool("VIGIL_PROMETHEUS"),
                "--config.file=" + configFile,
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle",
                "--storage.tsdb.path=" + dataDir(workDir),
                // An alert that fires before the notifier has its Alertmanagers (discovery hands
                // them over a moment after start) is dropped and, by default, sent again only a
                // minute later: AlertingPipelineIT then missed one team's alert on a loaded
                // machine.
                "--rules.alert.resend-delay=1s",
                "--log.level=info"));
    command.addAll(moreArguments);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    RealPrometheus prometheus =
        new RealPrometheus(process, URI.create("http://127.0.0.1:" + port), log, authorization);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!prometheus.isReady()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        prometheus.close();
        throw new IllegalStateException("prometheus did not become ready:\n" + prometheus.log());
      }
      Thread.sleep(50);
    }
    return prometheus;
  }

  /**
   * Where a shard's Prometheus reads its rule files in the pod (the reloader writes them there).
   */
  public static final String POD_RULES_DIR = "/etc/prometheus/rules/";

  /**
   * Writes a shard's {@code prometheus.yml}, as the operator rendered it, to {@code file} with the
   * pod's rules directory ({@link #POD_RULES_DIR}) moved to {@code rulesDir}, where the test (or an
   * {@link InProcessReloader}) lays out the rule ConfigMaps as {@code <configmap>/<key>}: the
   * {@code rule_files} globs of the rendered config then match those files unchanged.
   *
   * @return {@code file}
   */
  public static Path shardConfig(String prometheusYml, Path rulesDir, Path file)
      throws IOException {
    assertThat(prometheusYml).as("rule_files of the rendered config").contains(POD_RULES_DIR);
    Files.createDirectories(file.getParent());
    Files.writeString(file, prometheusYml.replace(POD_RULES_DIR, rulesDir + "/"));
    return file;
  }

  /** The TSDB directory of a Prometheus started in {@code workDir}. */
  public static Path dataDir(Path workDir) {
    return workDir.resolve("data");
  }

  /** The process id: the same before and after a change proves Prometheus was not restarted. */
  public long pid() {
    return process.pid();
  }

  public URI url() {
    return url;
  }

  /** What the reloader POSTs to. */
  URI reloadUrl() {
    return url.resolve("/-/reload");
  }

  /** The reload URL of a Prometheus that will listen on {@code port}. */
  public static URI reloadUrl(int port) {
    return URI.create("http://127.0.0.1:" + port + "/-/reload");
  }

  boolean isReady() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The configuration Prometheus runs with, as {@code GET /api/v1/status/config} returns it. */
  String loadedConfig() throws IOException {
    return api("/api/v1/status/config").path("yaml").asText();
  }

  /** The {@code job_name}s of the loaded configuration, sorted. */
  public List<String> scrapeJobs() throws IOException {
    TreeSet<String> jobs = new TreeSet<>();
    YAML.readTree(loadedConfig())
        .path("scrape_configs")
        .forEach(job -> jobs.add(job.path("job_name").asText()));
    return List.copyOf(jobs);
  }

  /** The names of the loaded rule groups ({@code GET /api/v1/rules}), sorted. */
  public List<String> ruleGroups() throws IOException {
    TreeSet<String> groups = new TreeSet<>();
    api("/api/v1/rules").path("groups").forEach(group -> groups.add(group.path("name").asText()));
    return List.copyOf(groups);
  }

  /** {@code GET /api/v1/targets}: the active targets, each as Prometheus reports it. */
  public List<JsonNode> activeTargets() throws IOException {
    List<JsonNode> targets = new ArrayList<>();
    api("/api/v1/targets?state=active").path("activeTargets").forEach(targets::add);
    return targets;
  }

  /**
   * Fails unless every address this Prometheus sends traffic to is one a test may reach (see {@link
   * TestNetwork#allows}): the scrape URL of every active target ({@code GET /api/v1/targets}),
   * every Alertmanager it notifies ({@code GET /api/v1/alertmanagers}), and every URL of its loaded
   * configuration (remote write and read, HTTP service discovery, OAuth2 token and proxy URLs).
   * Tests call it after Prometheus has scraped, so that a test run which sends traffic anywhere
   * else fails.
   *
   * @return the URLs checked, for the test to show or count
   */
  public List<String> assertTrafficStaysLocal(TestNetwork... networks) throws IOException {
    List<String> urls = new ArrayList<>();
    api("/api/v1/targets?state=active")
        .path("activeTargets")
        .forEach(t -> urls.add(t.path("scrapeUrl").asText()));
    JsonNode alertmanagers = api("/api/v1/alertmanagers");
    alertmanagers.path("activeAlertmanagers").forEach(a -> urls.add(a.path("url").asText()));
    configUrls(YAML.readTree(loadedConfig()), urls);
    List<String> outside = new ArrayList<>();
    for (String url : urls) {
      String host;
      try {
        host = URI.create(url).getHost();
      } catch (IllegalArgumentException e) {
        host = null;
      }
      if (!TestNetwork.allows(host, networks)) {
        outside.add(url);
      }
    }
    List<String> ranges = new ArrayList<>(List.of("127.0.0.0/8"));
    for (TestNetwork network : networks) {
      ranges.add(network.range());
    }
    assertThat(outside)
        .as(
            "Prometheus sends traffic outside %s (tests may reach only loopback and their own"
                + " network namespace); every URL it uses: %s",
            ranges, urls)
        .isEmpty();
    return urls;
  }

  /** Every string under a key {@code url} or {@code *_url} of the configuration, recursively. */
  private static void configUrls(JsonNode node, List<String> urls) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              field -> {
                boolean url = field.getKey().equals("url") || field.getKey().endsWith("_url");
                if (url && field.getValue().isTextual() && !field.getValue().asText().isEmpty()) {
                  urls.add(field.getValue().asText());
                } else {
                  configUrls(field.getValue(), urls);
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> configUrls(child, urls));
    }
  }

  /**
   * Polls the loaded configuration every 20 ms until {@code condition} holds.
   *
   * @return how long that took, or empty on timeout
   */
  public Optional<Duration> awaitConfig(Predicate<String> condition, Duration timeout)
      throws Exception {
    long start = System.nanoTime();
    while (System.nanoTime() - start < timeout.toNanos()) {
      if (condition.test(loadedConfig())) {
        return Optional.of(Duration.ofNanos(System.nanoTime() - start));
      }
      Thread.sleep(POLL.toMillis());
    }
    return Optional.empty();
  }

  /** Prometheus's own output so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public JsonNode api(String path) throws IOException {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("success");
    return body.path("data");
  }

  /** As {@link #sum}, over this Prometheus's own {@code /metrics}. */
  public double metric(String metric, String... labels) throws IOException {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
    return sum(response.body(), metric, labels);
  }

  /**
   * The sum of the samples of {@code metric} in {@code exposition} (the text format of a {@code
   * /metrics} page) whose labels include every one of {@code labels}, each written {@code
   * name="value"}; 0 when there is none.
   */
  public static double sum(String exposition, String metric, String... labels) {
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
        continue;
      }
      int end = line.lastIndexOf(' ');
      String series = line.substring(0, end);
      boolean all = true;
      for (String label : labels) {
        all &= series.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(end + 1));
      }
    }
    return sum;
  }

  /** {@code GET /api/v1/query?query=expr}: the instant vector's samples, each as returned. */
  public List<JsonNode> query(String expr) throws IOException {
    List<JsonNode> samples = new ArrayList<>();
    api("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))
        .path("result")
        .forEach(samples::add);
    return samples;
  }

  private HttpResponse<String> get(String path) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A port nothing listens on now, for a process this test starts. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
