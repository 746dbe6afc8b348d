package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.e2e.harness.ControlPlane;
import dev.vigil.e2e.harness.OperatorProcess;
import dev.vigil.e2e.harness.RealApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's cache abuse: a tenant fills its namespace with 10,000 ConfigMaps and 10,000 Secrets of
 * 8 KiB each, every one labelled as one of Vigil's own objects (and the ConfigMaps as dashboards),
 * about 160 MiB of data. The operator jar runs as its own process with the heap the Deployment
 * gives it, as the operator's ServiceAccount, on a control plane of its own. Its live heap after a
 * full GC must grow by less than {@value #HEAP_GROWTH_MIB} MiB, its resident memory stay under the
 * Deployment's limit, the objects show as left out in its metrics, and the tenant's stack still
 * reconcile, with its Dashboards condition saying what was not read.
 */
class CacheAbuseIT {
  static final String PLATFORM = "platform";
  static final String TENANT = "team-a";
  static final String STACK = "stack";
  static final int OBJECTS = 10_000;
  static final int VALUE_BYTES = 8 * 1024;
  static final long HEAP_GROWTH_MIB = 32;

  static final Path dir = RealApiServer.REPO.resolve("e2e/target/cache-abuse-it");
  static ControlPlane plane;
  static KubernetesClient admin;
  static OperatorProcess operator;
  static final Map<String, String> figures = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    deleteRecursively(dir);
    Files.createDirectories(dir.resolve("plane"));
    plane = ControlPlane.start(dir.resolve("plane"));
    admin = plane.admin();
    try (Stream<Path> files = Files.list(RealApiServer.REPO.resolve("manifests/rbac"))) {
      plane.applyFiles(files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList());
    }
    for (String ns : List.of(PLATFORM, TENANT)) {
      admin
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    operator =
        OperatorProcess.start(
            plane.kubeconfigFor("vigil-system", "vigil-operator"),
            dir.resolve("operator.log"),
            // What the operator keeps, not what it caches softly: buffers its JSON and HTTP
            // clients recycle through soft references (more of them since the dashboards' watch
            // also reads the forged ConfigMaps) go at every GC, as they would under pressure.
            Stream.concat(
                    ScaleHarnessIT.DEPLOYMENT_MEMORY.jvmOptions().stream(),
                    Stream.of("-XX:SoftRefLRUPolicyMSPerMB=0"))
                .toList(),
            "--leader-election=false",
            "--platform-namespaces=" + PLATFORM);
    await("the operator is ready")
        .atMost(Duration.ofSeconds(120))
        .until(() -> operator.get("/readyz").map(r -> r.statusCode() == 200).orElse(false));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
    if (plane != null) {
      plane.close();
    }
    StringBuilder report = new StringBuilder("CacheAbuseIT figures:\n");
    figures.forEach((k, v) -> report.append("  ").append(k).append(": ").append(v).append('\n'));
    System.out.print(report);
  }

  @Test
  void tenThousandLabelledConfigMapsAndSecretsLeaveTheHeapAlone() throws Exception {
    stack("30s");
    await("the tenant's stack reconciled")
        .atMost(Duration.ofSeconds(120))
        .until(() -> condition("Dashboards") != null);
    // The components Vigil's own Secrets and ConfigMaps carry: one informer each.
    SortedSet<String> secretComponents =
        components(admin.secrets().inNamespace(TENANT).list().getItems());
    SortedSet<String> configMapComponents =
        components(admin.configMaps().inNamespace(TENANT).list().getItems());
    assertThat(secretComponents).isNotEmpty();
    assertThat(configMapComponents).isNotEmpty();
    double before = liveHeapMib();
    figures.put("live heap before, MiB", "%.0f".formatted(before));

    long start = System.nanoTime();
    List<String> secretLabels = List.copyOf(secretComponents);
    List<String> configMapLabels = List.copyOf(configMapComponents);
    createAll(
        i ->
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("forged-%05d".formatted(i))
                .withNamespace(TENANT)
                .withLabels(
                    Map.of(
                        "app.kubernetes.io/managed-by", "vigil",
                        "app.kubernetes.io/component",
                            configMapLabels.get(i % configMapLabels.size()),
                        "monitoring.vigil.dev/dashboard", "true"))
                .endMetadata()
                .withData(Map.of("d.json", dashboard(i)))
                .build());
    createAll(
        i ->
            new SecretBuilder()
                .withNewMetadata()
                .withName("forged-%05d".formatted(i))
                .withNamespace(TENANT)
                .withLabels(
                    Map.of(
                        "app.kubernetes.io/managed-by",
                        "vigil",
                        "app.kubernetes.io/component",
                        secretLabels.get(i % secretLabels.size())))
                .endMetadata()
                .withData(
                    Map.of(
                        "key",
                        Base64.getEncoder()
                            .encodeToString(
                                ("%05d".formatted(i) + "s".repeat(VALUE_BYTES - 5))
                                    .getBytes(StandardCharsets.UTF_8))))
                .build());
    figures.put(
        "created " + OBJECTS + " ConfigMaps and " + OBJECTS + " Secrets of 8 KiB, s",
        Long.toString((System.nanoTime() - start) / 1_000_000_000));

    // A change of the stack makes it read its dashboards again, all 10,000 candidates.
    stack("31s");
    try {
      await("the stack's Dashboards condition names what it did not read")
          .atMost(Duration.ofSeconds(180))
          .until(
              () -> {
                Condition dashboards = condition("Dashboards");
                return dashboards != null
                    && "False".equals(dashboards.getStatus())
                    && dashboards.getMessage().contains("not read");
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("Dashboards condition: " + condition("Dashboards"), e);
    }
    await("every forged object is left out of the informers' caches")
        .atMost(Duration.ofSeconds(120))
        .until(() -> leftOut() >= 2 * OBJECTS);

    double after = settledLiveHeapMib();
    long rss = ScaleHarnessIT.peakResidentKib(operator) / 1024;
    Condition dashboards = condition("Dashboards");
    figures.put("live heap after, MiB", "%.0f".formatted(after));
    figures.put(
        "RSS, most since start, MiB (limit %d)"
            .formatted(ScaleHarnessIT.DEPLOYMENT_MEMORY.limitMib()),
        Long.toString(rss));
    figures.put("objects left out (vigil_informer_objects_left_out)", "%.0f".formatted(leftOut()));
    figures.put("Dashboards condition", dashboards.getMessage().length() + " characters");

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(after - before).as("live heap growth, MiB").isLessThan(HEAP_GROWTH_MIB);
    softly.assertThat(rss).as("RSS, MiB").isLessThan(ScaleHarnessIT.DEPLOYMENT_MEMORY.limitMib());
    softly
        .assertThat(dashboards.getMessage())
        .as("the condition lists ten problems and counts the rest")
        .hasSizeLessThan(8192)
        .contains("more ConfigMap(s)");
    // The stack's own objects are still Vigil's, whole: a change reaches its configuration.
    softly
        .assertThat(
            admin.secrets().inNamespace(TENANT).withName(STACK + "-prometheus-0-config").get())
        .as("the shard's configuration Secret")
        .isNotNull();
    softly
        .assertThat(ScaleHarnessIT.failedReconciles(operator))
        .as("reconciles that threw")
        .isZero();
    softly.assertAll();
  }

  static void stack(String interval) throws IOException {
    String yaml =
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper: {scrapeInterval: %s}
          grafana: {enabled: true}
        """
            .formatted(STACK, TENANT, interval);
    RealApiServer.apply(admin, yaml);
  }

  static Condition condition(String type) {
    MonitoringStack stack =
        admin.resources(MonitoringStack.class).inNamespace(TENANT).withName(STACK).get();
    if (stack == null || stack.getStatus() == null || stack.getStatus().conditions == null) {
      return null;
    }
    return stack.getStatus().condition(type).orElse(null);
  }

  static SortedSet<String> components(List<? extends HasMetadata> objects) {
    SortedSet<String> components = new TreeSet<>();
    for (HasMetadata object : objects) {
      Map<String, String> labels = object.getMetadata().getLabels();
      if (labels != null
          && "vigil".equals(labels.get("app.kubernetes.io/managed-by"))
          && labels.get("app.kubernetes.io/component") != null) {
        components.add(labels.get("app.kubernetes.io/component"));
      }
    }
    return components;
  }

  /** A valid dashboard of about {@value #VALUE_BYTES} bytes. */
  static String dashboard(int i) {
    String head =
        "{\"uid\": \"forged-%05d\", \"title\": \"Forged %05d\", \"pad\": \"".formatted(i, i);
    return head + "x".repeat(VALUE_BYTES - head.length() - 2) + "\"}";
  }

  static void createAll(IntFunction<HasMetadata> object) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int first = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = first; i < OBJECTS; i += 8) {
                    admin.resource(object.apply(i)).create();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static double leftOut() {
    return ScaleHarnessIT.sum(
        ScaleHarnessIT.metrics(operator), "vigil_informer_objects_left_out", "");
  }

  /** The heap in use after a full GC, in MiB. */
  static double liveHeapMib() throws Exception {
    Process gc =
        new ProcessBuilder(ScaleHarnessIT.jcmd(), Long.toString(operator.pid()), "GC.run")
            .redirectErrorStream(true)
            .start();
    gc.getInputStream().readAllBytes();
    assertThat(gc.waitFor()).as("jcmd GC.run").isZero();
    Thread.sleep(1000);
    return ScaleHarnessIT.sum(
            ScaleHarnessIT.metrics(operator), "jvm_memory_used_bytes", "area=\"heap\"")
        / (1 << 20);
  }

  /**
   * The live heap once it stops moving: two readings 2 s apart within 2 MiB, the later one. The
   * operator's watch of dashboard ConfigMaps receives the 10,000 forged ones too (8 KiB each) and
   * is still parsing its backlog for a few seconds after the informers have caught up; a reading in
   * that time counts the garbage of objects it is reading, not what it keeps.
   */
  static double settledLiveHeapMib() throws Exception {
    double previous = liveHeapMib();
    for (int i = 0; i < 15; i++) {
      Thread.sleep(2000);
      double now = liveHeapMib();
      if (Math.abs(now - previous) < 2) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
