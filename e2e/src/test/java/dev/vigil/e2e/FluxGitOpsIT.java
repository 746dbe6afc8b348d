package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.e2e.harness.ControlPlane;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Vigil under a real GitOps controller: Flux's kustomize-controller ({@code
 * VIGIL_KUSTOMIZE_CONTROLLER}, built by e2e/tools), run out of cluster against a fresh real API
 * server (RBAC on, no CRDs), applies this repository's {@code manifests/} (CRDs, RBAC, operator
 * Deployment, webhooks) and {@code manifests/examples/} from a tarball the test serves on loopback
 * through an {@code ExternalArtifact} (what source-controller would produce from Git), as two
 * Kustomizations the way docs/gitops.md tells users to. Vigil then runs in-process with the
 * arguments of the Deployment Flux applied, as the ServiceAccount Flux applied, with the token of
 * that ServiceAccount. It proves:
 *
 * <ul>
 *   <li>both Kustomizations become Ready at the served revision, their inventory is exactly the
 *       source's objects, and nothing Vigil makes carries Flux's labels or is in an inventory;
 *   <li>after Vigil has reconciled, Flux's next reconciles (forced with {@code
 *       reconcile.fluxcd.io/requestedAt}) find every object {@code unchanged}, emit no change
 *       Event, and no resourceVersion (hence no managedFields) of the user's objects, of what Vigil
 *       made, or of the installation moves;
 *   <li>a changed example (a new revision) rolls through Flux to the object and from there to what
 *       Vigil renders (the Prometheus StatefulSets' retention flag);
 *   <li>an example removed from the source is pruned: only that object goes (every other object
 *       keeps its uid), and Vigil takes its scrape job out of the stack's configuration.
 * </ul>
 *
 * <p>kustomize-controller runs with the API server's admin (system:masters) credentials, as Flux's
 * own ServiceAccount is cluster-admin in a real install. No Service network exists here, so the
 * operator Kustomization patches the two webhook configurations with an object selector nothing
 * matches (a Flux {@code patches} entry, applied by Flux itself): the API server never dials a
 * ClusterIP. The tests run in order on one set of objects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FluxGitOpsIT {
  static final String FLUX_NS = "flux-system";
  static final String ARTIFACT = "vigil";
  static final String OPERATOR_KS = "vigil-operator";
  static final String EXAMPLES_KS = "platform-monitoring";
  static final String FLUX_MANAGER = "kustomize-controller";
  static final String VIGIL = "vigil";
  static final String VIGIL_GROUP_VERSION = "monitoring.vigil.dev/v1alpha1";
  static final List<String> VIGIL_KINDS =
      List.of(
          "MonitoringStack",
          "ServiceMonitor",
          "PodMonitor",
          "AlertPolicy",
          "TracingPipeline",
          "Instrumentation",
          "LogPipeline");

  /** Namespaces the examples live in; the user makes them, as the README's quick start does. */
  static final List<String> USER_NAMESPACES = List.of("monitoring", "shop");

  /** Every kind the installation and Vigil make, apiVersion and kind; listed cluster-wide. */
  static final List<String[]> KINDS =
      List.of(
          new String[] {"v1", "Namespace"},
          new String[] {"v1", "ConfigMap"},
          new String[] {"v1", "Secret"},
          new String[] {"v1", "Service"},
          new String[] {"v1", "ServiceAccount"},
          new String[] {"v1", "PersistentVolumeClaim"},
          new String[] {"apps/v1", "StatefulSet"},
          new String[] {"apps/v1", "Deployment"},
          new String[] {"apps/v1", "DaemonSet"},
          new String[] {"policy/v1", "PodDisruptionBudget"},
          new String[] {"networking.k8s.io/v1", "NetworkPolicy"},
          new String[] {"rbac.authorization.k8s.io/v1", "Role"},
          new String[] {"rbac.authorization.k8s.io/v1", "RoleBinding"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRole"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
          new String[] {"autoscaling/v2", "HorizontalPodAutoscaler"},
          new String[] {"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
          new String[] {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
          new String[] {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"});

  /** Keeps the API server from calling the webhooks (no Service network here), through Flux. */
  static final String NEVER_CALLED_PATCH =
      """
      - op: add
        path: /webhooks/0/objectSelector
        value: {matchLabels: {e2e.vigil.dev/never-called: "true"}}
      """;

  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, byte[]> SERVED = new ConcurrentHashMap<>();

  static ControlPlane plane;
  static KubernetesClient admin;
  static HttpServer http;
  static Process controller;
  static Path controllerLog;
  static Path work;
  static KubernetesClient operatorClient;
  static VigilOperator vigil;
  static String revision;
  static int sourceVersions;

  @BeforeAll
  static void fluxAppliesTheSourceThenVigilRuns() throws Exception {
    String binary = System.getenv("VIGIL_KUSTOMIZE_CONTROLLER");
    String crds = System.getenv("VIGIL_FLUX_CRDS");
    assumeTrue(
        binary != null && !binary.isBlank() && crds != null && !crds.isBlank(),
        "VIGIL_KUSTOMIZE_CONTROLLER and VIGIL_FLUX_CRDS are unset: run `bash e2e/tools/install.sh"
            + " kustomize-controller` and source its env.sh (`make test` does both)");
    work = Files.createTempDirectory("vigil-flux");
    plane = ControlPlane.startWithoutVigilsCrds(work.resolve("plane"));
    admin = plane.admin();
    try (Stream<Path> files = Files.list(Path.of(crds))) {
      plane.applyFiles(files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList());
    }
    RealApiServer.awaitCrdsEstablished(admin);
    for (String name : List.of(FLUX_NS, "monitoring", "shop")) {
      admin
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(name)
                  // the example stack selects monitors in namespaces labelled so
                  .withLabels(
                      USER_NAMESPACES.contains(name) ? Map.of("monitoring", "enabled") : Map.of())
                  .endMetadata()
                  .build())
          .fieldManager("vigil-e2e")
          .serverSideApply();
    }

    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          byte[] body = SERVED.get(exchange.getRequestURI().getPath());
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.getResponseHeaders().set("Content-Type", "application/gzip");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    http.start();

    startController(Path.of(binary));
    publish(source -> {});
    applyKustomizations();
    awaitReady(OPERATOR_KS, revision);
    awaitReady(EXAMPLES_KS, revision);

    startVigil();
    awaitVigilReconciled();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vigil != null) {
      vigil.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (controller != null && controller.isAlive()) {
      controller.destroy();
      if (!controller.waitFor(20, TimeUnit.SECONDS)) {
        controller.destroyForcibly();
      }
    }
    if (http != null) {
      http.stop(0);
    }
    if (plane != null) {
      plane.close();
      // etcd's data is most of the 65 MB; the controller's log and the sources stay for a look
      FaultsIT.deleteRecursively(work.resolve("plane").resolve("etcd"));
    }
  }

  @Test
  @Order(1)
  void theKustomizationsAreReadyAndOwnExactlyTheSourcesObjects() throws Exception {
    assertThat(inventory(OPERATOR_KS))
        .contains(
            "_monitoringstacks.monitoring.vigil.dev_apiextensions.k8s.io_CustomResourceDefinition",
            "_vigil-system__Namespace",
            "vigil-system_vigil-operator_apps_Deployment",
            "_vigil-validation_admissionregistration.k8s.io_ValidatingWebhookConfiguration");
    assertThat(inventory(EXAMPLES_KS))
        .containsExactlyInAnyOrder(
            "monitoring_platform_monitoring.vigil.dev_MonitoringStack",
            "shop_checkout_monitoring.vigil.dev_ServiceMonitor",
            "shop_workers_monitoring.vigil.dev_PodMonitor",
            "shop_checkout-slo_monitoring.vigil.dev_AlertPolicy",
            "shop_shop-traces_monitoring.vigil.dev_TracingPipeline",
            "shop_shop_monitoring.vigil.dev_Instrumentation",
            "shop_shop-logs_monitoring.vigil.dev_LogPipeline");

    // Flux owns the spec of each user object; Vigil only its status and finalizers.
    for (GenericKubernetesResource object : userObjects()) {
      assertThat(GitOpsIT.entriesOf(object, FLUX_MANAGER))
          .as(GitOpsIT.describe(object))
          .singleElement()
          .satisfies(e -> assertThat(e.getOperation()).isEqualTo("Apply"))
          .satisfies(
              e -> assertThat(GitOpsIT.fieldPaths(e)).anyMatch(f -> f.startsWith("f:spec.")));
      for (ManagedFieldsEntry entry : GitOpsIT.entriesOf(object, VIGIL)) {
        assertThat(GitOpsIT.fieldPaths(entry))
            .as(GitOpsIT.describe(object))
            .allMatch(f -> f.startsWith("f:status") || f.startsWith("f:metadata.f:finalizers"));
      }
    }
    // The webhook configurations Flux applied (with its patch) carry the CA bundle Vigil keeps in
    // them: each writer has its own fields, so neither undoes the other (test 2).
    var validating =
        admin
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName("vigil-validation")
            .get();
    assertThat(validating.getWebhooks().get(0).getObjectSelector().getMatchLabels())
        .containsEntry("e2e.vigil.dev/never-called", "true");
    assertThat(validating.getWebhooks().get(0).getClientConfig().getCaBundle()).isNotBlank();
    assertThat(validating.getWebhooks().get(0).getClientConfig().getService().getName())
        .isEqualTo("vigil-operator-webhook");

    // What Vigil made is Vigil's alone: no Flux label, so no Kustomization claims or prunes it.
    List<GenericKubernetesResource> made = vigilsObjects();
    assertThat(made).hasSizeGreaterThan(20);
    for (GenericKubernetesResource object : made) {
      assertThat(object.getMetadata().getLabels())
          .as(GitOpsIT.describe(object))
          .doesNotContainKeys(
              "kustomize.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/namespace");
      assertThat(GitOpsIT.entriesOf(object, FLUX_MANAGER)).as(GitOpsIT.describe(object)).isEmpty();
    }
  }

  @Test
  @Order(2)
  void fluxsNextReconcilesFindNoDriftAndWriteNothing() throws Exception {
    Map<String, String> before = resourceVersions();
    int changeEvents = changeEventCount();
    for (int round = 0; round < 2; round++) {
      for (String kustomization : List.of(OPERATOR_KS, EXAMPLES_KS)) {
        Map<String, String> output = forceReconcile(kustomization);
        assertThat(output).as("%s applied every object", kustomization).isNotEmpty();
        assertThat(output)
            .as("%s: what the server-side apply did to each object", kustomization)
            .allSatisfy((object, action) -> assertThat(action).isEqualTo("unchanged"));
      }
    }
    // A moment for anything a write would have set off (Vigil's informers, a reconcile).
    Thread.sleep(2000);
    assertThat(changeEventCount()).isEqualTo(changeEvents);
    assertThat(resourceVersions()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void aChangedExampleRollsThroughToWhatVigilRenders() throws Exception {
    assertThat(prometheusArgs())
        .allSatisfy(args -> assertThat(args).contains("--storage.tsdb.retention.time=15d"));
    Map<String, String> before = resourceVersions();
    publish(
        source ->
            replace(
                source.resolve("manifests/examples/monitoringstack.yaml"),
                "retention: 15d",
                "retention: 7d"));
    awaitReady(EXAMPLES_KS, revision);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(prometheusArgs())
                    .hasSize(2)
                    .allSatisfy(
                        args -> assertThat(args).contains("--storage.tsdb.retention.time=7d")));
    assertThat(changeEvents())
        .anyMatch(m -> m.contains("MonitoringStack/monitoring/platform configured"));
    // Only the stack (spec, then Vigil's status) and the StatefulSets it renders moved.
    Map<String, String> after = resourceVersions();
    List<String> moved =
        after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k))).toList();
    assertThat(moved)
        .contains("MonitoringStack/monitoring/platform")
        .allMatch(
            k ->
                k.equals("MonitoringStack/monitoring/platform")
                    || k.startsWith("StatefulSet/monitoring/platform-prometheus-"));
    // And the new revision is as quiet as the first.
    for (String kustomization : List.of(OPERATOR_KS, EXAMPLES_KS)) {
      assertThat(forceReconcile(kustomization))
          .allSatisfy((object, action) -> assertThat(action).isEqualTo("unchanged"));
    }
  }

  @Test
  @Order(4)
  void examplesRemovedFromTheSourceArePrunedAndNothingElse() throws Exception {
    String job = "podMonitor/shop/workers/";
    assertThat(vigilsRenderedText()).contains(job);
    GenericKubernetesResource pipeline =
        admin
            .genericKubernetesResources(VIGIL_GROUP_VERSION, "TracingPipeline")
            .inNamespace("shop")
            .withName("shop-traces")
            .get();
    String pipelineUid = pipeline.getMetadata().getUid();
    // What Vigil made for the pipeline: namespaced objects owned by it, and cluster-scoped ones
    // for its namespace (which its finalizer deletes; none for a pipeline outside the Deployment's
    // --platform-namespaces, whose k8s_attributes stay in its own namespace).
    List<String> pipelinesClusterObjects = new ArrayList<>();
    List<GenericKubernetesResource> pipelinesNamespacedObjects = new ArrayList<>();
    for (GenericKubernetesResource object : vigilsObjects()) {
      if (object.getMetadata().getNamespace() == null) {
        if ("shop".equals(object.getMetadata().getLabels().get("monitoring.vigil.dev/namespace"))) {
          pipelinesClusterObjects.add(key(object));
        }
      } else if (object.getMetadata().getOwnerReferences().stream()
          .anyMatch(o -> o.getUid().equals(pipelineUid))) {
        pipelinesNamespacedObjects.add(object);
      }
    }
    assertThat(pipeline.getMetadata().getFinalizers())
        .containsExactly("tracingpipelines.monitoring.vigil.dev/finalizer");
    assertThat(pipelinesNamespacedObjects)
        .extracting(HasMetadata::getKind)
        .contains("Deployment", "ConfigMap", "Service");
    Map<String, String> uids = uids();

    publish(
        source -> {
          try {
            Files.delete(source.resolve("manifests/examples/podmonitor.yaml"));
            Files.delete(source.resolve("manifests/examples/tracingpipeline.yaml"));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    awaitReady(EXAMPLES_KS, revision);
    assertThat(inventory(EXAMPLES_KS))
        .hasSize(5)
        .noneMatch(id -> id.contains("PodMonitor") || id.contains("TracingPipeline"));
    // The other examples were applied again, unchanged; the two removed ones deleted.
    List<JsonNode> applies = applyLogLines(EXAMPLES_KS);
    JsonNode applied = applies.get(applies.size() - 1);
    assertThat(applied.get("revision").asText()).isEqualTo(revision);
    assertThat(applied.get("output").size()).isEqualTo(5);
    applied.get("output").forEach(action -> assertThat(action.asText()).isEqualTo("unchanged"));
    assertThat(changeEvents())
        .anyMatch(m -> m.contains("PodMonitor/shop/workers deleted"))
        .anyMatch(m -> m.contains("TracingPipeline/shop/shop-traces deleted"));
    // Vigil takes the monitor's scrape job out of what it rendered for the stack, and its
    // finalizer deletes the pipeline's cluster-scoped objects, so the pipeline goes.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(vigilsRenderedText()).doesNotContain(job);
              for (String kind : List.of("PodMonitor", "TracingPipeline")) {
                assertThat(
                        admin
                            .genericKubernetesResources(VIGIL_GROUP_VERSION, kind)
                            .inAnyNamespace()
                            .list()
                            .getItems())
                    .isEmpty();
              }
            });
    // Everything else is still the object it was. The pipeline's namespaced objects stay here
    // (no garbage collector runs beside a bare kube-apiserver); each carries the owner reference
    // through which the collector deletes it in a cluster.
    Map<String, String> expected = new TreeMap<>(uids);
    expected.remove("PodMonitor/shop/workers");
    expected.remove("TracingPipeline/shop/shop-traces");
    pipelinesClusterObjects.forEach(expected::remove);
    assertThat(uids()).isEqualTo(expected);
    for (GenericKubernetesResource object : pipelinesNamespacedObjects) {
      assertThat(object.getMetadata().getOwnerReferences())
          .as(GitOpsIT.describe(object))
          .singleElement()
          .satisfies(o -> assertThat(o.getBlockOwnerDeletion()).isTrue());
    }
  }

  // --- the source: a tarball of the repository's crds/ and manifests/, served on loopback ---

  /**
   * The first time copies crds/ (the YAML and its Kustomization file, what
   * manifests/kustomization.yaml includes) and manifests/ into a new directory, later the previous
   * revision's; lets {@code edit} change it, serves it as a tar.gz and points the
   * ExternalArtifact's status at it: a new revision, as source-controller would publish for a new
   * commit.
   */
  static void publish(Consumer<Path> edit) throws Exception {
    sourceVersions++;
    Path source = work.resolve("source-" + sourceVersions);
    if (sourceVersions == 1) {
      copyTree(RealApiServer.REPO.resolve("manifests"), source.resolve("manifests"));
      Files.createDirectories(source.resolve("crds"));
      try (Stream<Path> files = Files.list(RealApiServer.REPO.resolve("crds"))) {
        for (Path file :
            files
                .filter(f -> f.toString().endsWith(".yaml") || f.endsWith("Kustomization"))
                .toList()) {
          Files.copy(file, source.resolve("crds").resolve(file.getFileName()));
        }
      }
    } else {
      // the next commit: the previous source with this edit
      copyTree(work.resolve("source-" + (sourceVersions - 1)), source);
    }
    edit.accept(source);
    Path tarball = work.resolve("source-" + sourceVersions + ".tar.gz");
    RealApiServer.run(
        Duration.ofSeconds(30),
        "tar",
        "-czf",
        tarball.toString(),
        "-C",
        source.toString(),
        "crds",
        "manifests");
    byte[] bytes = Files.readAllBytes(tarball);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    String path = "/externalartifact/" + FLUX_NS + "/" + ARTIFACT + "/" + sha256 + ".tar.gz";
    SERVED.put(path, bytes);
    revision = "main@sha1:" + sha1;

    var artifacts =
        admin
            .genericKubernetesResources("source.toolkit.fluxcd.io/v1", "ExternalArtifact")
            .inNamespace(FLUX_NS);
    if (artifacts.withName(ARTIFACT).get() == null) {
      GenericKubernetesResource artifact = new GenericKubernetesResource();
      artifact.setApiVersion("source.toolkit.fluxcd.io/v1");
      artifact.setKind("ExternalArtifact");
      artifact.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName(ARTIFACT)
              .withNamespace(FLUX_NS)
              .build());
      artifact.setAdditionalProperty("spec", Map.of());
      artifacts.resource(artifact).create();
    }
    GenericKubernetesResource artifact = artifacts.withName(ARTIFACT).get();
    String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put(
        "artifact",
        Map.of(
            "path",
            path.substring(1),
            "url",
            "http://127.0.0.1:" + http.getAddress().getPort() + path,
            "revision",
            revision,
            "digest",
            "sha256:" + sha256,
            "size",
            bytes.length,
            "lastUpdateTime",
            now));
    status.put(
        "conditions",
        List.of(
            Map.of(
                "type",
                "Ready",
                "status",
                "True",
                "reason",
                "Succeeded",
                "message",
                "stored artifact for revision '" + revision + "'",
                "lastTransitionTime",
                now,
                "observedGeneration",
                artifact.getMetadata().getGeneration())));
    artifact.setAdditionalProperty("status", status);
    artifacts.resource(artifact).updateStatus();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  static void replace(Path file, String from, String to) {
    try {
      String text = Files.readString(file);
      assertThat(text).contains(from);
      Files.writeString(file, text.replace(from, to));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // --- Flux ---

  static void startController(Path binary) throws IOException {
    controllerLog = work.resolve("kustomize-controller.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                binary.toString(),
                "--feature-gates=ExternalArtifact=true",
                "--metrics-addr=127.0.0.1:" + RealPrometheus.freePort(),
                "--health-addr=127.0.0.1:" + RealPrometheus.freePort(),
                "--watch-all-namespaces=true",
                "--enable-leader-election=false",
                // the examples' Kustomization waits for the operator's: retry soon, not in 30 s
                "--requeue-dependency=2s",
                "--log-level=info",
                "--log-encoding=json")
            .redirectErrorStream(true)
            .redirectOutput(controllerLog.toFile());
    // no --kubeconfig flag: controller-runtime reads KUBECONFIG
    builder.environment().put("KUBECONFIG", plane.kubeconfig().toString());
    builder.environment().put("RUNTIME_NAMESPACE", FLUX_NS);
    controller = builder.start();
  }

  /** As docs/gitops.md: the operator from manifests/, then the user's objects after it. */
  static void applyKustomizations() {
    String sourceRef = "{kind: ExternalArtifact, name: " + ARTIFACT + "}";
    RealApiServer.apply(
        admin,
        """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: %s, namespace: %s}
        spec:
          interval: 10m
          sourceRef: %s
          path: ./manifests
          prune: true
          patches:
            - target: {kind: MutatingWebhookConfiguration, name: vigil-instrumentation}
              patch: |
        %s
            - target: {kind: ValidatingWebhookConfiguration, name: vigil-validation}
              patch: |
        %s
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: %s, namespace: %s}
        spec:
          dependsOn:
            - name: %s
          interval: 10m
          sourceRef: %s
          path: ./manifests/examples
          prune: true
        """
            .formatted(
                OPERATOR_KS,
                FLUX_NS,
                sourceRef,
                NEVER_CALLED_PATCH.indent(8).stripTrailing(),
                NEVER_CALLED_PATCH.indent(8).stripTrailing(),
                EXAMPLES_KS,
                FLUX_NS,
                OPERATOR_KS,
                sourceRef));
  }

  static GenericKubernetesResource kustomization(String name) {
    return admin
        .genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
        .inNamespace(FLUX_NS)
        .withName(name)
        .get();
  }

  static void awaitReady(String name, String atRevision) {
    await(name + " Ready at " + atRevision)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              GenericKubernetesResource k = kustomization(name);
              Map<String, Object> status = k.get("status");
              assertThat(status)
                  .as("%s status; controller log %s", name, controllerLog)
                  .isNotNull();
              assertThat(GitOpsIT.condition(k, "Ready"))
                  .as("%s: %s", name, status.get("conditions"))
                  .isEqualTo("True");
              assertThat(status.get("lastAppliedRevision")).isEqualTo(atRevision);
            });
  }

  @SuppressWarnings("unchecked")
  static List<String> inventory(String name) {
    Map<String, Object> inventory =
        (Map<String, Object>)
            ((Map<String, Object>) kustomization(name).get("status")).get("inventory");
    return ((List<Map<String, Object>>) inventory.get("entries"))
        .stream().map(e -> (String) e.get("id")).toList();
  }

  /**
   * Asks for a reconcile as {@code flux reconcile} does, waits until it is handled, and returns the
   * {@code output} of its "server-side apply completed" log line: object → action.
   */
  static Map<String, String> forceReconcile(String name) throws Exception {
    int seen = applyLogLines(name).size();
    String requestedAt = Instant.now().toString();
    admin
        .genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
        .inNamespace(FLUX_NS)
        .withName(name)
        .edit(
            k -> {
              k.getMetadata().getAnnotations().put("reconcile.fluxcd.io/requestedAt", requestedAt);
              return k;
            });
    await(name + " handled " + requestedAt)
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              GenericKubernetesResource k = kustomization(name);
              Map<String, Object> status = k.get("status");
              assertThat(status.get("lastHandledReconcileAt")).isEqualTo(requestedAt);
              assertThat(GitOpsIT.condition(k, "Ready")).isEqualTo("True");
              assertThat(applyLogLines(name)).hasSizeGreaterThan(seen);
            });
    JsonNode line = applyLogLines(name).get(seen);
    assertThat(line.get("revision").asText()).isEqualTo(revision);
    Map<String, String> output = new TreeMap<>();
    line.get("output")
        .fields()
        .forEachRemaining(e -> output.put(e.getKey(), e.getValue().asText()));
    return output;
  }

  /** The controller's "server-side apply completed" log lines for one Kustomization, in order. */
  static List<JsonNode> applyLogLines(String name) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String text : Files.readAllLines(controllerLog, StandardCharsets.UTF_8)) {
      if (!text.startsWith("{") || !text.contains("server-side apply completed")) {
        continue;
      }
      JsonNode line = JSON.readTree(text);
      if (name.equals(line.path("name").asText())) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The messages of the Events Flux emits when an apply or a prune changed something. */
  static List<String> changeEvents() {
    return changeEventObjects().stream().map(Event::getMessage).toList();
  }

  /** How many times Flux reported a change: a repeated Event counts each time it was emitted. */
  static int changeEventCount() {
    return changeEventObjects().stream()
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }

  static List<Event> changeEventObjects() {
    return admin.v1().events().inNamespace(FLUX_NS).list().getItems().stream()
        .filter(e -> "Kustomization".equals(e.getInvolvedObject().getKind()))
        .filter(
            e ->
                e.getMessage().contains(" configured")
                    || e.getMessage().contains(" created")
                    || e.getMessage().contains(" deleted"))
        .toList();
  }

  // --- Vigil ---

  /**
   * The operator in the test JVM with the arguments of the Deployment Flux applied (leader election
   * off, ports free), as the ServiceAccount Flux applied, with a token of it.
   */
  static void startVigil() throws Exception {
    List<String> args = new ArrayList<>();
    for (String arg :
        admin
            .apps()
            .deployments()
            .inNamespace("vigil-system")
            .withName("vigil-operator")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs()) {
      if (!arg.startsWith("--leader-election=")
          && !arg.startsWith("--http-port=")
          && !arg.startsWith("--webhook-port=")) {
        args.add(arg);
      }
    }
    args.add("--leader-election=false");
    args.add("--http-port=0");
    args.add("--webhook-port=" + RealPrometheus.freePort());
    operatorClient =
        new KubernetesClientBuilder()
            .withConfig(
                Config.fromKubeconfig(
                    Files.readString(plane.kubeconfigFor("vigil-system", "vigil-operator"))))
            .build();
    vigil =
        new VigilOperator(
            OperatorConfig.from(args, Map.of("POD_NAMESPACE", "vigil-system")),
            operatorClient,
            new VigilOperator.Runtime(true, false));
    vigil.start();
    await().atMost(Duration.ofSeconds(60)).until(vigil::ready);
  }

  static void awaitVigilReconciled() {
    await("Vigil reconciled every example")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<GenericKubernetesResource> objects = userObjects();
              assertThat(objects).hasSize(7);
              for (GenericKubernetesResource object : objects) {
                Map<String, Object> status = object.get("status");
                assertThat(status).as(GitOpsIT.describe(object)).isNotNull();
                assertThat(status.get("observedGeneration"))
                    .as(GitOpsIT.describe(object))
                    .isEqualTo(object.getMetadata().getGeneration().intValue());
              }
              assertThat(prometheusArgs()).hasSize(2);
              assertThat(vigilsRenderedText()).contains("podMonitor/shop/workers/");
            });
  }

  static List<GenericKubernetesResource> userObjects() {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String kind : VIGIL_KINDS) {
      objects.addAll(
          admin
              .genericKubernetesResources(VIGIL_GROUP_VERSION, kind)
              .inAnyNamespace()
              .list()
              .getItems());
    }
    return objects;
  }

  /** Everything labelled as made by Vigil, of the kinds it makes. */
  static List<GenericKubernetesResource> vigilsObjects() {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String[] kind : KINDS) {
      objects.addAll(
          admin
              .genericKubernetesResources(kind[0], kind[1])
              .inAnyNamespace()
              .withLabel("app.kubernetes.io/managed-by", VIGIL)
              .list()
              .getItems());
    }
    return objects;
  }

  /** The Prometheus container's args of each StatefulSet Vigil made for the example stack. */
  static List<List<String>> prometheusArgs() {
    return admin.apps().statefulSets().inNamespace("monitoring").list().getItems().stream()
        .filter(s -> s.getMetadata().getName().startsWith("platform-prometheus-"))
        .map(
            s ->
                s.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals("prometheus"))
                    .findFirst()
                    .orElseThrow()
                    .getArgs())
        .toList();
  }

  /** The data of every ConfigMap and Secret Vigil made in the stack's namespace, as text. */
  static String vigilsRenderedText() {
    StringBuilder text = new StringBuilder();
    admin
        .configMaps()
        .inNamespace("monitoring")
        .withLabel("app.kubernetes.io/managed-by", VIGIL)
        .list()
        .getItems()
        .forEach(c -> text.append(c.getData()));
    admin
        .secrets()
        .inNamespace("monitoring")
        .withLabel("app.kubernetes.io/managed-by", VIGIL)
        .list()
        .getItems()
        .forEach(
            s -> {
              if (s.getData() != null) {
                s.getData().forEach((key, value) -> text.append(decode(key, value)));
              }
            });
    return text.toString();
  }

  /** A Secret's value as text; {@code prometheus.yml.gz} is gzipped. */
  static String decode(String key, String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    if (key.endsWith(".gz")) {
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  // --- the world, to compare before and after ---

  /**
   * Every object the installation, the examples and Vigil account for: the user's objects, what
   * Vigil made (labelled), and what Flux applied from manifests/ (labelled by Flux).
   */
  static List<GenericKubernetesResource> world() {
    Map<String, GenericKubernetesResource> all = new TreeMap<>();
    Consumer<GenericKubernetesResource> add = o -> all.put(key(o), o);
    userObjects().forEach(add);
    vigilsObjects().forEach(add);
    for (String[] kind : KINDS) {
      admin
          .genericKubernetesResources(kind[0], kind[1])
          .inAnyNamespace()
          .withLabel("kustomize.toolkit.fluxcd.io/name")
          .list()
          .getItems()
          .forEach(add);
    }
    // the Secret Vigil keeps its webhook certificate in (not labelled)
    GenericKubernetesResource tls =
        admin
            .genericKubernetesResources("v1", "Secret")
            .inNamespace("vigil-system")
            .withName("vigil-webhook-tls")
            .get();
    if (tls != null) {
      add.accept(tls);
    }
    return new ArrayList<>(all.values());
  }

  static String key(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return object.getKind()
        + "/"
        + (namespace == null ? "" : namespace + "/")
        + object.getMetadata().getName();
  }

  static Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    for (GenericKubernetesResource object : world()) {
      versions.put(key(object), object.getMetadata().getResourceVersion());
    }
    assertThat(versions).hasSizeGreaterThan(50);
    return versions;
  }

  static Map<String, String> uids() {
    Map<String, String> uids = new TreeMap<>();
    for (GenericKubernetesResource object : world()) {
      uids.put(key(object), object.getMetadata().getUid());
    }
    return uids;
  }
}
