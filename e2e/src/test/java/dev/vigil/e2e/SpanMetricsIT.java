package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.e2e.harness.InProcessOperator;
import dev.vigil.e2e.harness.LoopbackTracing;
import dev.vigil.e2e.harness.LoopbackTracing.Collector;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.RealTracingProcess;
import dev.vigil.e2e.harness.TestNetwork;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.collector.CollectorNames;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import dev.vigil.reconcilers.objects.ServiceHost;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Span metrics end to end with real processes: a TracingPipeline with {@code spec.spanMetrics} and
 * {@code exporters.jaeger.monitor.stack}, a MonitoringStack selecting its namespace, the operator
 * rendering the collector's and Jaeger's ConfigMaps and the stack's Prometheus configuration; the
 * real collector and the real Jaeger on those ConfigMaps' files, the real Prometheus on the shard's
 * configuration.
 *
 * <p>What is changed from the rendered files, and why: every {@code 0.0.0.0:<port>} listener moves
 * to a free loopback port ({@link LoopbackTracing#toLoopback}), except Jaeger's span-metrics {@code
 * prometheus} exporter, which listens on this machine's end of the test's network ({@link
 * TestNetwork#hostAddress()}) on its rendered port 8889: the Jaeger Pod that this test makes from
 * the operator's Deployment (as a kubelet would) reports that address as its pod IP, because the
 * API server refuses loopback pod IPs. The Jaeger backend's Service address in the collector's file
 * becomes Jaeger's loopback OTLP port, and the monitor's Prometheus URL in Jaeger's file (the
 * stack's in-cluster query URL, from the stack's status) becomes the real Prometheus' loopback URL.
 * The Prometheus configuration is the shard's Secret with the SD token path pointing at this test's
 * file and the HTTP SD refresh at 1s instead of 30s (the stack's scrape interval is 1s).
 *
 * <p>Three stand-in services frontend → catalog → pricing each emit one SERVER span per request
 * (the callee's span a child of the caller's), so the span metrics and Jaeger's dependency links
 * have exact expected counts.
 */
class SpanMetricsIT {
  static final String NS = "e2e-spanmetrics";
  static final String STACK = "spans";
  static final String PIPELINE = "shop";
  static final String CONFIG_SECRET = STACK + "-prometheus-0-config";

  /** Per wave: requests, those failing in pricing, those of them also failing in catalog. */
  static final int REQUESTS = 30;

  static final int PRICING_ERRORS = 6;
  static final int CATALOG_ERRORS = 3;

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static KubernetesClient admin;
  static VigilOperator vigil;
  static TestNetwork network;
  static int sdPort;

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    network = TestNetwork.open();
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
  void spanMetricsReachPrometheusThroughVigilsDiscoveryAndJaegersMonitorReadsThemBack(
      @TempDir Path dir) throws Exception {
    long began = System.nanoTime();
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper: {scrapeInterval: 1s, scrapeTimeout: 1s}
          monitorSelector:
            labelSelector: {matchLabels: {team: e2e}}
            namespaceSelector: {}
        """
            .formatted(STACK, NS));
    String stackQueryUrl =
        await("the stack's query URL")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  MonitoringStack stack =
                      admin.resources(MonitoringStack.class).inNamespace(NS).withName(STACK).get();
                  return stack == null || stack.getStatus() == null
                      ? null
                      : stack.getStatus().queryUrl;
                },
                url -> url != null);
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: TracingPipeline
        metadata: {name: %s, namespace: %s}
        spec:
          mode: gateway
          processors:
            batch: {timeout: 100ms}
            k8sAttributes: {enabled: false}
          spanMetrics: {flushInterval: 1s}
          exporters:
            jaeger:
              storage: memory
              maxTraces: 1000
              monitor: {stack: {name: %s}}
        """
            .formatted(PIPELINE, NS, STACK));

    // What the operator renders: the collector's and Jaeger's ConfigMaps, Jaeger's Deployment, the
    // collector's Deployment (its feature gates), the shard's configuration with the new job.
    String jaegerName = JaegerNames.service(PIPELINE);
    String collectorName = CollectorNames.service(PIPELINE);
    String jaegerRendered =
        await("Jaeger's ConfigMap with the monitor's Prometheus")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> data(jaegerName, "jaeger.yaml"), c -> c != null && c.contains(stackQueryUrl));
    String collectorRendered =
        await("the collector's ConfigMap with span metrics")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> data(collectorName, "collector.yaml"),
                c -> c != null && c.contains("span_metrics"));
    Deployment jaegerDeployment =
        await("Jaeger's Deployment")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.apps().deployments().inNamespace(NS).withName(jaegerName).get(),
                d -> d != null);
    Deployment collectorDeployment =
        await("the collector's Deployment")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.apps().deployments().inNamespace(NS).withName(collectorName).get(),
                d -> d != null);
    List<String> featureGates =
        collectorDeployment
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs()
            .stream()
            .filter(a -> a.startsWith("--feature-gates="))
            .toList();
    assertThat(featureGates)
        .containsExactly("--feature-gates=connector.spanmetrics.excludeResourceMetrics");
    String prometheusConfig =
        await("the shard's configuration with the span-metrics job")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> secretValue(CONFIG_SECRET, "prometheus.yml.gz"),
                c -> c.isPresent() && c.get().contains("vigil/span-metrics"))
            .orElseThrow();

    // Jaeger's pod as its Deployment makes it, running at this machine's end of the test network.
    String podIp = network.hostAddress();
    Pod jaegerPod =
        new PodBuilder()
            .withNewMetadata()
            .withName(jaegerName + "-5d8f7-x2k4q")
            .withNamespace(NS)
            .withLabels(jaegerDeployment.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .withSpec(jaegerDeployment.getSpec().getTemplate().getSpec())
            .build();
    jaegerPod.getSpec().setNodeName("node-a");
    assertThat(
            jaegerPod.getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> "span-metrics".equals(p.getName()))
                .map(p -> p.getContainerPort()))
        .containsExactly(JaegerConfigBuilder.SPAN_METRICS_PORT);
    admin.resource(jaegerPod).create();
    Pod created = admin.pods().inNamespace(NS).withName(jaegerPod.getMetadata().getName()).get();
    created.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(podIp)
            .addNewPodIP(podIp)
            .withHostIP("10.0.0.1")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    admin.pods().inNamespace(NS).resource(created).updateStatus();

    // The real Prometheus on the shard's configuration.
    Path promDir = Files.createDirectories(dir.resolve("prometheus"));
    Files.createDirectories(promDir.resolve("sd-token"));
    Files.writeString(
        promDir.resolve("sd-token/token"), secretValue(STACK + "-sd-token", "token").orElseThrow());
    Path promFile = promDir.resolve("prometheus.yml");
    Files.writeString(
        promFile,
        prometheusConfig
            .replace("/etc/prometheus/sd-token/", promDir.resolve("sd-token") + "/")
            .replace("refresh_interval: 30s", "refresh_interval: 1s"));
    int prometheusPort = RealPrometheus.freePort();
    URI prometheusUrl = URI.create("http://127.0.0.1:" + prometheusPort);

    try (RealPrometheus prometheus = RealPrometheus.start(promFile, promDir, prometheusPort);
        LoopbackTracing.Jaeger jaeger =
            startJaeger(
                jaegerRendered.replace(stackQueryUrl, prometheusUrl.toString()), podIp, dir);
        Collector collector =
            LoopbackTracing.startCollector(
                "otelcol-" + PIPELINE,
                collectorRendered.replace(
                    ServiceHost.of(jaegerName, NS) + ":" + JaegerConfigBuilder.OTLP_GRPC_PORT,
                    "127.0.0.1:" + jaeger.otlpGrpcPort()),
                featureGates,
                Map.of(),
                dir)) {
      System.out.printf(
          "SpanMetricsIT: processes ready %d ms after start%n",
          Duration.ofNanos(System.nanoTime() - began).toMillis());

      // Prometheus finds Jaeger's span-metrics port through Vigil's HTTP SD and scrapes it.
      await("the vigil/span-metrics target up")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(ScrapePipelineIT.upTargets(prometheus, "vigil/span-metrics"))
                      .containsExactly(podIp + ":" + JaegerConfigBuilder.SPAN_METRICS_PORT));

      // Two waves: a counter's first sample gives no rate, so the second makes the rates.
      sendWave(collector);
      Map<String, Long> firstWave = expectedCounts(1);
      await("the first wave's span metrics in Prometheus")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> calls(prometheus), firstWave::equals);
      Thread.sleep(2500); // at least two scrapes of the first wave's counts
      sendWave(collector);
      Map<String, Long> expected = expectedCounts(2);
      await("both waves' span metrics in Prometheus")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(calls(prometheus)).isEqualTo(expected));
      System.out.printf(
          "SpanMetricsIT: both waves counted in Prometheus %d ms after start%n",
          Duration.ofNanos(System.nanoTime() - began).toMillis());

      // The series come from the vigil/span-metrics job's target, labelled as the pod.
      JsonNode series =
          prometheus.api(
              "/api/v1/query?query="
                  + encode("traces_span_metrics_calls_total{service_name=\"pricing\"}"));
      assertThat(series.path("result")).isNotEmpty();
      for (JsonNode s : series.path("result")) {
        JsonNode labels = s.path("metric");
        assertThat(labels.path("instance").asText())
            .isEqualTo(podIp + ":" + JaegerConfigBuilder.SPAN_METRICS_PORT);
        assertThat(labels.path("namespace").asText()).isEqualTo(NS);
        assertThat(labels.path("pod").asText()).isEqualTo(jaegerPod.getMetadata().getName());
        assertThat(labels.path("job").asText()).isEqualTo("jaeger");
        assertThat(labels.path("span_kind").asText()).isEqualTo("SPAN_KIND_SERVER");
        assertThat(labels.path("span_name").asText()).isEqualTo("GET /price");
        System.out.println("SpanMetricsIT: a pricing series: " + labels);
      }

      // The RED dashboard's span panels, as Grafana would send them.
      Map<Integer, List<String>> panels = dashboardQueries();
      Map<String, Double> rates = byService(prometheus, panels.get(201).get(0));
      assertThat(rates).containsOnlyKeys("frontend", "catalog", "pricing");
      assertThat(rates.values()).allSatisfy(rate -> assertThat(rate).isPositive());
      Map<String, Double> errorRatio = byService(prometheus, panels.get(202).get(0));
      assertThat(errorRatio).containsOnlyKeys("catalog", "pricing");
      assertThat(errorRatio.get("catalog"))
          .isCloseTo((double) CATALOG_ERRORS / REQUESTS, within(1e-9));
      assertThat(errorRatio.get("pricing"))
          .isCloseTo((double) PRICING_ERRORS / REQUESTS, within(1e-9));
      Map<String, Double> operations = byService(prometheus, panels.get(203).get(0));
      assertThat(operations).containsOnlyKeys("frontend", "catalog", "pricing");
      for (String quantile : panels.get(204)) {
        Map<String, Double> durations = byService(prometheus, quantile);
        assertThat(durations).containsOnlyKeys("frontend", "catalog", "pricing");
        assertThat(durations.values()).allSatisfy(d -> assertThat(d).isPositive());
      }

      // Jaeger's dependency links: exactly the cross-service calls sent.
      long now = System.currentTimeMillis();
      JsonNode dependencies =
          jaegerGet(jaeger, "/api/dependencies?endTs=" + now + "&lookback=3600000");
      Map<String, Long> links = new TreeMap<>();
      for (JsonNode link : dependencies.path("data")) {
        links.put(
            link.path("parent").asText() + "->" + link.path("child").asText(),
            link.path("callCount").asLong());
      }
      assertThat(links)
          .isEqualTo(Map.of("frontend->catalog", 2L * REQUESTS, "catalog->pricing", 2L * REQUESTS));

      // Jaeger's Monitor tab reads the span metrics back from the real Prometheus.
      String window = "&endTs=" + now + "&lookback=300000&step=5000&ratePer=60000";
      String services = "service=frontend&service=catalog&service=pricing";
      assertThat(monitorServices(jaeger, "/api/metrics/calls?" + services + window))
          .containsExactlyInAnyOrder("frontend", "catalog", "pricing");
      JsonNode errors = jaegerGet(jaeger, "/api/metrics/errors?" + services + window);
      Map<String, Double> errorRates = new TreeMap<>();
      for (JsonNode metric : errors.path("metrics")) {
        JsonNode points = metric.path("metricPoints");
        errorRates.put(
            metric.path("labels").get(0).path("value").asText(),
            points.get(points.size() - 1).path("gaugeValue").path("doubleValue").asDouble());
      }
      assertThat(errorRates).containsOnlyKeys("catalog", "pricing");
      assertThat(errorRates.get("catalog"))
          .isCloseTo((double) CATALOG_ERRORS / REQUESTS, within(1e-9));
      assertThat(errorRates.get("pricing"))
          .isCloseTo((double) PRICING_ERRORS / REQUESTS, within(1e-9));
      assertThat(
              monitorServices(
                  jaeger, "/api/metrics/latencies?" + services + "&quantile=0.95" + window))
          .containsExactlyInAnyOrder("frontend", "catalog", "pricing");

      List<String> urls = prometheus.assertTrafficStaysLocal(network);
      System.out.printf(
          "SpanMetricsIT: Prometheus talked only to 127.0.0.0/8 and %s: %s; done %d ms after"
              + " start%n",
          network.range(), urls, Duration.ofNanos(System.nanoTime() - began).toMillis());
    }
  }

  /** {@code sum by (service_name, status_code)} of the calls counters, as "service status". */
  static Map<String, Long> calls(RealPrometheus prometheus) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    JsonNode data =
        prometheus.api(
            "/api/v1/query?query="
                + encode(
                    "sum by (service_name, status_code) (traces_span_metrics_calls_total"
                        + "{job=\"jaeger\"})"));
    for (JsonNode s : data.path("result")) {
      counts.put(
          s.path("metric").path("service_name").asText()
              + " "
              + s.path("metric").path("status_code").asText(),
          Math.round(Double.parseDouble(s.path("value").get(1).asText())));
    }
    return counts;
  }

  /** The counts after {@code waves} waves. */
  static Map<String, Long> expectedCounts(int waves) {
    Map<String, Long> counts = new TreeMap<>();
    counts.put("frontend STATUS_CODE_UNSET", (long) waves * REQUESTS);
    counts.put("catalog STATUS_CODE_UNSET", (long) waves * (REQUESTS - CATALOG_ERRORS));
    counts.put("catalog STATUS_CODE_ERROR", (long) waves * CATALOG_ERRORS);
    counts.put("pricing STATUS_CODE_UNSET", (long) waves * (REQUESTS - PRICING_ERRORS));
    counts.put("pricing STATUS_CODE_ERROR", (long) waves * PRICING_ERRORS);
    return counts;
  }

  /** {@link #REQUESTS} traces frontend → catalog → pricing, one SERVER span per service. */
  static void sendWave(Collector collector) throws Exception {
    List<String> frontend = new ArrayList<>();
    List<String> catalog = new ArrayList<>();
    List<String> pricing = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < REQUESTS; i++) {
      String trace = hex(16);
      String f = hex(8);
      String c = hex(8);
      String p = hex(8);
      long start = now - 100_000_000L;
      frontend.add(span(trace, f, null, "GET /", start, start + 50_000_000L, false));
      catalog.add(
          span(
              trace,
              c,
              f,
              "GET /items",
              start + 5_000_000L,
              start + 40_000_000L,
              i < CATALOG_ERRORS));
      pricing.add(
          span(
              trace,
              p,
              c,
              "GET /price",
              start + 10_000_000L,
              start + 20_000_000L,
              i < PRICING_ERRORS));
    }
    String body =
        "{\"resourceSpans\": ["
            + String.join(
                ", ",
                resourceSpans("frontend", frontend),
                resourceSpans("catalog", catalog),
                resourceSpans("pricing", pricing))
            + "]}";
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(collector.otlpHttp().resolve("/v1/traces"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST /v1/traces: %s", response.body()).isEqualTo(200);
  }

  static String resourceSpans(String service, List<String> spans) {
    return "{\"resource\": {\"attributes\": [{\"key\": \"service.name\", \"value\":"
        + " {\"stringValue\": \""
        + service
        + "\"}}]}, \"scopeSpans\": [{\"scope\": {\"name\": \"vigil-e2e\"}, \"spans\": ["
        + String.join(", ", spans)
        + "]}]}";
  }

  /** A SERVER span (kind 2); status ERROR when {@code error}, else unset. */
  static String span(
      String trace, String id, String parent, String name, long start, long end, boolean error) {
    return "{\"traceId\": \""
        + trace
        + "\", \"spanId\": \""
        + id
        + (parent == null ? "" : "\", \"parentSpanId\": \"" + parent)
        + "\", \"name\": \""
        + name
        + "\", \"kind\": 2, \"startTimeUnixNano\": \""
        + start
        + "\", \"endTimeUnixNano\": \""
        + end
        + "\""
        + (error ? ", \"status\": {\"code\": 2, \"message\": \"failed\"}" : "")
        + "}";
  }

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * Starts Jaeger on its rendered file with listeners on loopback, but the span-metrics exporter on
   * {@code podIp}:8889, where the pod's target points.
   */
  static LoopbackTracing.Jaeger startJaeger(String rendered, String podIp, Path dir)
      throws Exception {
    Map<Integer, Integer> ports = new TreeMap<>();
    JsonNode config = LoopbackTracing.toLoopback(rendered, ports);
    ObjectNode exporter = (ObjectNode) config.path("exporters").path("prometheus");
    assertThat(exporter.path("endpoint").asText()).startsWith("127.0.0.1:");
    exporter.set("endpoint", new TextNode(podIp + ":" + JaegerConfigBuilder.SPAN_METRICS_PORT));
    ports.put(JaegerConfigBuilder.SPAN_METRICS_PORT, JaegerConfigBuilder.SPAN_METRICS_PORT);
    Path file = LoopbackTracing.write(dir.resolve("jaeger.yaml"), config);
    RealTracingProcess process =
        RealTracingProcess.start(
            "jaeger",
            "VIGIL_JAEGER",
            file,
            LoopbackTracing.loopback(ports.get(JaegerConfigBuilder.HEALTH_PORT))
                .resolve(JaegerConfigBuilder.HEALTH_PATH),
            dir);
    return new LoopbackTracing.Jaeger(process, ports);
  }

  static java.util.Optional<String> secretValue(String name, String key) throws Exception {
    io.fabric8.kubernetes.api.model.Secret secret =
        admin.secrets().inNamespace(NS).withName(name).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
      return java.util.Optional.empty();
    }
    byte[] value = java.util.Base64.getDecoder().decode(secret.getData().get(key));
    if (key.endsWith(".gz")) {
      try (var gzip = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(value))) {
        value = gzip.readAllBytes();
      }
    }
    return java.util.Optional.of(new String(value, StandardCharsets.UTF_8));
  }

  static String data(String configMap, String key) {
    ConfigMap map = admin.configMaps().inNamespace(NS).withName(configMap).get();
    return map == null || map.getData() == null ? null : map.getData().get(key);
  }

  /** The RED dashboard's span panels' queries (ids 201–204), with the dashboard's variables set. */
  static Map<Integer, List<String>> dashboardQueries() throws Exception {
    JsonNode dashboard =
        JSON.readTree(
            RealApiServer.REPO
                .resolve("reconcilers/src/main/resources/dashboards/vigil-service-red.json")
                .toFile());
    Map<Integer, List<String>> queries = new TreeMap<>();
    collect(dashboard.path("panels"), queries);
    assertThat(queries).containsOnlyKeys(201, 202, 203, 204);
    return queries;
  }

  private static void collect(JsonNode panels, Map<Integer, List<String>> queries) {
    for (JsonNode panel : panels) {
      int id = panel.path("id").asInt();
      if (id >= 201 && id <= 204) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode target : panel.path("targets")) {
          exprs.add(
              target
                  .path("expr")
                  .asText()
                  .replace("$service", ".*")
                  .replace("$__rate_interval", "1m"));
        }
        queries.put(id, exprs);
      }
      collect(panel.path("panels"), queries);
    }
  }

  static Map<String, Double> byService(RealPrometheus prometheus, String query) throws Exception {
    Map<String, Double> values = new TreeMap<>();
    for (JsonNode s : prometheus.api("/api/v1/query?query=" + encode(query)).path("result")) {
      String service = s.path("metric").path("service_name").asText();
      double value = Double.parseDouble(s.path("value").get(1).asText());
      values.merge(service, value, Math::max);
    }
    return values;
  }

  static JsonNode jaegerGet(LoopbackTracing.Jaeger jaeger, String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(jaeger.query().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The services of a {@code /api/metrics/*} answer that have a positive point. */
  static List<String> monitorServices(LoopbackTracing.Jaeger jaeger, String path) throws Exception {
    JsonNode answer = jaegerGet(jaeger, path);
    List<String> services = new ArrayList<>();
    for (JsonNode metric : answer.path("metrics")) {
      String service = null;
      for (JsonNode label : metric.path("labels")) {
        if ("service_name".equals(label.path("name").asText())) {
          service = label.path("value").asText();
        }
      }
      boolean positive = false;
      for (JsonNode point : metric.path("metricPoints")) {
        double v = point.path("gaugeValue").path("doubleValue").asDouble(Double.NaN);
        positive |= v > 0;
      }
      if (service != null && positive) {
        services.add(service);
      }
    }
    System.out.println("SpanMetricsIT: " + path.substring(0, path.indexOf('?')) + " " + answer);
    return services;
  }

  static String encode(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }
}
