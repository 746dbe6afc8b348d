package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.RealTracingProcess;
import dev.vigil.e2e.harness.RealVictoriaLogs;
import dev.vigil.e2e.harness.ThreadCpu;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigRenderer;
import dev.vigil.reconcilers.collector.LogAgentConfigBuilder;
import dev.vigil.reconcilers.collector.LogAgentInputs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Log agent throughput (a harness, like {@link ScaleHarnessIT}): how many lines a second one agent
 * ships from pod log files to VictoriaLogs, and its CPU and memory per 10,000 lines/s, under
 * Vigil's configuration ({@link LogAgentConfigBuilder}) and, side by side in the same run, under
 * the OpenTelemetry Collector Helm chart's {@code logsCollection} + {@code kubernetesAttributes}
 * presets (the configuration the OpenTelemetry project recommends for pod logs): the same collector
 * binary reading the same files into the same kind of backend.
 *
 * <p>The files are written once, before both runs, in the kubelet's layout ({@code
 * <pods>/<namespace>_<pod>_<uid>/<container>/0.log}, CRI format, 1 KiB lines of 10,000 a file, the
 * kubelet's default 10 MiB rotation size); most lines are plain text with a level word, some JSON
 * with a trace id, a few split in two partial ({@code P}) chunks. Both agents read them from the
 * beginning (the preset's {@code start_at: end} would read nothing written before it started). Each
 * run gets a fresh VictoriaLogs: a count of all records is then the run's count, and the first
 * run's background merges do not take the second run's CPU. {@code k8s_attributes} is real in both:
 * the pods exist on the real API server (the test JVM's one), read with the admin kubeconfig
 * (LogPipelineIT proves the agents' own RBAC).
 *
 * <p>Only correctness is asserted (every record arrives exactly once); the figures are printed as a
 * table, to stdout and {@code e2e/target/log-throughput.txt}. {@code make test} runs 200,000 lines;
 * {@code make bench-logs} ({@code -Dvigil.logbench=full}) runs 2,000,000. All traffic on 127.0.0.1.
 */
class LogThroughputIT {
  static final String NS = "logbench";
  static final String NODE = "node-1";
  static final String AGENTS_NS = "vigil-system";
  static final String OTEL_AGENTS_NS = "opentelemetry";
  static final int LINE_BYTES = 1024;
  static final int LINES_PER_FILE = 10_000;
  static final String SYNCHRONOUS_EMITTER = "--feature-gates=stanza.synchronousLogEmitter";

  enum Size {
    SMALL(20, Duration.ofMinutes(2)),
    FULL(200, Duration.ofMinutes(30));

    final int files;
    final Duration timeout;

    Size(int files, Duration timeout) {
      this.files = files;
      this.timeout = timeout;
    }

    long records() {
      return (long) files * LINES_PER_FILE;
    }

    static Size fromSystemProperty() {
      return "full".equals(System.getProperty("vigil.logbench")) ? FULL : SMALL;
    }
  }

  final Size size = Size.fromSystemProperty();

  /**
   * {@code -Dvigil.logbench.breakdown=true} (as {@code make bench-logs} sets): also Vigil's config
   * without its parsing, with its send queue in memory, and without the synchronous emitter.
   */
  static final boolean BREAKDOWN = Boolean.getBoolean("vigil.logbench.breakdown");

  static final String STORAGE = "file_storage";

  record Figures(
      String name,
      long records,
      long arrived,
      long fragments,
      double seconds,
      double cpuSeconds,
      long peakRssKib,
      double victoriaCpuSeconds,
      String loadStart,
      String loadEnd) {
    double linesPerSecond() {
      return records / seconds;
    }

    double coresPer10k() {
      return (cpuSeconds / seconds) / (linesPerSecond() / 10_000);
    }

    double mibPer10k() {
      return peakRssKib / 1024.0 / (linesPerSecond() / 10_000);
    }
  }

  @Test
  void vigilsConfigAgainstTheRecommendedFilelogConfig() throws Exception {
    Path dir =
        RealApiServer.REPO.resolve(
            "e2e/target/log-throughput-" + size.name().toLowerCase(Locale.ROOT));
    deleteRecursively(dir);
    Files.createDirectories(dir);
    String loadBefore = loadAverage();
    KubernetesClient admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    Path pods = dir.resolve("var/log/pods");
    List<Figures> runs = new ArrayList<>();
    try {
      long written = writePodLogs(admin, pods);
      System.out.printf(
          Locale.ROOT, "log-throughput: %d records in %d files written%n", written, size.files);
      assertThat(written).isEqualTo(size.records());
      String vigil = vigilConfig(pods, "");
      runs.add(run(dir, pods, "Vigil's config", vigil, List.of(SYNCHRONOUS_EMITTER)));
      runs.add(
          run(
              dir,
              pods,
              "OpenTelemetry's recommended filelog config",
              recommendedConfig(pods),
              List.of()));
      if (BREAKDOWN) {
        // Vigil's config less one thing at a time: where its cost comes from.
        runs.add(
            run(
                dir,
                pods,
                "Vigil's, no JSON/severity/trace parsing",
                vigilConfig(pods, "parsing: {json: false, severity: false}"),
                List.of(SYNCHRONOUS_EMITTER)));
        String memoryQueue = vigil.replace("\n      storage: " + STORAGE, "");
        assertThat(memoryQueue).isNotEqualTo(vigil).contains("    storage: " + STORAGE);
        runs.add(
            run(
                dir,
                pods,
                "Vigil's, send queue in memory",
                memoryQueue,
                List.of(SYNCHRONOUS_EMITTER)));
        runs.add(run(dir, pods, "Vigil's, no synchronousLogEmitter", vigil, List.of()));
      }
    } finally {
      deleteRecursively(pods);
      admin.pods().inNamespace(NS).delete();
    }
    String table = table(runs, loadBefore, loadAverage());
    System.out.println(table);
    Files.writeString(RealApiServer.REPO.resolve("e2e/target/log-throughput.txt"), table);
    for (Figures run : runs) {
      // Nothing lost, nothing repeated. A long line the container parser let go of in two halves
      // (its partial-line flush period passed under load, docs/performance.md) counts as its two
      // halves: the bytes all arrived, as two records instead of one.
      assertThat(run.fragments() % 2).as("%s: halves come in pairs", run.name()).isZero();
      assertThat(run.arrived() - run.fragments() / 2)
          .as("%s: records in VictoriaLogs, a split line counted once", run.name())
          .isEqualTo(run.records());
    }
  }

  // ---- the two configurations ----

  /**
   * Vigil's agent configuration for a LogPipeline reading {@link #NS}, as the operator renders it.
   */
  private String vigilConfig(Path pods, String specExtra) {
    LogPipeline pipeline =
        Serialization.unmarshal(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: LogPipeline
            metadata: {name: bench-logs, namespace: %s}
            spec:
              select:
                namespaces: {matchNames: [%s]}
              backends:
                victoriaLogs: {retention: 1d}
              %s
            """
                .formatted(NS, NS, specExtra),
            LogPipeline.class);
    CollectorConfigBuilder.Result result =
        LogAgentConfigBuilder.build(
            pipeline,
            new LogAgentInputs(
                new TreeSet<>(List.of(NS)),
                null,
                AGENTS_NS,
                "vigil-logs-" + NS + "-bench-logs",
                VICTORIA_PLACEHOLDER,
                null,
                false));
    assertThat(result.problems()).isEmpty();
    return CollectorConfigRenderer.renderString(result.config())
        .replace(LogAgentConfigBuilder.POD_LOGS_DIR + "/", pods + "/")
        .replace("auth_type: serviceAccount", "auth_type: kubeConfig");
  }

  /**
   * The OpenTelemetry Collector Helm chart's recommended pod log collection, as its {@code
   * logsCollection} and {@code kubernetesAttributes} presets render it for a DaemonSet
   * (open-telemetry/opentelemetry-helm-charts,
   * charts/opentelemetry-collector/templates/_config.tpl: {@code logsCollectionConfig}, {@code
   * kubernetesAttributesConfig}, with the chart's default {@code maxRecombineLogSize} 102400 and
   * its default {@code memory_limiter} and {@code batch} processors; k8sattributes is prepended to
   * the logs pipeline). The OpenTelemetry documentation's "Important Components for Kubernetes"
   * (Filelog Receiver) points to the same preset. The chart leaves the exporter to the user: {@code
   * otlphttp} to VictoriaLogs' OTLP endpoint, its defaults (gzip, in-memory queue).
   *
   * <p>Changed for the benchmark, as for Vigil's: {@code start_at: beginning} (the preset's {@code
   * end} reads only what is written after the agent starts), the pods directory under the test's,
   * {@code auth_type: kubeConfig}, health and metrics on loopback ports.
   */
  private String recommendedConfig(Path pods) {
    return """
        receivers:
          filelog:
            include: [ %1$s/*/*/*.log ]
            # Exclude collector container's logs.
            exclude: [ %1$s/%2$s_opentelemetry-collector*_*/opentelemetry-collector/*.log ]
            start_at: beginning
            retry_on_failure:
              enabled: true
            include_file_path: true
            include_file_name: false
            operators:
              - type: container
                id: container-parser
                max_log_size: 102400
        processors:
          k8sattributes:
            auth_type: kubeConfig
            filter:
              node_from_env_var: K8S_NODE_NAME
            passthrough: false
            pod_association:
              - sources:
                  - from: resource_attribute
                    name: k8s.pod.ip
              - sources:
                  - from: resource_attribute
                    name: k8s.pod.uid
              - sources:
                  - from: connection
            extract:
              otel_annotations: true
              metadata:
                - k8s.namespace.name
                - k8s.pod.name
                - k8s.pod.uid
                - k8s.node.name
                - k8s.pod.start_time
                - k8s.deployment.name
                - k8s.replicaset.name
                - k8s.replicaset.uid
                - k8s.daemonset.name
                - k8s.daemonset.uid
                - k8s.job.name
                - k8s.job.uid
                - k8s.container.name
                - k8s.cronjob.name
                - k8s.statefulset.name
                - k8s.statefulset.uid
                - container.image.tag
                - container.image.name
                - k8s.cluster.uid
                - service.namespace
                - service.name
                - service.version
                - service.instance.id
          memory_limiter:
            check_interval: 5s
            limit_percentage: 80
            spike_limit_percentage: 25
          batch: {}
        exporters:
          otlphttp:
            endpoint: %3$s/insert/opentelemetry
        extensions:
          health_check:
            endpoint: 0.0.0.0:13133
        service:
          extensions: [health_check]
          telemetry:
            metrics:
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 0.0.0.0
                        port: 8888
          pipelines:
            logs:
              receivers: [filelog]
              processors: [k8sattributes, memory_limiter, batch]
              exporters: [otlphttp]
        """
        .formatted(pods, OTEL_AGENTS_NS, VICTORIA_PLACEHOLDER);
  }

  static final String VICTORIA_PLACEHOLDER = "http://victoria-logs.bench.invalid:9428";

  // ---- one run ----

  private Figures run(Path dir, Path pods, String name, String config, List<String> flags)
      throws Exception {
    Path runDir = dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT));
    Files.createDirectories(runDir);
    Path state = Files.createDirectories(runDir.resolve("state"));
    try (RealVictoriaLogs victoria = RealVictoriaLogs.start(runDir.resolve("victoria"))) {
      int health = RealPrometheus.freePort();
      int metrics = RealPrometheus.freePort();
      String local =
          config
              .replace(VICTORIA_PLACEHOLDER + "/insert/opentelemetry", victoria.otlpBase())
              .replace(LogAgentConfigBuilder.STATE_DIR, state.toString())
              .replace("0.0.0.0:13133", "127.0.0.1:" + health)
              .replace("host: 0.0.0.0", "host: 127.0.0.1")
              .replace("port: 8888", "port: " + metrics);
      assertThat(local).doesNotContain("0.0.0.0", ".invalid", " /var/log/pods", "serviceAccount");
      Path configFile = Files.writeString(runDir.resolve("collector.yaml"), local);
      Map<String, String> env =
          Map.of("K8S_NODE_NAME", NODE, "KUBECONFIG", RealApiServer.kubeConfigFile().toString());
      String loadStart = loadAverage();
      long victoriaTicksBefore = ThreadCpu.total(ThreadCpu.of(victoria.pid()));
      long start = System.nanoTime();
      RealTracingProcess collector =
          RealTracingProcess.start(
              "otelcol",
              "VIGIL_OTELCOL",
              configFile,
              flags,
              URI.create("http://127.0.0.1:" + health + "/"),
              runDir,
              env);
      try {
        long deadline = start + size.timeout.toNanos();
        long count = 0;
        long lastProgress = System.nanoTime();
        while (count < size.records()) {
          Thread.sleep(250);
          long now = count(victoria);
          if (now > count) {
            lastProgress = System.nanoTime();
          }
          count = now;
          if (System.nanoTime() > deadline
              || System.nanoTime() - lastProgress > Duration.ofSeconds(60).toNanos()) {
            throw new AssertionError(
                name
                    + ": "
                    + count
                    + " of "
                    + size.records()
                    + " records in VictoriaLogs\ncollector log:\n"
                    + tail(collector.log())
                    + "\nVictoriaLogs log:\n"
                    + tail(victoria.log()));
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = ThreadCpu.seconds(ThreadCpu.total(ThreadCpu.of(collector.pid())));
        long peakRss = statusKib(collector.pid(), "VmHWM");
        double victoriaCpu =
            ThreadCpu.seconds(ThreadCpu.total(ThreadCpu.of(victoria.pid())) - victoriaTicksBefore);
        String loadEnd = loadAverage();
        // Nothing more may come: every record exactly once.
        Thread.sleep(3000);
        long arrived = count(victoria);
        // Every record is about 1 KiB: a shorter one is half of a P/F pair the container
        // parser let go of before its other half came (its recombine's flush period).
        List<JsonNode> shortOnes =
            victoria.query("* | len(_msg) as l | filter l:<700 | stats count() as n");
        long fragments = shortOnes.isEmpty() ? 0 : shortOnes.get(0).path("n").asLong();
        if (fragments > 0) {
          System.out.printf(
              Locale.ROOT,
              "log-throughput: %s: %d fragments, e.g. %s%n",
              name,
              fragments,
              victoria.query(
                  "* | len(_msg) as l | filter l:<700 | sort by (_time) | limit 4"
                      + " | fields _time, l, k8s.pod.name, k8s.container.name, log.iostream"));
        }
        // k8s_attributes did its work: the node name comes from the API server's pod.
        JsonNode sample = victoria.query("* | limit 1").get(0);
        assertThat(sample.path("k8s.node.name").asText())
            .as("%s: %s", name, sample)
            .isEqualTo(NODE);
        Figures figures =
            new Figures(
                name,
                size.records(),
                arrived,
                fragments,
                seconds,
                cpu,
                peakRss,
                victoriaCpu,
                loadStart,
                loadEnd);
        System.out.printf(Locale.ROOT, "log-throughput: %s%n", figures);
        return figures;
      } finally {
        collector.close();
      }
    } finally {
      deleteRecursively(runDir.resolve("victoria/data"));
      deleteRecursively(state);
    }
  }

  /** The number of records VictoriaLogs holds, all streams, all time. */
  private static long count(RealVictoriaLogs victoria) throws Exception {
    List<JsonNode> rows = victoria.query("* | count() as n");
    return rows.isEmpty() ? 0 : rows.get(0).path("n").asLong();
  }

  // ---- the pod log files ----

  /**
   * Creates {@code files / 2} pods on {@link #NODE} with two containers each, and writes each
   * container's {@code 0.log}; returns the number of records (a partial pair is one record).
   */
  private long writePodLogs(KubernetesClient admin, Path pods) throws IOException {
    Random random = new Random(42);
    String words = filler(random);
    Instant base = Instant.now().minus(Duration.ofMinutes(30));
    long records = 0;
    long sequence = 0;
    for (int p = 0; p < size.files / 2; p++) {
      Pod pod =
          admin
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("shop-" + p)
                      .withNamespace(NS)
                      .addToLabels("app", "shop")
                      .endMetadata()
                      .withNewSpec()
                      .withNodeName(NODE)
                      .withAutomountServiceAccountToken(false)
                      .addNewContainer()
                      .withName("app")
                      .withImage("shop/app:1")
                      .endContainer()
                      .addNewContainer()
                      .withName("sidecar")
                      .withImage("shop/sidecar:1")
                      .endContainer()
                      .endSpec()
                      .build())
              .create();
      Path podDir =
          pods.resolve(NS + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid());
      for (String container : List.of("app", "sidecar")) {
        Path file = Files.createDirectories(podDir.resolve(container)).resolve("0.log");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          for (int i = 0; i < LINES_PER_FILE; i++) {
            sequence++;
            writeRecord(out, base.plusNanos(sequence * 1000), sequence, random, words);
            records++;
          }
        }
      }
    }
    return records;
  }

  static final DateTimeFormatter CRI_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter APP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  static final String[] LEVELS = {"INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};

  /**
   * One record: 85 % plain text with a level word, 12 % JSON with a trace id, 3 % split into a
   * partial ({@code P}) and a final ({@code F}) chunk. A whole CRI line is {@link #LINE_BYTES}
   * bytes with its newline; a split record's two lines are that together.
   */
  static void writeRecord(
      BufferedWriter out, Instant time, long sequence, Random random, String words)
      throws IOException {
    String prefix = CRI_TIME.format(time) + (sequence % 5 == 0 ? " stderr " : " stdout ");
    int kind = (int) (sequence % 100);
    String level = LEVELS[(int) (sequence % LEVELS.length)];
    if (kind < 12) {
      String head =
          "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"payment %d authorised\",\"trace_id\":\"%016x%016x\",\"span_id\":\"%016x\",\"detail\":\""
              .formatted(
                  APP_TIME.format(time),
                  level.toLowerCase(Locale.ROOT),
                  sequence,
                  random.nextLong(),
                  random.nextLong(),
                  random.nextLong());
      String full = prefix + "F " + head;
      out.write(full);
      out.write(pad(words, random, LINE_BYTES - 1 - full.length() - 2));
      out.write("\"}\n");
    } else if (kind < 15) {
      String head =
          "%s %s [pool-%d] shop.Export: batch %d exported "
              .formatted(APP_TIME.format(time), level, sequence % 8, sequence);
      String first = prefix + "P " + head;
      int firstPad = LINE_BYTES / 2 - 1 - first.length();
      out.write(first);
      out.write(pad(words, random, firstPad));
      out.write('\n');
      String second = prefix + "F ";
      out.write(second);
      out.write(pad(words, random, LINE_BYTES / 2 - 1 - second.length()));
      out.write('\n');
    } else {
      String full =
          prefix
              + "F "
              + "%s %s [pool-%d] shop.Orders: order %d accepted for customer %d "
                  .formatted(
                      APP_TIME.format(time),
                      level,
                      sequence % 8,
                      sequence,
                      random.nextInt(1_000_000));
      out.write(full);
      out.write(pad(words, random, LINE_BYTES - 1 - full.length()));
      out.write('\n');
    }
  }

  /** 64 KiB of lower-case words, where each line's padding is cut from. */
  static String filler(Random random) {
    StringBuilder text = new StringBuilder();
    while (text.length() < 64 * 1024) {
      int length = 2 + random.nextInt(9);
      for (int i = 0; i < length; i++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      text.append(' ');
    }
    return text.toString();
  }

  static String pad(String words, Random random, int length) {
    int from = random.nextInt(words.length() - length);
    return words.substring(from, from + length);
  }

  // ---- the table ----

  String table(List<Figures> runs, String loadBefore, String loadAfter) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (Figures run : runs) {
      add(rows, "Records (1 KiB CRI lines, %d files)".formatted(size.files), "%,d", run.records());
      add(rows, "Start → every record in VictoriaLogs", "%.1f s", run.seconds());
      add(rows, "Lines/s", "%,.0f", run.linesPerSecond());
      add(rows, "Collector CPU (user + system)", "%.1f s", run.cpuSeconds());
      add(rows, "Collector CPU cores per 10,000 lines/s", "%.3f", run.coresPer10k());
      add(rows, "Collector peak RSS (VmHWM)", "%.0f MiB", run.peakRssKib() / 1024.0);
      add(rows, "Collector MiB per 10,000 lines/s", "%.1f", run.mibPer10k());
      add(rows, "VictoriaLogs CPU during the run", "%.1f s", run.victoriaCpuSeconds());
      add(rows, "Records in VictoriaLogs 3 s later", "%,d", run.arrived());
      add(rows, "… of them under 700 bytes (half of a split P/F pair)", "%,d", run.fragments());
      add(
          rows,
          "Load average at start / end of the run",
          "%s",
          run.loadStart() + " / " + run.loadEnd());
    }
    StringBuilder out = new StringBuilder();
    out.append("| Log agent, one collector (")
        .append(size.name().toLowerCase(Locale.ROOT))
        .append(" size) | ")
        .append(String.join(" | ", runs.stream().map(Figures::name).toList()))
        .append(" |\n|---|")
        .append("---|".repeat(runs.size()))
        .append('\n');
    rows.forEach(
        (label, values) ->
            out.append("| ")
                .append(label)
                .append(" | ")
                .append(String.join(" | ", values))
                .append(" |\n"));
    out.append("\nLoad average (1, 5, 15 min) before / after: ")
        .append(loadBefore)
        .append(" / ")
        .append(loadAfter)
        .append('\n');
    out.append(
        "Collector: %s; Vigil's runs with %s, as its DaemonSet passes.\n"
            .formatted(collectorVersion(), SYNCHRONOUS_EMITTER));
    return out.toString();
  }

  private static void add(
      Map<String, List<String>> rows, String label, String format, Object value) {
    rows.computeIfAbsent(label, k -> new ArrayList<>())
        .add(String.format(Locale.ROOT, format, value));
  }

  // ---- /proc and small helpers ----

  static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  static long statusKib(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
  }

  static String collectorVersion() {
    try {
      return RealApiServer.run(
              Duration.ofSeconds(10), RealApiServer.tool("VIGIL_OTELCOL"), "--version")
          .trim();
    } catch (Exception e) {
      return "otelcol (version unknown: " + e + ")";
    }
  }

  static String tail(String log) {
    return log.length() <= 4000 ? log : "…" + log.substring(log.length() - 4000);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      Iterator<Path> it = paths.sorted(Comparator.reverseOrder()).iterator();
      while (it.hasNext()) {
        Files.delete(it.next());
      }
    }
  }
}
