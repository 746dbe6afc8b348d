package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.harness.ControlPlane;
import dev.vigil.e2e.harness.RealApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Plain {@code kubectl apply -f crds/} works": a client-side apply, the kind that stores the whole
 * object in the {@code kubectl.kubernetes.io/last-applied-configuration} annotation, which the API
 * server caps at 256 KiB for all annotations together. On an API server that has never seen Vigil
 * (its own {@link ControlPlane}, whose CRDs are taken away first), every CRD of {@code crds/} is
 * created and established, a second apply writes nothing (no resourceVersion moves, {@code kubectl
 * diff} is empty), and an apply of a changed CRD reaches the API server. The same command on one of
 * prometheus-operator's full CRDs (the release the project pins, {@code e2e/tools/install.sh
 * po-crds}) is refused for that annotation, which is why its docs ask for {@code --server-side}:
 * the contrast shows the test would catch a Vigil CRD that grew past the limit.
 */
class ClientSideApplyIT {
  /** What the API server allows for all of an object's annotations together. */
  static final int ANNOTATIONS_LIMIT = 256 * 1024;

  static ControlPlane plane;

  @BeforeAll
  static void clusterWithoutVigilsCrds() throws Exception {
    plane = ControlPlane.start(Files.createTempDirectory("vigil-client-side-apply"));
    var crds = plane.admin().apiextensions().v1().customResourceDefinitions();
    crds.delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> crds.list().getItems().isEmpty());
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void plainKubectlApplyOfTheCrdsCreatesReappliesAndUpdatesThem(@TempDir Path dir)
      throws Exception {
    KubernetesClient admin = plane.admin();
    List<Path> files = RealApiServer.crdFiles();

    // 1. Created, each with its last-applied annotation well under the limit.
    Result first = kubectl("apply", "-f", "crds/");
    assertThat(first.exit()).as(first.output()).isZero();
    for (Path file : files) {
      String name = crdName(file);
      assertThat(first.output())
          .contains("customresourcedefinition.apiextensions.k8s.io/" + name + " created");
      CustomResourceDefinition crd =
          admin.apiextensions().v1().customResourceDefinitions().withName(name).get();
      String lastApplied =
          crd.getMetadata()
              .getAnnotations()
              .get("kubectl.kubernetes.io/last-applied-configuration");
      assertThat(lastApplied).as(name).isNotBlank();
      assertThat(lastApplied.getBytes(StandardCharsets.UTF_8).length)
          .as("%s's last-applied annotation", name)
          .isLessThan(ANNOTATIONS_LIMIT / 2);
      System.out.printf(
          "ClientSideApplyIT: %s: last-applied %d bytes (limit %d)%n",
          name, lastApplied.length(), ANNOTATIONS_LIMIT);
    }
    RealApiServer.awaitCrdsEstablished(admin);

    // 2. Again: nothing is written. (kubectl may still print "configured" for a CRD: it sends a
    // patch it cannot tell is empty, and the API server, finding nothing to change, writes
    // nothing; the resourceVersion says which.)
    Map<String, String> versions = resourceVersions(admin, files);
    Result again = kubectl("apply", "-f", "crds/");
    assertThat(again.exit()).as(again.output()).isZero();
    assertThat(resourceVersions(admin, files)).as(again.output()).isEqualTo(versions);
    assertThat(kubectl("diff", "-f", "crds/").output()).isEmpty();

    // 3. A changed CRD (as a new release would bring): configured, and the change is there.
    Path stacks = RealApiServer.REPO.resolve("crds/monitoringstacks.monitoring.vigil.dev.yaml");
    String original = Files.readString(stacks);
    String changed =
        original.replaceFirst(
            "(?m)^    categories:\n    - \"vigil\"\n",
            "    categories:\n    - \"vigil\"\n    - \"vigil-client-side-apply-e2e\"\n");
    assertThat(changed).isNotEqualTo(original);
    Path changedFile = Files.writeString(dir.resolve("monitoringstacks.yaml"), changed);
    Result update = kubectl("apply", "-f", changedFile.toString());
    assertThat(update.exit()).as(update.output()).isZero();
    assertThat(update.output())
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/monitoringstacks.monitoring.vigil.dev configured");
    assertThat(
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("monitoringstacks.monitoring.vigil.dev")
                .get()
                .getSpec()
                .getNames()
                .getCategories())
        .contains("vigil-client-side-apply-e2e");

    // 4. The contrast: prometheus-operator's Prometheus CRD is too large for a client-side apply.
    Path prometheuses =
        Path.of(RealApiServer.tool("VIGIL_PROMETHEUS_OPERATOR_CRDS"))
            .resolve("monitoring.coreos.com_prometheuses.yaml");
    assertThat(Files.size(prometheuses)).isGreaterThan(ANNOTATIONS_LIMIT);
    Result refused = kubectl("apply", "-f", prometheuses.toString());
    assertThat(refused.exit()).as(refused.output()).isNotZero();
    assertThat(refused.output()).contains("Too long").contains("262144");
  }

  private static Map<String, String> resourceVersions(KubernetesClient admin, List<Path> files) {
    Map<String, String> versions = new TreeMap<>();
    for (Path file : files) {
      String name = crdName(file);
      versions.put(
          name,
          admin
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(name)
              .get()
              .getMetadata()
              .getResourceVersion());
    }
    return versions;
  }

  private static String crdName(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - ".yaml".length());
  }

  record Result(int exit, String output) {}

  /** kubectl on this test's API server, from the repository root; exit code and output. */
  private static Result kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool("VIGIL_KUBECTL"));
    command.add("--kubeconfig=" + plane.kubeconfig());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(RealApiServer.REPO.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }
}
