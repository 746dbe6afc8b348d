package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.harness.ControlPlane;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.WebhookOperator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's first Helm command on a cluster that has never seen Vigil: {@code helm install}
 * brings the CRDs from the chart's {@code crds/}, custom resources can be created at once, the
 * README's CRD upgrade path works over CRDs Helm installed (and is needed: without {@code
 * --force-conflicts} the apply conflicts with Helm's field manager), and {@code helm uninstall}
 * leaves CRDs and custom resources. Its own {@link ControlPlane}, as the shared API server has the
 * CRDs installed already (HelmInstallIT covers that case with --skip-crds).
 */
class HelmFreshClusterIT {
  static ControlPlane plane;

  @BeforeAll
  static void clusterWithoutVigilsCrds() throws Exception {
    plane = ControlPlane.start(Files.createTempDirectory("vigil-helm-fresh"));
    KubernetesClient admin = plane.admin();
    // ControlPlane installs Vigil's CRDs (and only those): take them away again.
    var crds = admin.apiextensions().v1().customResourceDefinitions();
    crds.delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> crds.list().getItems().isEmpty());
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  String helm(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool("VIGIL_HELM"));
    command.add("--kubeconfig=" + plane.kubeconfig());
    command.addAll(List.of(args));
    return RealApiServer.run(Duration.ofSeconds(120), command.toArray(String[]::new));
  }

  String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool("VIGIL_KUBECTL"));
    command.add("--kubeconfig=" + plane.kubeconfig());
    command.addAll(List.of(args));
    return RealApiServer.run(Duration.ofSeconds(120), command.toArray(String[]::new));
  }

  @Test
  void helmInstallBringsTheCrdsAndTheReadmesUpgradePathTakesThemOver() throws Exception {
    KubernetesClient admin = plane.admin();
    String install =
        helm("install", "vigil", "helm-chart/vigil", "-n", "vigil-system", "--create-namespace");
    assertThat(install).contains("STATUS: deployed");
    WebhookOperator.neverCalled(admin);
    var crds = admin.apiextensions().v1().customResourceDefinitions();
    assertThat(crds.list().getItems())
        .extracting(crd -> crd.getMetadata().getName())
        .hasSize(RealApiServer.crdFiles().size())
        .allMatch(name -> name.endsWith(".monitoring.vigil.dev"));
    RealApiServer.awaitCrdsEstablished(admin);

    // The examples are accepted at once, as NOTES.txt says to apply them next.
    kubectl("create", "namespace", "monitoring");
    assertThat(kubectl("apply", "-f", "manifests/examples/monitoringstack.yaml"))
        .contains("monitoringstack.monitoring.vigil.dev/platform created");

    // The README's CRD upgrade path over CRDs that Helm installed: a plain server-side apply
    // conflicts with Helm's field manager; --force-conflicts takes the fields over.
    Path crdsDir = RealApiServer.REPO.resolve("crds");
    Process plain =
        new ProcessBuilder(
                RealApiServer.tool("VIGIL_KUBECTL"),
                "--kubeconfig=" + plane.kubeconfig(),
                "apply",
                "--server-side",
                "-f",
                crdsDir.toString())
            .redirectErrorStream(true)
            .start();
    String plainOutput = new String(plain.getInputStream().readAllBytes());
    assertThat(plain.waitFor()).as(plainOutput).isNotZero();
    assertThat(plainOutput).contains("conflict");
    assertThat(kubectl("apply", "--server-side", "--force-conflicts", "-f", "crds/"))
        .contains("monitoringstacks.monitoring.vigil.dev serverside-applied");
    CustomResourceDefinition stacks = crds.withName("monitoringstacks.monitoring.vigil.dev").get();
    assertThat(stacks.getMetadata().getManagedFields())
        .anyMatch(f -> "kubectl".equals(f.getManager()) && "Apply".equals(f.getOperation()));

    assertThat(
            helm(
                "upgrade",
                "vigil",
                "helm-chart/vigil",
                "-n",
                "vigil-system",
                "--set",
                "replicas=3"))
        .contains("STATUS: deployed")
        .contains("REVISION: 2");
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace("vigil-system")
                .withName("vigil-operator")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);

    helm("uninstall", "vigil", "-n", "vigil-system");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin
                        .apps()
                        .deployments()
                        .inNamespace("vigil-system")
                        .withName("vigil-operator")
                        .get()
                    == null);
    assertThat(crds.list().getItems()).hasSize(RealApiServer.crdFiles().size());
    assertThat(
            admin
                .genericKubernetesResources("monitoring.vigil.dev/v1alpha1", "MonitoringStack")
                .inNamespace("monitoring")
                .withName("platform")
                .get())
        .isNotNull();
  }
}
