package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.KubeletEnv;
import dev.vigil.e2e.harness.LoopbackTracing;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.reconcilers.injection.CatalogLookup;
import dev.vigil.reconcilers.injection.InjectionResult;
import dev.vigil.reconcilers.injection.InstrumentationCatalog;
import dev.vigil.reconcilers.injection.PodInjector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real applications, one per language the project installs here, run with exactly the environment
 * Vigil's injector gives their pod, send their spans through the real collector rendered for a
 * TracingPipeline into the real Jaeger, where the trace is found by the owning Deployment's name
 * with the {@code k8s.*} resource attributes.
 *
 * <p>For each language: the pod a Deployment's ReplicaSet would create (owner reference to {@code
 * <deployment>-<hash>}, the {@code pod-template-hash} label, {@code
 * instrumentation.vigil.dev/inject-<language>}) goes through {@link PodInjector} with an
 * Instrumentation whose endpoint is the collector's loopback receiver; the mutated container's env
 * is resolved as the kubelet would ({@link KubeletEnv}: {@code metadata.name} is the pod's name,
 * {@code spec.nodeName} a node name, {@code status.hostIP} 127.0.0.1, then {@code $(VAR)}); the
 * mount path {@code /otel-auto-instrumentation-<language>} is replaced by the directory
 * e2e/tools/install.sh laid out with what the init container's image carries (the only change to
 * the injected environment, besides the one below); and the app (src/test/resources/
 * instrumented-apps/) starts as a local process with that environment, {@code PATH} (which the
 * image would give) and {@code PORT}. One request to {@code GET /}, which calls {@code /inventory}
 * on the app itself, gives a trace of at least three spans.
 *
 * <p>Node.js only: {@code OTEL_NODE_RESOURCE_DETECTORS} is set to the detectors that read this
 * machine (env, host, os, process, serviceinstance, container) unless the injected env sets it: the
 * package's default, {@code all}, also asks the cloud providers' metadata addresses
 * (169.254.169.254 and the like), which a test here must never reach.
 *
 * <p>Versions: the payloads are those of the images Vigil's injector names by default, checked
 * against the init container's image tag (see docs/instrumentation.md, "Real applications in the
 * tests").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstrumentedAppsIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String NAMESPACE = "shop";
  private static final String NODE = "node-e2e-1";
  private static final String MOUNT_PREFIX = "/otel-auto-instrumentation-";
  private static final Duration STARTED_WITHIN = Duration.ofSeconds(90);
  private static final Duration FOUND_WITHIN = Duration.ofSeconds(60);
  private static final String LOCAL_NODE_RESOURCE_DETECTORS =
      "env,host,os,process,serviceinstance,container";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Path dir;
  private Path payloads;
  private Map<String, String> versions;
  private LoopbackTracing.Jaeger jaeger;
  private LoopbackTracing.Collector collector;
  private PodInjector injector;

  @BeforeAll
  void startTracePath(@TempDir Path dir) throws Exception {
    this.dir = dir;
    payloads = Path.of(tool("VIGIL_AUTOINSTRUMENTATION_DIR"));
    versions = new HashMap<>();
    for (String pair : tool("VIGIL_AUTOINSTRUMENTATION_VERSIONS").split(",")) {
      versions.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    TracingPipeline pipeline =
        YAML.readValue(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: traces, namespace: shop}
            spec:
              processors:
                k8sAttributes: {enabled: false}
                batch: {timeout: 100ms}
              exporters:
                jaeger: {storage: memory, maxTraces: 1000}
            """,
            TracingPipeline.class);
    jaeger = LoopbackTracing.startJaeger(pipeline, dir);
    collector = LoopbackTracing.startCollector(pipeline, jaeger.otlpGrpcPort(), dir);
    // Two Instrumentations at the collector's loopback receivers (an explicit endpoint is one URL
    // for the protocol named): Java sends OTLP/gRPC, Python and Node.js http/protobuf.
    Instrumentation grpc =
        instrumentation("otlp-grpc", "grpc", "http://127.0.0.1:" + collector.otlpGrpcPort());
    Instrumentation httpProtobuf =
        instrumentation(
            "otlp-http", "http/protobuf", "http://127.0.0.1:" + collector.otlpHttpPort());
    Map<String, Instrumentation> byName = Map.of("otlp-grpc", grpc, "otlp-http", httpProtobuf);
    injector =
        new PodInjector(
            new CatalogLookup(
                new InstrumentationCatalog() {
                  @Override
                  public List<Instrumentation> instrumentations(String namespace) {
                    return NAMESPACE.equals(namespace) ? List.copyOf(byName.values()) : List.of();
                  }

                  @Override
                  public Optional<Instrumentation> instrumentation(String namespace, String name) {
                    return NAMESPACE.equals(namespace)
                        ? Optional.ofNullable(byName.get(name))
                        : Optional.empty();
                  }

                  @Override
                  public Optional<TracingPipeline> tracingPipeline(String namespace, String name) {
                    return Optional.empty();
                  }
                }),
            false);
  }

  @AfterAll
  void stopTracePath() throws Exception {
    try (LoopbackTracing.Jaeger j = jaeger;
        LoopbackTracing.Collector c = collector) {
      // closed in reverse order: the collector first
    }
  }

  @Test
  void flaskAppTracesReachJaeger() throws Exception {
    Path app = resource("flask/app.py");
    Path python = payloads.resolve("apps/python/bin/python");
    assertThat(python).as("the Flask app's venv (install.sh otel-python)").isExecutable();
    runAndFindTrace(
        "python",
        "otlp-http",
        "shop-flask",
        List.of(python.toString(), app.toString()),
        Files.createDirectories(dir.resolve("flask")));
  }

  @Test
  void expressAppTracesReachJaeger() throws Exception {
    // The app and its node_modules side by side, as an image lays them out.
    Path work = Files.createDirectories(dir.resolve("express"));
    Files.copy(resource("express/app.js"), work.resolve("app.js"));
    Path modules = payloads.resolve("apps/nodejs/node_modules");
    assertThat(modules.resolve("express")).as("express (install.sh otel-nodejs)").isDirectory();
    Files.createSymbolicLink(work.resolve("node_modules"), modules);
    runAndFindTrace(
        "nodejs",
        "otlp-http",
        "shop-express",
        List.of("node", work.resolve("app.js").toString()),
        work);
  }

  @Test
  void javaAppTracesReachJaeger() throws Exception {
    // The app compiled as its image would carry it, then run with the agent JAVA_TOOL_OPTIONS
    // loads.
    Path classes = Files.createDirectories(dir.resolve("java"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled =
        javac.run(null, null, null, "-d", classes.toString(), resource("java/App.java").toString());
    assertThat(compiled).as("javac App.java").isZero();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    runAndFindTrace(
        "java",
        "otlp-grpc",
        "shop-java",
        List.of(java.toString(), "-cp", classes.toString(), "App"),
        classes);
  }

  /**
   * Injects {@code language} into a Deployment's pod named {@code deployment}, starts {@code
   * command} with that pod's container environment, sends one request and asserts the trace in
   * Jaeger.
   */
  private void runAndFindTrace(
      String language,
      String instrumentation,
      String deployment,
      List<String> command,
      Path workDir)
      throws Exception {
    String hash = "7d9f8c6b5";
    String replicaSet = deployment + "-" + hash;
    String podName = replicaSet + "-x2k9q";
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName)
            .withGenerateName(replicaSet + "-")
            .withNamespace(NAMESPACE)
            .withUid("0b3c3c8e-6f0e-4f55-9d55-2a6b1c0d9e8f")
            .withLabels(Map.of("app", deployment, "pod-template-hash", hash))
            .withAnnotations(
                Map.of("instrumentation.vigil.dev/inject-" + language, instrumentation))
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withName(replicaSet)
            .withUid("5f1d7a2e-3c4b-4d6e-8f90-a1b2c3d4e5f6")
            .withController(true)
            .withBlockOwnerDeletion(true)
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/shop/" + deployment + ":1.4.2")
            .addNewEnv()
            .withName("APP_GREETING")
            .withValue("hello from the pod template")
            .endEnv()
            .endContainer()
            .endSpec()
            .build();

    InjectionResult result = injector.inject(pod, NAMESPACE, Map.of());
    assertThat(result.warnings()).as("admission warnings").isEmpty();
    assertThat(result.instrumentedBy()).contains(NAMESPACE + "/" + instrumentation);
    Pod mutated = result.pod();
    Container container = mutated.getSpec().getContainers().get(0);

    // The init container copies the image's payload into the mount: the image is the one whose
    // payload install.sh laid out.
    Container init = mutated.getSpec().getInitContainers().get(0);
    String mount = MOUNT_PREFIX + language;
    assertThat(init.getImage())
        .as("the init container's image; install.sh must install the payload of this tag")
        .endsWith(":" + versions.get(language));
    assertThat(init.getCommand().get(init.getCommand().size() - 1))
        .as("where the init container copies to")
        .startsWith(mount);
    assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains(mount);
    Path payload = payloads.resolve(mount.substring(1));
    assertThat(payload).as("the %s payload (install.sh otel-%s)", language, language).isDirectory();

    // The container's environment as the kubelet builds it, with the mount moved to the payload.
    Map<String, String> injected =
        KubeletEnv.of(mutated, container, NODE, "127.0.0.1", "127.0.0.1");
    Map<String, String> env = new LinkedHashMap<>();
    injected.forEach((name, value) -> env.put(name, value.replace(mount, payload.toString())));
    if (language.equals("nodejs")) {
      env.putIfAbsent("OTEL_NODE_RESOURCE_DETECTORS", LOCAL_NODE_RESOURCE_DETECTORS);
    }
    assertThat(env)
        .containsEntry("OTEL_SERVICE_NAME", deployment)
        .containsEntry("APP_GREETING", "hello from the pod template")
        .containsKey("OTEL_RESOURCE_ATTRIBUTES");
    assertThat(env.get("OTEL_RESOURCE_ATTRIBUTES"))
        .contains("k8s.pod.name=" + podName, "k8s.node.name=" + NODE)
        .doesNotContain("$(");
    int port = RealPrometheus.freePort();
    env.put("PORT", Integer.toString(port));
    env.put("PATH", System.getenv("PATH"));

    try (AppProcess process = AppProcess.start(language, command, env, workDir)) {
      process.awaitListening(port, STARTED_WITHIN);
      long start = System.nanoTime();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode())
          .as("GET /: %s%n%s", response.body(), process.log())
          .isEqualTo(200);
      assertThat(response.body()).contains("42");

      JsonNode trace =
          LoopbackTracing.awaitTrace(
              jaeger.query(), deployment, t -> t.path("spans").size() >= 3, FOUND_WITHIN);
      assertThat(trace)
          .as(
              "a trace of %s with 3 spans or more in Jaeger within %s%napp:%n%s%ncollector:%n%s",
              deployment, FOUND_WITHIN, process.log(), collector.process().log())
          .isNotNull();
      System.out.printf(
          "InstrumentedAppsIT: %s: trace of %d spans in Jaeger %d ms after the request%n",
          language,
          trace.path("spans").size(),
          Duration.ofNanos(System.nanoTime() - start).toMillis());

      // Every span of the trace comes from the app's process: service name and k8s attributes.
      for (JsonNode span : trace.path("spans")) {
        JsonNode origin = trace.path("processes").path(span.path("processID").asText());
        assertThat(origin.path("serviceName").asText()).isEqualTo(deployment);
        Map<String, String> tags = tags(origin);
        assertThat(tags)
            .as("process tags of span %s", span.path("operationName").asText())
            .containsEntry("k8s.namespace.name", NAMESPACE)
            .containsEntry("k8s.pod.name", podName)
            .containsEntry("k8s.node.name", NODE)
            .containsEntry("k8s.deployment.name", deployment)
            .containsEntry("k8s.replicaset.name", replicaSet)
            .containsEntry("k8s.container.name", "app")
            .containsEntry("service.version", "1.4.2");
      }
      List<String> operations = new ArrayList<>();
      trace.path("spans").forEach(s -> operations.add(s.path("operationName").asText()));
      System.out.printf("InstrumentedAppsIT: %s: spans %s%n", language, operations);
    }
  }

  private static Map<String, String> tags(JsonNode process) {
    Map<String, String> tags = new LinkedHashMap<>();
    process.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    return tags;
  }

  private static Instrumentation instrumentation(String name, String protocol, String endpoint)
      throws IOException {
    return YAML.readValue(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: Instrumentation
        metadata: {name: %s, namespace: shop}
        spec:
          endpoint: %s
          protocol: %s
          propagators: [tracecontext, baggage]
          sampler: {type: parentbased_always_on}
        """
            .formatted(name, endpoint, protocol),
        Instrumentation.class);
  }

  private static Path resource(String name) {
    Path path =
        Path.of(System.getProperty("vigil.repo", ".."))
            .resolve("e2e/src/test/resources/instrumented-apps")
            .resolve(name);
    assertThat(path).isRegularFile();
    return path;
  }

  private static String tool(String variable) {
    String value = System.getenv(variable);
    assertThat(value)
        .as(
            "%s is set: run `make tools` (install.sh otel-python otel-nodejs otel-java) and source env.sh",
            variable)
        .isNotBlank();
    return value;
  }

  /** An app as a local process, its output in a log file; killed with its children on close. */
  private record AppProcess(String name, Process process, Path logFile) implements AutoCloseable {
    static AppProcess start(
        String name, List<String> command, Map<String, String> env, Path workDir)
        throws IOException {
      Path log = workDir.resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      return new AppProcess(name, builder.start(), log);
    }

    /** Waits until the app accepts connections on {@code port} (no request: no span). */
    void awaitListening(int port, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
          return;
        } catch (IOException e) {
          assertThat(process.isAlive()).as("%s exited early:%n%s", name, log()).isTrue();
          assertThat(System.nanoTime())
              .as("%s listening within %s:%n%s", name, timeout, log())
              .isLessThan(deadline);
          Thread.sleep(100);
        }
      }
    }

    String log() {
      try {
        return Files.readString(logFile);
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
      // SIGTERM first (the SDKs flush); Node.js's register.js keeps the process alive on SIGTERM.
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
