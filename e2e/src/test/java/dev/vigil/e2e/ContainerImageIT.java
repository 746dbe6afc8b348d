package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.e2e.harness.DockerfileStage;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's container image as the image module's Jib build makes it
 * (image/target/vigil-operator-image.tar, from the base of hack/image/base.sh): its config is what
 * the Dockerfile's last stage and the manifests say, it holds no shell, and its entrypoint runs the
 * way a container runtime would run it: in a chroot of its layers, as its user, with a read-only
 * root filesystem, a writable /tmp and only the image's environment. It prints its help, the
 * reloader writes a config Secret over TLS from the real API server, and the operator itself starts
 * until {@code /readyz} answers.
 */
class ContainerImageIT {
  static final Path IMAGE_TAR = RealApiServer.REPO.resolve("image/target/vigil-operator-image.tar");
  static final Path OPERATOR_JAR = RealApiServer.REPO.resolve("operator/target/vigil-operator.jar");
  static final List<String> ENTRYPOINT =
      List.of("/opt/java/bin/java", "-jar", "/app/vigil-operator.jar");
  static final String USER = "65532:65532";
  static final String NAMESPACE = "image-e2e";
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new YAMLMapper();

  /**
   * What the runtime does before it starts the entrypoint (run by the host's shell, outside the
   * image): the image's root read-only, /dev and /proc mounted, /tmp an emptyDir-like writable
   * directory, then the entrypoint as the image's user. All mounts live in a mount namespace that
   * ends with the process.
   */
  static final String RUNTIME =
      """
      set -e
      root=$1 tmp=$2 user=$3 mount=$4 chroot=$5; shift 5
      $mount --bind "$root" "$root"
      $mount -o remount,bind,ro "$root"
      $mount --rbind /dev "$root/dev"
      $mount -t proc proc "$root/proc"
      $mount --bind "$tmp" "$root/tmp"
      exec $chroot --userspec="$user" "$root" "$@"
      """;

  @TempDir static Path dir;
  static JsonNode manifest;
  static JsonNode config;
  static Path rootfs;

  @BeforeAll
  static void unpack() throws Exception {
    assertThat(IMAGE_TAR)
        .as(
            "%s is built by `mvn package` in image/ when VIGIL_IMAGE_BASE is set: run the tests"
                + " through `make test` (its tools step, e2e/tools/install.sh, builds the base and"
                + " its env.sh sets VIGIL_IMAGE_BASE)",
            IMAGE_TAR)
        .isRegularFile();
    Path image = Files.createDirectories(dir.resolve("image"));
    tar("-xf", IMAGE_TAR.toString(), "-C", image.toString());
    manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
    config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
    rootfs = Files.createDirectories(dir.resolve("rootfs"));
    for (JsonNode layer : manifest.get("Layers")) {
      tar(
          "-xf",
          image.resolve(layer.asText()).toString(),
          "-C",
          rootfs.toString(),
          "--numeric-owner",
          "--warning=no-unknown-keyword");
    }
  }

  @Test
  void configIsWhatTheManifestsAndTheChartUse() throws IOException {
    JsonNode c = config.get("config");
    assertThat(strings(c.get("Entrypoint"))).isEqualTo(ENTRYPOINT);
    assertThat(c.path("Cmd").isMissingNode() || c.path("Cmd").isNull())
        .as("no CMD: Kubernetes passes the flags, or `reloader ...`, as the container's args")
        .isTrue();
    assertThat(c.get("User").asText()).isEqualTo(USER);
    assertThat(c.get("WorkingDir").asText()).isEqualTo("/app");

    JsonNode deployment =
        YAML.readTree(RealApiServer.REPO.resolve("manifests/operator/deployment.yaml").toFile());
    JsonNode pod = deployment.at("/spec/template/spec");
    assertThat(
            pod.at("/securityContext/runAsUser").asText()
                + ":"
                + pod.at("/securityContext/runAsGroup").asText())
        .as("the Deployment runs the image's own user")
        .isEqualTo(USER);
    JsonNode container = pod.at("/containers/0");
    String image = container.get("image").asText();
    assertThat(strings(manifest.get("RepoTags"))).containsExactly(image);
    assertThat(OperatorConfig.from(List.of(), Map.of()).operatorImage())
        .as("the default of --operator-image, which Prometheus pods run as their reloader")
        .isEqualTo(image);
    JsonNode chart =
        YAML.readTree(RealApiServer.REPO.resolve("helm-chart/vigil/Chart.yaml").toFile());
    JsonNode values =
        YAML.readTree(RealApiServer.REPO.resolve("helm-chart/vigil/values.yaml").toFile());
    assertThat(values.at("/image/repository").asText() + ":" + chart.get("appVersion").asText())
        .as("the Helm chart's default image")
        .isEqualTo(image);

    assertThat(fieldNames(c.get("ExposedPorts")))
        .containsExactly(container.at("/ports/0/containerPort").asText() + "/tcp");
    Map<String, String> labels = stringMap(c.get("Labels"));
    assertThat(labels)
        .containsEntry("org.opencontainers.image.title", "vigil-operator")
        .containsEntry("org.opencontainers.image.source", chart.get("home").asText())
        .containsEntry("org.opencontainers.image.version", chart.get("appVersion").asText())
        .containsEntry(
            "org.opencontainers.image.licenses",
            chart.at("/annotations/artifacthub.io~1license").asText())
        .containsKey("org.opencontainers.image.description");
    assertThat(labels.get("org.opencontainers.image.licenses"))
        .as("the SPDX identifier of the repository's LICENSE")
        .isEqualTo("Apache-2.0");
    assertThat(Files.readString(RealApiServer.REPO.resolve("LICENSE")))
        .contains("Apache License", "Version 2.0, January 2004");
  }

  @Test
  void theDockerfileDescribesTheSameImage() throws IOException {
    DockerfileStage stage = DockerfileStage.last(RealApiServer.REPO.resolve("Dockerfile"));
    JsonNode c = config.get("config");
    assertThat(stage.from()).isEqualTo("scratch");
    assertThat(stage.entrypoint()).isEqualTo(strings(c.get("Entrypoint")));
    assertThat(stage.user()).isEqualTo(c.get("User").asText());
    assertThat(stage.workdir()).isEqualTo(c.get("WorkingDir").asText());
    assertThat(stage.env()).isEqualTo(env(c));
    assertThat(stage.exposedPorts()).isEqualTo(fieldNames(c.get("ExposedPorts")));
    assertThat(stage.labels()).isEqualTo(stringMap(c.get("Labels")));
    assertThat(stage.copyDestinations())
        .as("the jar goes where the entrypoint runs it from")
        .contains(ENTRYPOINT.get(2));
    assertThat(stage.keywords())
        .as("the last stage runs nothing: there is no shell to run it with")
        .doesNotContain("RUN", "CMD", "SHELL");
  }

  @Test
  void theImageHoldsNoShell() throws IOException {
    Set<String> executables = new TreeSet<>();
    try (Stream<Path> files = Files.walk(rootfs)) {
      for (Path file : files.toList()) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            && Files.isExecutable(file)
            && !file.getFileName().toString().contains(".so")) {
          executables.add("/" + rootfs.relativize(file));
        }
      }
    }
    assertThat(executables)
        .as("programs in the image (shared libraries aside): the JRE's, no shell, no busybox")
        .containsExactly(
            "/opt/java/bin/java",
            "/opt/java/bin/keytool",
            "/opt/java/lib/jexec",
            "/opt/java/lib/jspawnhelper");
    assertThat(Files.mismatch(rootfs.resolve("app/vigil-operator.jar"), OPERATOR_JAR))
        .as("the image holds the jar this build made")
        .isEqualTo(-1L);
    assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("nonroot:x:65532:65532:");
  }

  @Test
  void everythingButTheUsersHomeBelongsToRoot() throws IOException {
    assumeRoot(); // only root's tar keeps the layers' owners
    Set<String> notRootOwned = new TreeSet<>();
    try (Stream<Path> files = Files.walk(rootfs)) {
      for (Path file : files.toList()) {
        int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (uid != 0) {
          notRootOwned.add("/" + rootfs.relativize(file) + " " + uid);
        }
      }
    }
    assertThat(notRootOwned)
        .as("the user cannot change the image's files")
        .containsExactly("/home/nonroot 65532");
  }

  @Test
  void itsEntrypointPrintsTheHelpOfBothModes() throws Exception {
    assumeRoot();
    Run operator = run(List.of("--help"), Map.of());
    assertThat(operator.exitCode()).as("%s", operator.output()).isZero();
    assertThat(operator.output()).startsWith("Usage: vigil-operator").contains("--operator-image");

    Run reloader = run(List.of("reloader", "--help"), Map.of());
    assertThat(reloader.exitCode()).as("%s", reloader.output()).isZero();
    assertThat(reloader.output()).startsWith("Usage: vigil-operator reloader").contains("--once");
  }

  @Test
  void theReloaderWritesTheConfigSecretFromTheApiServer() throws Exception {
    assumeRoot();
    String prometheusYml = "global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: image\n";
    RealApiServer.ensureNamespace(NAMESPACE);
    RealApiServer.admin()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("prometheus-image")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(
                    Map.of(
                        "prometheus.yml.gz",
                        Base64.getEncoder().encodeToString(gzip(prometheusYml))))
                .build())
        .fieldManager("vigil-e2e")
        .forceConflicts()
        .serverSideApply();

    Run once =
        run(
            List.of(
                "reloader",
                "--namespace=" + NAMESPACE,
                "--secret=prometheus-image",
                "--output=/tmp/config_out/prometheus.yml",
                "--rules-dir=/tmp/rules",
                "--once",
                "--once-timeout=60s"),
            Map.of("KUBECONFIG", "/tmp/kubeconfig"));
    assertThat(once.exitCode()).as("%s", once.output()).isZero();
    assertThat(tmp().resolve("config_out/prometheus.yml"))
        .as("unzipped (the JRE's zlib) from a Secret read over TLS (jdk.crypto.ec)")
        .hasContent(prometheusYml);
  }

  @Test
  void theOperatorStartsAndServesItsEndpoints() throws Exception {
    assumeRoot();
    RealApiServer.ensureNamespace(NAMESPACE);
    int port = RealPrometheus.freePort();
    Path log = dir.resolve("operator.log");
    Process process =
        start(
            List.of(
                "--watch-namespaces=" + NAMESPACE,
                "--leader-election=false",
                "--http-port=" + port,
                "--log-level=info"),
            Map.of("KUBECONFIG", "/tmp/kubeconfig"),
            log);
    try {
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (status(http, port, "/readyz") != 200) {
        assertThat(process.isAlive()).as("the operator runs:%n%s", Files.readString(log)).isTrue();
        assertThat(System.nanoTime())
            .as("/readyz answers 200 within 90 s:%n%s", Files.readString(log))
            .isLessThan(deadline);
        Thread.sleep(500);
      }
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .as("JVM metrics need java.management and jdk.management in the JRE")
          .contains("jvm_memory_used_bytes");

      // What the kubelet does on delete: SIGTERM, then SIGKILL after the grace period (30 s).
      long stopping = System.nanoTime();
      process.descendants().forEach(ProcessHandle::destroy);
      assertThat(process.waitFor(30, TimeUnit.SECONDS))
          .as("SIGTERM stops the operator within the grace period:%n%s", Files.readString(log))
          .isTrue();
      System.out.printf(
          "ContainerImageIT: the operator stopped %d ms after SIGTERM%n",
          Duration.ofNanos(System.nanoTime() - stopping).toMillis());
    } finally {
      stop(process);
    }
    assertThat(process.exitValue())
        .as("the JVM's status after a SIGTERM shutdown (128 + 15)")
        .isEqualTo(143);
    assertThat(Files.readString(log)).contains("VigilOperator - stopping");
  }

  // ---------------------------------------------------------------- running the image

  record Run(int exitCode, String output) {}

  static Run run(List<String> args, Map<String, String> env) throws Exception {
    Path log = Files.createTempFile(dir, "run", ".log");
    Process process = start(args, env, log);
    boolean done = process.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      stop(process);
    }
    assertThat(done).as("%s finished in time: %s", args, Files.readString(log)).isTrue();
    return new Run(process.exitValue(), Files.readString(log));
  }

  /**
   * Starts the image's entrypoint with {@code args} (the container's args), the image's environment
   * plus {@code env}, and the real API server's admin kubeconfig at /tmp/kubeconfig.
   */
  static Process start(List<String> args, Map<String, String> env, Path log) throws IOException {
    Path tmp = tmp();
    Files.writeString(tmp.resolve("kubeconfig"), selfContainedKubeconfig());
    Files.setPosixFilePermissions(
        tmp.resolve("kubeconfig"), PosixFilePermissions.fromString("rw-r--r--"));
    // The mount points a runtime provides.
    Files.createDirectories(rootfs.resolve("dev"));
    Files.createDirectories(rootfs.resolve("proc"));

    List<String> command =
        new ArrayList<>(
            List.of(
                hostCommand("unshare"),
                "--mount",
                "--pid",
                "--fork",
                hostCommand("sh"),
                "-c",
                RUNTIME,
                "runtime",
                rootfs.toString(),
                tmp.toString(),
                config.at("/config/User").asText(),
                hostCommand("mount"),
                hostCommand("chroot")));
    command.addAll(strings(config.at("/config/Entrypoint")));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env(config.get("config")));
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * SIGTERM to the entrypoint (pid 1 of its pid namespace: the child of unshare, which a signal to
   * unshare would not reach), then SIGKILL.
   */
  static void stop(Process process) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The API server's admin kubeconfig with its certificate and key files inlined as {@code *-data}:
   * the files' host paths do not exist inside the image.
   */
  static String selfContainedKubeconfig() throws IOException {
    JsonNode kubeconfig = YAML.readTree(RealApiServer.kubeConfigFile().toFile());
    for (String section : List.of("clusters/cluster", "users/user")) {
      String[] path = section.split("/");
      for (JsonNode entry : kubeconfig.path(path[0])) {
        ObjectNode fields = (ObjectNode) entry.get(path[1]);
        for (String field : List.of("certificate-authority", "client-certificate", "client-key")) {
          if (fields.hasNonNull(field)) {
            byte[] content = Files.readAllBytes(Path.of(fields.remove(field).asText()));
            fields.put(field + "-data", Base64.getEncoder().encodeToString(content));
          }
        }
      }
    }
    return YAML.writeValueAsString(kubeconfig);
  }

  /** The container's /tmp (the manifests mount an emptyDir there): writable by its user. */
  static Path tmp() throws IOException {
    Path tmp = dir.resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      Files.createDirectories(tmp);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    return tmp;
  }

  /**
   * chroot and the mounts need root, as a container runtime does; CI and `make test` run as root
   * here.
   */
  static void assumeRoot() throws IOException {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeTrue(
        uid == 0,
        "running the image needs root (chroot, mount namespaces); this JVM runs as uid " + uid);
  }

  static String hostCommand(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv("PATH").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    return dirs.stream()
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not found on this machine"))
        .toString();
  }

  static int status(HttpClient http, int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static void tar(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(hostCommand("tar")));
    command.addAll(List.of(args));
    RealApiServer.run(Duration.ofMinutes(2), command.toArray(String[]::new));
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  // ---------------------------------------------------------------- reading the config

  static List<String> strings(JsonNode array) {
    List<String> strings = new ArrayList<>();
    array.forEach(e -> strings.add(e.asText()));
    return strings;
  }

  static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> map = new TreeMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** The image's environment, from its {@code NAME=value} list. */
  static Map<String, String> env(JsonNode config) {
    Map<String, String> env = new TreeMap<>();
    for (String entry : strings(config.get("Env"))) {
      env.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
    }
    return env;
  }
}
