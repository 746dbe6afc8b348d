package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * One real kube-apiserver and etcd (built by e2e/tools/install.sh) for the whole test JVM, with
 * RBAC on and Vigil's CRDs installed by server-side apply. The admin client is in system:masters;
 * tests that prove RBAC use {@link #clientAs(String, String)}.
 */
public final class RealApiServer {
  public static final Path REPO =
      Path.of(System.getProperty("vigil.repo", "..")).toAbsolutePath().normalize();

  /**
   * The prometheus-operator CRDs of the kinds Vigil reads with {@code
   * --prometheus-operator-objects=true}: file names in {@code VIGIL_PROMETHEUS_OPERATOR_CRDS}.
   */
  static final List<String> PROMETHEUS_OPERATOR_CRDS =
      List.of(
          "monitoring.coreos.com_servicemonitors.yaml",
          "monitoring.coreos.com_podmonitors.yaml",
          "monitoring.coreos.com_prometheusrules.yaml");

  private static KubeAPIServer server;
  private static KubernetesClient admin;
  private static String kubeConfigYaml;
  private static Path kubeConfigFile;

  private RealApiServer() {}

  public static synchronized KubernetesClient admin() {
    if (server == null) {
      start();
    }
    return admin;
  }

  public static synchronized Path kubeConfigFile() {
    admin();
    return kubeConfigFile;
  }

  private static void start() {
    requireLocalBinaries();
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .withApiServerFlag("--advertise-address", "127.0.0.1")
                // As on OpenShift: owner references need delete on the object, and
                // blockOwnerDeletion update on the owner's finalizers, so the operator's RBAC is
                // proven for clusters that check them.
                .withApiServerFlag(
                    "--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
                .withUpdateKubeConfig(false)
                .build());
    server.start();
    kubeConfigYaml = server.getKubeConfigYaml();
    try {
      kubeConfigFile = Files.createTempFile("vigil-e2e-kubeconfig", ".yaml");
      Files.writeString(kubeConfigFile, kubeConfigYaml);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build();
    installCrds(admin);
    Runtime.getRuntime().addShutdownHook(new Thread(RealApiServer::stop, "stop-kube-apiserver"));
  }

  /**
   * kube-api-test downloads binaries it cannot find; here that must never happen, so say what to
   * run instead of failing on an unknown host.
   */
  private static void requireLocalBinaries() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    String version = System.getenv("KUBE_API_TEST_API_SERVER_VERSION");
    assertThat(dir)
        .as("KUBE_API_TEST_DIR: run the tests through `make test` (it sources e2e/tools' env.sh)")
        .isNotBlank();
    assertThat(version)
        .as("KUBE_API_TEST_API_SERVER_VERSION: run through `make test`")
        .isNotBlank();
    Path binaries = Path.of(dir, "k8s", version + "-linux-amd64");
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      assertThat(binaries.resolve(binary))
          .as("%s: run `bash e2e/tools/install.sh kube etcd kubectl`", binaries.resolve(binary))
          .isExecutable();
    }
  }

  private static void stop() {
    admin.close();
    server.stop();
  }

  /** A client that acts as the given ServiceAccount, so RBAC applies exactly as in a cluster. */
  public static KubernetesClient clientAs(String namespace, String serviceAccount) {
    Config config = Config.fromKubeconfig(kubeConfigYaml);
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + serviceAccount);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A client that acts as a user (not a ServiceAccount), as a team member's kubectl would. */
  public static KubernetesClient clientAsUser(String user) {
    admin();
    Config config = Config.fromKubeconfig(kubeConfigYaml);
    config.setImpersonateUsername(user);
    config.setImpersonateGroups("system:authenticated");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public static List<Path> crdFiles() throws IOException {
    try (Stream<Path> files = Files.list(REPO.resolve("crds"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static void installCrds(KubernetesClient client) {
    try {
      for (Path file : crdFiles()) {
        try (var in = Files.newInputStream(file)) {
          for (HasMetadata crd : client.load(in).items()) {
            client.resource(crd).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    awaitCrdsEstablished(client);
  }

  /**
   * Installs prometheus-operator's full CRDs of ServiceMonitor, PodMonitor and PrometheusRule, as
   * the release pinned in e2e/tools/install.sh ships them ({@code VIGIL_PROMETHEUS_OPERATOR_CRDS}),
   * and waits until they are served. Objects of these kinds then pass the real schema, as in a
   * cluster that runs prometheus-operator.
   */
  public static void installPrometheusOperatorCrds() throws IOException {
    String dir = System.getenv("VIGIL_PROMETHEUS_OPERATOR_CRDS");
    assertThat(dir)
        .as(
            "VIGIL_PROMETHEUS_OPERATOR_CRDS is set: run `bash e2e/tools/install.sh po-crds` and"
                + " source its env.sh (`make test` does both)")
        .isNotBlank();
    for (String name : PROMETHEUS_OPERATOR_CRDS) {
      Path file = Path.of(dir, name);
      assertThat(file).as("%s: run `bash e2e/tools/install.sh po-crds`", file).isRegularFile();
      try (var in = Files.newInputStream(file)) {
        for (HasMetadata crd : admin().load(in).items()) {
          admin().resource(crd).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
        }
      }
    }
    awaitCrdsEstablished(admin());
  }

  /** Waits until every CRD on the server is Established, i.e. serves its kind. */
  public static void awaitCrdsEstablished(KubernetesClient client) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    for (CustomResourceDefinition crd : crds.list().getItems()) {
      crds.resource(crd)
          .waitUntilCondition(
              c ->
                  c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              k ->
                                  "Established".equals(k.getType())
                                      && "True".equals(k.getStatus())),
              30,
              TimeUnit.SECONDS);
    }
  }

  /**
   * Applies every object of manifests/examples as the admin (server-side apply) and returns them.
   */
  public static List<HasMetadata> applyExamples() throws IOException {
    try (Stream<Path> files = Files.list(REPO.resolve("manifests/examples"))) {
      List<HasMetadata> applied = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var in = Files.newInputStream(file)) {
          for (HasMetadata object : admin().load(in).items()) {
            applied.add(
                admin()
                    .resource(object)
                    .fieldManager("vigil-e2e")
                    .forceConflicts()
                    .serverSideApply());
          }
        }
      }
      return applied;
    }
  }

  /**
   * Applies manifests/rbac (the namespace vigil-system, the operator's ServiceAccount and its
   * roles) as the admin, so a test can run the operator as that ServiceAccount.
   */
  static void applyOperatorRbac() throws IOException {
    try (Stream<Path> files = Files.list(REPO.resolve("manifests/rbac"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var in = Files.newInputStream(file)) {
          for (HasMetadata object : admin().load(in).items()) {
            admin().resource(object).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
          }
        }
      }
    }
  }

  /**
   * Applies every object of a YAML stream with server-side apply as the test's field manager
   * ({@code vigil-e2e}), taking over fields another manager holds, as a user re-applying would.
   */
  public static void apply(KubernetesClient client, String yaml) {
    for (HasMetadata object :
        client
            .load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .items()) {
      client.resource(object).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
    }
  }

  public static void ensureNamespace(String name) {
    admin()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .fieldManager("vigil-e2e")
        .serverSideApply();
  }

  /**
   * The text of {@code key} in the Secret {@code namespace/name} (gunzipped when the key ends in
   * {@code .gz}, as the operator stores {@code prometheus.yml.gz}), or empty while there is none.
   */
  public static Optional<String> secretText(String namespace, String name, String key) {
    Secret secret = admin().secrets().inNamespace(namespace).withName(name).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
      return Optional.empty();
    }
    byte[] value = Base64.getDecoder().decode(secret.getData().get(key));
    if (key.endsWith(".gz")) {
      try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(value))) {
        value = gzip.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Optional.of(new String(value, StandardCharsets.UTF_8));
  }

  /** Runs a tool built by e2e/tools/install.sh and returns its output; fails on a non-zero exit. */
  public static String run(Duration timeout, String... command) throws Exception {
    // Output goes to a file: a pipe would fill (64 KiB, e.g. `kubectl kustomize` with the CRDs)
    // and block the tool until the timeout.
    Path log = Files.createTempFile("vigil-e2e-tool", ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(REPO.toFile())
            .start();
    boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    Files.delete(log);
    assertThat(done).as("%s finished in time", String.join(" ", command)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    return output;
  }

  /**
   * Writes {@code file}: a kubeconfig for this API server with a one-hour token of {@code
   * serviceAccount} in {@code namespace}, as the kubelet projects one into a pod, so a process run
   * with it may do exactly what that ServiceAccount's RBAC grants.
   */
  public static Path serviceAccountKubeconfig(Path file, String namespace, String serviceAccount)
      throws IOException {
    String token =
        admin()
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: agent
          user: {token: "%s"}
        contexts:
        - name: agent
          context: {cluster: local, user: agent}
        current-context: agent
        """
            .formatted(admin().getConfiguration().getMasterUrl(), token));
  }

  /** Runs the real kubectl against the test API server and returns its output. */
  public static String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(tool("VIGIL_KUBECTL"));
    command.add("--kubeconfig=" + kubeConfigFile());
    command.addAll(List.of(args));
    return run(Duration.ofSeconds(60), command.toArray(String[]::new));
  }

  public static String tool(String variable) {
    String path = System.getenv(variable);
    assertThat(path)
        .as(
            "%s is set: run the tests through `make test`, which sources the tools' env.sh",
            variable)
        .isNotBlank();
    return path;
  }
}
