package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.reconcilers.httpclient.HttpClient;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.HttpSdConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.ScrapeConfig;
import dev.vigil.reconcilers.prometheus.RelabelCases.Case;
import dev.vigil.reconcilers.prometheus.RelabelCases.Target;
import dev.vigil.reconcilers.relabel.RelabelOutcome;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vigil relabels every discovered target as Prometheus does, label for label: for each case (a
 * scrape job and the targets its discovery serves, {@link RelabelCases}), a {@code prometheus.yml}
 * written by Vigil's renderer with that one job, its {@code http_sd_configs} pointing at a server
 * on loopback that serves the case's target groups, goes through the real {@code promtool check
 * service-discovery} of the Prometheus version Vigil runs (3.16); every target's result there (its
 * labels after relabeling, dropped, or refused with an error) must equal {@link TargetRelabeling}'s
 * on the same job, read from the same records by {@link JobRelabelings}.
 *
 * <p>Each target carries a label of its own ({@value RelabelCases#CASE_LABEL}) to tell the results
 * apart. Targets whose outcome Prometheus leaves to chance and jobs Vigil declares unevaluable are
 * counted, not compared; they must stay a small part.
 */
class TargetRelabelingAgreementTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** promtool waits this long for discovery; the loopback answer takes milliseconds. */
  private static final String SD_TIMEOUT = "400ms";

  /** The second chance of a case promtool found nothing for in {@link #SD_TIMEOUT}. */
  private static final String SD_RETRY_TIMEOUT = "5s";

  @Test
  void vigilRelabelsEveryTargetAsPromtoolDoes(@TempDir Path dir) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as(
            "VIGIL_PROMTOOL is not set: run the tests through `make test`, which installs"
                + " promtool and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();

    RelabelCases generator = new RelabelCases();
    List<Case> realWorld = generator.realWorld();
    List<Case> cases = new ArrayList<>(realWorld);
    cases.addAll(generator.mutated(realWorld, 4));
    cases.addAll(generator.generated(500));

    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/sd/",
        exchange -> {
          int index = Integer.parseInt(exchange.getRequestURI().getPath().substring(4));
          byte[] body = groupsJson(cases.get(index).targets());
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/sd/";

    AtomicInteger compared = new AtomicInteger();
    AtomicInteger kept = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger undecided = new AtomicInteger();
    AtomicInteger unevaluable = new AtomicInteger();
    List<String> disagreements = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        int index = i;
        runs.add(
            pool.submit(
                () -> {
                  Case c = cases.get(index);
                  ScrapeConfig job = withSd(c.job(), base + index);
                  TargetRelabeling ours = JobRelabelings.of(c.global(), job);
                  if (ours.unevaluable().isPresent()) {
                    unevaluable.addAndGet(c.targets().size());
                    return null;
                  }
                  Map<String, JsonNode> theirs = promtool(promtool, dir, index, c, job);
                  for (int t = 0; t < c.targets().size(); t++) {
                    Target target = c.targets().get(t);
                    RelabelOutcome outcome = ours.apply(target.labels(), target.address());
                    JsonNode result = theirs.get(Integer.toString(t));
                    if (outcome instanceof RelabelOutcome.Undecided) {
                      undecided.incrementAndGet();
                      continue;
                    }
                    compared.incrementAndGet();
                    String problem = disagreement(outcome, result);
                    if (problem != null) {
                      disagreements.add(describe(c, job, target, outcome, result, problem));
                    } else if (outcome instanceof RelabelOutcome.Kept) {
                      kept.incrementAndGet();
                    } else if (outcome instanceof RelabelOutcome.Dropped) {
                      dropped.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      server.stop(0);
      ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    System.out.printf(
        "relabel agreement with promtool: %d jobs (%d real-world), %d (job, target) pairs"
            + " compared: %d kept, %d dropped, %d refused with an error; %d left to chance by"
            + " Prometheus, %d in jobs Vigil does not evaluate%n",
        cases.size(),
        realWorld.size(),
        compared.get(),
        kept.get(),
        dropped.get(),
        failed.get(),
        undecided.get(),
        unevaluable.get());
    assertThat(disagreements).as("targets Vigil and promtool relabel differently").isEmpty();
    assertThat(compared.get()).isGreaterThanOrEqualTo(3000);
    assertThat(kept.get()).isGreaterThan(compared.get() / 5);
    assertThat(dropped.get()).isGreaterThan(compared.get() / 10);
    assertThat(failed.get()).isPositive();
    assertThat(undecided.get() + unevaluable.get()).isLessThan(compared.get() / 20);
  }

  /** Why the two results differ, or null when they agree. */
  private static String disagreement(RelabelOutcome ours, JsonNode theirs) {
    if (theirs == null) {
      return "promtool reported nothing for the target";
    }
    boolean error = theirs.hasNonNull("error");
    Map<String, String> labels = labels(theirs.path("labels"));
    if (ours instanceof RelabelOutcome.Kept k) {
      return !error && labels.equals(k.labels()) ? null : "labels differ";
    }
    if (ours instanceof RelabelOutcome.Dropped) {
      return !error && labels.isEmpty() ? null : "Vigil drops it, promtool does not";
    }
    return error ? null : "Vigil refuses it, promtool does not";
  }

  /** promtool's result per target, by the target's case label. */
  private static Map<String, JsonNode> promtool(
      String promtool, Path dir, int index, Case c, ScrapeConfig job) throws Exception {
    Map<String, JsonNode> results = promtool(promtool, dir, index, c, job, SD_TIMEOUT);
    if (results.isEmpty() && !c.targets().isEmpty()) {
      // Discovery did not answer within the short timeout: a loaded machine, not a disagreement.
      results = promtool(promtool, dir, index, c, job, SD_RETRY_TIMEOUT);
    }
    assertThat(results).as("promtool's results for %s", c.name()).hasSize(c.targets().size());
    return results;
  }

  private static Map<String, JsonNode> promtool(
      String promtool, Path dir, int index, Case c, ScrapeConfig job, String timeout)
      throws Exception {
    Path config = dir.resolve("case-" + index + ".yml");
    PrometheusConfig file = new PrometheusConfig(c.global(), null, null, List.of(job), null);
    Files.writeString(config, PrometheusConfigRenderer.renderString(file));
    Process process =
        new ProcessBuilder(
                promtool,
                "check",
                "service-discovery",
                "--timeout=" + timeout,
                config.toString(),
                job.jobName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("promtool loads %s:%n%s", c.name(), Files.readString(config))
        .isZero();
    Map<String, JsonNode> results = new TreeMap<>();
    for (JsonNode result : JSON.readTree(out)) {
      String target = result.path("discoveredLabels").path(RelabelCases.CASE_LABEL).asText();
      results.put(target, result);
    }
    return results;
  }

  /** The job reading its targets from {@code url}, without credentials (promtool checks files). */
  private static ScrapeConfig withSd(ScrapeConfig job, String url) {
    return RelabelCases.copy(
        job,
        job.relabelConfigs(),
        HttpClient.NONE,
        List.of(new HttpSdConfig(url, "1h", HttpClient.NONE)));
  }

  private static byte[] groupsJson(List<Target> targets) {
    ArrayNode groups = JSON.createArrayNode();
    for (Target target : targets) {
      ObjectNode group = groups.addObject();
      group.putArray("targets").add(target.address());
      ObjectNode labels = group.putObject("labels");
      target.labels().forEach(labels::put);
    }
    return groups.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      labels.put(label.getKey(), label.getValue().asText());
    }
    return labels;
  }

  private static String describe(
      Case c, ScrapeConfig job, Target target, RelabelOutcome ours, JsonNode theirs, String why) {
    return "%n%s: %s%n  target %s %s%n  rules %s%n  Vigil:    %s%n  promtool: %s"
        .formatted(
            c.name(), why, target.address(), target.labels(), job.relabelConfigs(), ours, theirs);
  }
}
