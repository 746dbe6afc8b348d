package dev.vigil.e2e.harness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd and kube-apiserver (RBAC on) run as processes this test owns, unlike the shared
 * {@link RealApiServer}: fault and scale tests stop and start the API server over the same etcd,
 * add flags such as an audit policy, and give operator processes ServiceAccount tokens.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final List<String> extraApiServerFlags;
  private final int etcdPort = RealPrometheus.freePort();
  private final int etcdPeerPort = RealPrometheus.freePort();
  private final int apiPort = RealPrometheus.freePort();
  private Process etcd;
  private Process apiServer;
  private KubernetesClient admin;

  private ControlPlane(Path dir, List<String> extraApiServerFlags) {
    this.dir = dir;
    this.extraApiServerFlags = List.copyOf(extraApiServerFlags);
  }

  /** Certificates, etcd, kube-apiserver and Vigil's CRDs; returns once the CRDs are Established. */
  public static ControlPlane start(Path dir, String... extraApiServerFlags) throws Exception {
    ControlPlane plane = startWithoutVigilsCrds(dir, extraApiServerFlags);
    plane.applyFiles(RealApiServer.crdFiles());
    RealApiServer.awaitCrdsEstablished(plane.admin);
    return plane;
  }

  /**
   * Certificates, etcd and kube-apiserver, with no CRD installed: a fresh cluster, for tests in
   * which an installer (a GitOps controller, Helm) brings Vigil's CRDs.
   */
  public static ControlPlane startWithoutVigilsCrds(Path dir, String... extraApiServerFlags)
      throws Exception {
    Files.createDirectories(dir);
    ControlPlane plane = new ControlPlane(dir, List.of(extraApiServerFlags));
    plane.certificates();
    plane.startEtcd();
    plane.startApiServer();
    plane.writeKubeconfig();
    plane.admin =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(plane.kubeconfig())))
            .build();
    plane.awaitReady();
    return plane;
  }

  Path dir() {
    return dir;
  }

  /** The system:masters kubeconfig (client certificate). */
  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  public KubernetesClient admin() {
    return admin;
  }

  String apiServerUrl() {
    return "https://127.0.0.1:" + apiPort;
  }

  /**
   * Server-side applies every object of the given YAML files as the admin, Namespaces first (as
   * kubectl orders them) so that a directory like manifests/rbac applies in one call.
   */
  public void applyFiles(List<Path> files) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        objects.addAll(admin.load(in).items());
      }
    }
    objects.sort(Comparator.comparing(object -> !"Namespace".equals(object.getKind())));
    for (HasMetadata object : objects) {
      admin.resource(object).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
    }
  }

  /**
   * A kubeconfig that authenticates as the ServiceAccount with a token from the TokenRequest API,
   * as a pod's projected token would: RBAC applies to the process that uses it.
   */
  public Path kubeconfigFor(String namespace, String serviceAccount) throws IOException {
    TokenRequest request =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24 * 3600L)
                    .endSpec()
                    .build());
    Path file = dir.resolve("kubeconfig-" + namespace + "-" + serviceAccount);
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: sa
          user: {token: "%s"}
        contexts:
        - name: sa
          context: {cluster: local, user: sa, namespace: %s}
        current-context: sa
        """
            .formatted(apiServerUrl(), request.getStatus().getToken(), namespace));
    return file;
  }

  /** Kills kube-apiserver (etcd keeps the data); clients see connection refused until restart. */
  public void stopApiServer() throws InterruptedException {
    apiServer.destroy();
    if (!apiServer.waitFor(20, TimeUnit.SECONDS)) {
      apiServer.destroyForcibly().waitFor();
    }
  }

  /** Starts kube-apiserver on the same port and etcd, and waits until it answers. */
  public void restartApiServer() throws Exception {
    startApiServer();
    awaitReady();
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    for (Process process : new Process[] {apiServer, etcd}) {
      if (process != null && process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
    }
  }

  private void certificates() throws Exception {
    Files.createDirectories(dir.resolve("certs"));
    String openssl = "openssl";
    run(
        openssl,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=vigil-e2e-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    run(
        openssl,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/O=system:masters/CN=vigil-e2e-admin",
        "-keyout",
        "admin.key",
        "-out",
        "admin.csr");
    run(
        openssl,
        "x509",
        "-req",
        "-in",
        "admin.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "admin.crt");
    run(openssl, "genrsa", "-out", "sa.key", "2048");
  }

  private void startEtcd() throws IOException {
    etcd =
        start(
            "etcd.log",
            RealApiServer.tool("VIGIL_ETCD"),
            "--name=local",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=http://127.0.0.1:" + etcdPort,
            "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
            "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
            "--initial-cluster=local=http://127.0.0.1:" + etcdPeerPort,
            // Frequent snapshots cost CPU the 2-core machines do not have.
            "--snapshot-count=100000",
            // The 100,000-pod scale run writes about 250,000 objects and revisions between the
            // API server's compactions (every 5 minutes); the default 2 GiB quota would be near.
            "--quota-backend-bytes=" + (8L << 30));
  }

  private void startApiServer() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool("VIGIL_KUBE_APISERVER"));
    command.addAll(
        List.of(
            "--etcd-servers=http://127.0.0.1:" + etcdPort,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            "--secure-port=" + apiPort,
            "--cert-dir=" + dir.resolve("certs"),
            "--authorization-mode=RBAC",
            "--client-ca-file=" + dir.resolve("ca.crt"),
            "--service-account-issuer=https://localhost",
            "--service-account-key-file=" + dir.resolve("sa.key"),
            "--service-account-signing-key-file=" + dir.resolve("sa.key"),
            "--service-cluster-ip-range=10.0.0.0/16",
            "--disable-admission-plugins=ServiceAccount"));
    command.addAll(extraApiServerFlags);
    apiServer = start("apiserver.log", command.toArray(String[]::new));
  }

  private void writeKubeconfig() throws IOException {
    Files.writeString(
        kubeconfig(),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: admin
          user: {client-certificate: "%s", client-key: "%s"}
        contexts:
        - name: local
          context: {cluster: local, user: admin}
        current-context: local
        """
            .formatted(apiServerUrl(), dir.resolve("admin.crt"), dir.resolve("admin.key")));
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!apiServer.isAlive()) {
        throw new IllegalStateException(
            "kube-apiserver exited: see " + dir.resolve("apiserver.log"));
      }
      try {
        if (admin.namespaces().withName("default").get() != null) {
          return;
        }
      } catch (RuntimeException notYet) {
        // connection refused or 403/500 while the API server's bootstrap hooks run
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "kube-apiserver not ready in " + READY_TIMEOUT + ": see " + dir);
      }
      Thread.sleep(250);
    }
  }

  private Process start(String logName, String... command) throws IOException {
    Path log = dir.resolve(logName);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .directory(dir.toFile())
        .start();
  }

  private void run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .directory(dir.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed: " + Files.readString(dir.resolve("openssl.log")));
    }
  }
}
