package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.harness.InProcessReloader;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reloader against a real API server with RBAC on and the real Prometheus: it runs as a
 * ServiceAccount whose Role names only its Secret, writes Prometheus's first configuration with
 * {@code --once}, and carries later changes of the Secret into the running Prometheus.
 */
class ReloaderIT {
  static final String NAMESPACE = "reloader-e2e";
  static final Duration LATENCY_LIMIT = Duration.ofSeconds(10);
  static final int CHANGES = 5;

  @TempDir Path dir;

  @BeforeAll
  static void namespace() {
    RealApiServer.ensureNamespace(NAMESPACE);
  }

  @Test
  void aChangedSecretReachesTheRunningPrometheusWithinSeconds() throws Exception {
    String secret = "prometheus-latency";
    applyConfig(secret, prometheusYml("first"));
    int port = RealPrometheus.freePort();
    Path output = dir.resolve("config_out/prometheus.yml");
    List<String> flags =
        InProcessReloader.flags(NAMESPACE, secret, output, RealPrometheus.reloadUrl(port));

    try (var reloader =
        InProcessReloader.withOwnServiceAccount(NAMESPACE, "reloader-latency", secret, List.of())) {
      assertThat(reloader.once(flags)).as("--once wrote the first configuration").isTrue();
      assertThat(output).hasContent(prometheusYml("first"));

      try (var prometheus = RealPrometheus.start(output, dir.resolve("prometheus"), port)) {
        assertThat(prometheus.scrapeJobs()).containsExactly("first");
        reloader.start(flags);
        await().atMost(Duration.ofSeconds(30)).until(reloader::ready);
        Thread.sleep(500);
        assertThat(reloader.metric("vigil_reloader_reloads_total"))
            .as("the file --once wrote is current: no rewrite, no reload")
            .isZero();

        List<Duration> latencies = new ArrayList<>();
        for (int i = 1; i <= CHANGES; i++) {
          String job = "added-" + i;
          long start = System.nanoTime();
          applyConfig(secret, prometheusYml("first", job));
          var seen =
              prometheus.awaitConfig(c -> c.contains("job_name: " + job), Duration.ofSeconds(30));
          assertThat(seen)
              .as("job %s loaded; prometheus log:%n%s", job, prometheus.log())
              .isPresent();
          latencies.add(Duration.ofNanos(System.nanoTime() - start));
        }
        assertThat(prometheus.scrapeJobs()).containsExactly("added-" + CHANGES, "first");
        assertThat(reloader.metric("vigil_reloader_reloads_total")).isEqualTo(CHANGES);
        assertThat(reloader.metric("vigil_reloader_reload_failures_total")).isZero();
        assertThat(reloader.metric("vigil_reloader_last_reload_success_timestamp_seconds"))
            .isPositive();

        List<Long> millis = latencies.stream().map(Duration::toMillis).sorted().toList();
        System.out.printf(
            "reloader e2e: Secret update -> job in Prometheus /api/v1/status/config, %d changes:"
                + " min %d ms, median %d ms, max %d ms (all: %s)%n",
            CHANGES,
            millis.get(0),
            millis.get(millis.size() / 2),
            millis.get(millis.size() - 1),
            millis.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        assertThat(latencies).allSatisfy(l -> assertThat(l).isLessThan(LATENCY_LIMIT));
        // Its targets (127.0.0.1:1) need not answer, but are dialled: loopback only. The scrape
        // manager takes up to 5 s to apply the last reload's targets.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(prometheus.assertTrafficStaysLocal())
                        .contains("http://127.0.0.1:1/metrics"));
      }
    }
  }

  @Test
  void aConfigPrometheusRejectsIsAFailedReloadAndPrometheusKeepsTheOldOne() throws Exception {
    String secret = "prometheus-rejected";
    applyConfig(secret, prometheusYml("good"));
    int port = RealPrometheus.freePort();
    Path output = dir.resolve("config_out/prometheus.yml");
    List<String> flags =
        InProcessReloader.flags(NAMESPACE, secret, output, RealPrometheus.reloadUrl(port));

    try (var reloader =
        InProcessReloader.withOwnServiceAccount(
            NAMESPACE, "reloader-rejected", secret, List.of())) {
      assertThat(reloader.once(flags)).isTrue();
      try (var prometheus = RealPrometheus.start(output, dir.resolve("prometheus"), port)) {
        reloader.start(flags);
        await().atMost(Duration.ofSeconds(30)).until(reloader::ready);

        // Valid YAML that Prometheus refuses: its reload answers 500 and says why.
        String rejected = prometheusYml("good", "rejected").replace("15s", "banana");
        applyConfig(secret, rejected);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> reloader.metric("vigil_reloader_reload_failures_total") == 1.0);
        assertThat(output).hasContent(rejected);
        assertThat(reloader.metric("vigil_reloader_last_reload_successful")).isZero();
        assertThat(prometheus.scrapeJobs()).containsExactly("good");
        assertThat(prometheus.log()).contains("banana");

        // Fixing the Secret recovers without a restart.
        applyConfig(secret, prometheusYml("good", "fixed"));
        assertThat(prometheus.awaitConfig(c -> c.contains("job_name: fixed"), LATENCY_LIMIT))
            .isPresent();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> reloader.metric("vigil_reloader_last_reload_successful") == 1.0);
      }
    }
  }

  @Test
  void ruleConfigMapsAreMirroredIntoTheRulesDirectoryAndLoaded() throws Exception {
    String secret = "prometheus-rules";
    Path rulesDir = dir.resolve("rules");
    applyConfig(
        secret,
        // One glob per ConfigMap: Prometheus allows wildcards only in the last path element.
        "rule_files:\n  - " + rulesDir + "/rules-0/*.yaml\n" + prometheusYml("prometheus"));
    applyRules("rules-0", Map.of("a.yaml", ruleGroup("first")));
    int port = RealPrometheus.freePort();
    Path output = dir.resolve("config_out/prometheus.yml");
    List<String> flags = new ArrayList<>();
    flags.addAll(
        InProcessReloader.flags(NAMESPACE, secret, output, RealPrometheus.reloadUrl(port)));
    flags.add("--config-map=rules-0");
    flags.add("--rules-dir=" + rulesDir);

    try (var reloader =
        InProcessReloader.withOwnServiceAccount(
            NAMESPACE, "reloader-rules", secret, List.of("rules-0"))) {
      assertThat(reloader.once(flags)).isTrue();
      assertThat(rulesDir.resolve("rules-0/a.yaml")).hasContent(ruleGroup("first"));
      try (var prometheus = RealPrometheus.start(output, dir.resolve("prometheus"), port)) {
        assertThat(prometheus.ruleGroups()).containsExactly("first");
        reloader.start(flags);
        await().atMost(Duration.ofSeconds(30)).until(reloader::ready);

        long start = System.nanoTime();
        applyRules("rules-0", Map.of("a.yaml", ruleGroup("first"), "b.yaml", ruleGroup("second")));
        await()
            .atMost(LATENCY_LIMIT)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> prometheus.ruleGroups().equals(List.of("first", "second")));
        System.out.printf(
            "reloader e2e: rule ConfigMap update -> group in Prometheus /api/v1/rules: %d ms%n",
            Duration.ofNanos(System.nanoTime() - start).toMillis());

        // A key removed from the ConfigMap is removed from disk, and its group from Prometheus.
        applyRules("rules-0", Map.of("b.yaml", ruleGroup("second")));
        await()
            .atMost(LATENCY_LIMIT)
            .until(() -> prometheus.ruleGroups().equals(List.of("second")));
        assertThat(rulesDir.resolve("rules-0/a.yaml")).doesNotExist();
        assertThat(reloader.metric("vigil_reloader_reloads_total")).isEqualTo(2);
      }
    }
  }

  @Test
  void theRoleLimitedToOneSecretIsEnoughAndAllowsNothingElse() throws Exception {
    String secret = "prometheus-rbac";
    applyConfig(secret, prometheusYml("only"));
    applyConfig("someone-elses-secret", prometheusYml("other"));
    Path output = dir.resolve("prometheus.yml");
    List<String> flags =
        InProcessReloader.flags(NAMESPACE, secret, output, URI.create("http://127.0.0.1:1/"));
    try (var reloader =
        InProcessReloader.withOwnServiceAccount(NAMESPACE, "reloader-rbac", secret, List.of())) {
      // list and watch with the field selector metadata.name=<secret> pass resourceNames.
      assertThat(reloader.once(flags)).isTrue();
      assertThat(output).hasContent(prometheusYml("only"));

      KubernetesClient asReloader = reloader.client();
      assertForbidden(
          () -> asReloader.secrets().inNamespace(NAMESPACE).withName("someone-elses-secret").get());
      assertForbidden(() -> asReloader.secrets().inNamespace(NAMESPACE).list());
      assertForbidden(
          () -> asReloader.secrets().inNamespace(NAMESPACE).withName(secret).edit(s -> s));
    }
  }

  @Test
  void onceWaitsForASecretCreatedLater() throws Exception {
    String secret = "prometheus-later";
    Path output = dir.resolve("prometheus.yml");
    List<String> flags =
        InProcessReloader.flags(NAMESPACE, secret, output, URI.create("http://127.0.0.1:1/"));
    try (var reloader =
        InProcessReloader.withOwnServiceAccount(NAMESPACE, "reloader-later", secret, List.of())) {
      Thread creator =
          new Thread(
              () -> {
                try {
                  Thread.sleep(1000);
                  applyConfig(secret, prometheusYml("late"));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      creator.start();
      assertThat(reloader.once(flags)).isTrue();
      creator.join();
      assertThat(output).hasContent(prometheusYml("late"));
    }
  }

  @Test
  void theJarRunsTheModeAsAProcess() throws Exception {
    String secret = "prometheus-jar";
    applyConfig(secret, prometheusYml("from-the-jar"));
    Path output = dir.resolve("prometheus.yml");
    assertThat(
            runJar(
                "reloader",
                "--namespace=" + NAMESPACE,
                "--secret=" + secret,
                "--key=prometheus.yml",
                "--output=" + output,
                "--once",
                "--once-timeout=60s"))
        .as("exit code of reloader --once")
        .isZero();
    assertThat(output).hasContent(prometheusYml("from-the-jar"));
    assertThat(
            runJar(
                "reloader",
                "--namespace=" + NAMESPACE,
                "--secret=absent",
                "--output=" + dir.resolve("absent.yml"),
                "--once",
                "--once-timeout=1s"))
        .as("exit code when the Secret never comes")
        .isEqualTo(1);
    assertThat(runJar("reloader", "--no-such-flag=1")).isEqualTo(2);
  }

  /** Runs {@code java -jar operator/target/vigil-operator.jar args} with the admin kubeconfig. */
  static int runJar(String... args) throws Exception {
    Path jar = RealApiServer.REPO.resolve("operator/target/vigil-operator.jar");
    assertThat(jar).as("build the operator module first (mvn -pl e2e -am)").exists();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", RealApiServer.kubeConfigFile().toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    System.out.print(output);
    return process.exitValue();
  }

  static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  /** A configuration with one static job per name; the targets need not answer. */
  static String prometheusYml(String... jobs) {
    StringBuilder yaml = new StringBuilder("global:\n  scrape_interval: 15s\nscrape_configs:\n");
    for (String job : jobs) {
      yaml.append("  - job_name: ")
          .append(job)
          .append("\n    static_configs:\n      - targets: ['127.0.0.1:1']\n");
    }
    return yaml.toString();
  }

  static String ruleGroup(String name) {
    return "groups:\n  - name: "
        + name
        + "\n    rules:\n      - record: vigil:"
        + name
        + ":up\n        expr: sum(up)\n";
  }

  static void applyRules(String configMap, Map<String, String> files) {
    RealApiServer.admin()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(configMap)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(files)
                .build())
        .fieldManager("vigil-e2e")
        .forceConflicts()
        .serverSideApply();
  }

  static void applyConfig(String secret, String prometheusYml) {
    RealApiServer.admin()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(
                    Map.of(
                        "prometheus.yml",
                        Base64.getEncoder()
                            .encodeToString(prometheusYml.getBytes(StandardCharsets.UTF_8))))
                .build())
        .fieldManager("vigil-e2e")
        .forceConflicts()
        .serverSideApply();
  }
}
