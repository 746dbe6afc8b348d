package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.common.VigilStatus;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.WebhookOperator;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.dependents.ClusterAccess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Helm install path with the real helm 4 binary against the real API server: {@code helm
 * install}, then the operator runs in-process as the chart's ServiceAccount (impersonated, so only
 * the chart's RBAC applies) and reconciles the example MonitoringStack; {@code helm upgrade} with
 * changed values; {@code helm uninstall} leaves the CRDs and custom resources in place. The release
 * is "vigil-helm" in its own namespace, apart from the objects of manifests/ that other tests
 * apply. No controllers run here: the Deployment gets no pods, hence no --wait.
 */
class HelmInstallIT {
  static final String RELEASE = "vigil-helm";
  static final String NAMESPACE = "vigil-helm";
  static final String WATCHED = "helm-demo";
  static final String FULLNAME = RELEASE + "-operator";

  static String helm(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(RealApiServer.tool("VIGIL_HELM"));
    command.add("--kubeconfig=" + RealApiServer.kubeConfigFile());
    command.addAll(List.of(args));
    return RealApiServer.run(Duration.ofSeconds(120), command.toArray(String[]::new));
  }

  @Test
  void installRunsWithTheChartsRbacUpgradesAndUninstallKeepsCrdsAndResources() throws Exception {
    KubernetesClient admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(WATCHED);
    // The CRDs are already here (RealApiServer applied them): as for any cluster where they were
    // applied with kubectl first, helm 4 would server-side apply the chart's copies and conflict
    // with their manager on .spec.versions, so install with --skip-crds (README, Install).
    String install =
        helm(
            "install",
            RELEASE,
            "helm-chart/vigil",
            "--namespace",
            NAMESPACE,
            "--create-namespace",
            "--skip-crds",
            "--set",
            "watchNamespaces={" + WATCHED + "}",
            // The example stack selects other namespaces and runs kube-state-metrics cluster-wide.
            "--set",
            "tenancy.platformNamespaces={" + WATCHED + "}");
    // NOTES.txt: where it runs, how to check it, what to apply next, and the CRD upgrade path.
    assertThat(install)
        .contains("STATUS: deployed")
        .contains("installed in namespace " + NAMESPACE)
        .contains("watching namespaces " + WATCHED)
        .contains("kubectl -n " + NAMESPACE + " rollout status deployment/" + FULLNAME)
        .contains("kubectl apply -f manifests/examples/monitoringstack.yaml")
        .contains("kubectl apply --server-side --force-conflicts -f crds/");
    WebhookOperator.neverCalled(admin);
    Deployment deployment =
        admin.apps().deployments().inNamespace(NAMESPACE).withName(FULLNAME).get();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    List<String> args =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();

    // The operator with the flags the chart gives it, as the chart's ServiceAccount.
    OperatorConfig chartConfig = OperatorConfig.from(args, Map.of("POD_NAMESPACE", NAMESPACE));
    // A namespace list: the stack's cluster-scoped kube-state-metrics RBAC must still converge.
    assertThat(chartConfig.watchNamespaces()).containsExactly(WATCHED);
    assertThat(chartConfig.leaseNamespace()).isEqualTo(NAMESPACE);
    assertThat(chartConfig.tenancy().platformNamespaces())
        .containsExactlyInAnyOrder(NAMESPACE, WATCHED);
    assertThat(chartConfig.serviceDiscoveryUrl())
        .isEqualTo("http://" + FULLNAME + "." + NAMESPACE + ".svc:8080");
    List<String> inProcess = new java.util.ArrayList<>(args);
    inProcess.add("--http-port=0");
    inProcess.add("--webhook-port=0");
    try (KubernetesClient asChart = RealApiServer.clientAs(NAMESPACE, FULLNAME);
        VigilOperator vigil =
            new VigilOperator(
                OperatorConfig.from(inProcess, Map.of("POD_NAMESPACE", NAMESPACE)),
                asChart,
                new VigilOperator.Runtime(true, false))) {
      vigil.start();
      await().atMost(Duration.ofSeconds(60)).until(vigil::ready);

      MonitoringStack stack;
      try (var in =
          Files.newInputStream(
              RealApiServer.REPO.resolve("manifests/examples/monitoringstack.yaml"))) {
        stack = admin.getKubernetesSerialization().unmarshal(in, MonitoringStack.class);
      }
      stack.getMetadata().setNamespace(WATCHED);
      stack = admin.resource(stack).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
      long generation = stack.getMetadata().getGeneration();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                VigilStatus status =
                    admin
                        .resources(MonitoringStack.class)
                        .inNamespace(WATCHED)
                        .withName("platform")
                        .get()
                        .getStatus();
                assertThat(status).isNotNull();
                assertThat(status.observedGeneration).isEqualTo(generation);
                assertThat(status.condition("Reconciled"))
                    .map(Condition::getStatus)
                    .hasValue("True");
                assertThat(
                        admin
                            .apps()
                            .statefulSets()
                            .inNamespace(WATCHED)
                            .withName("platform-prometheus-0")
                            .get())
                    .isNotNull();
                assertThat(
                        admin
                            .rbac()
                            .clusterRoles()
                            .withName(ClusterAccess.name(WATCHED, "platform-kube-state-metrics"))
                            .get())
                    .isNotNull();
              });
    }

    // The CRD upgrade path of the README (helm never upgrades CRDs).
    assertThat(
            RealApiServer.kubectl(
                "apply", "--server-side", "--force-conflicts", "-f", "helm-chart/vigil/crds/"))
        .contains("monitoringstacks.monitoring.vigil.dev serverside-applied");

    // helm upgrade with changed values.
    String upgrade =
        helm(
            "upgrade",
            RELEASE,
            "helm-chart/vigil",
            "--namespace",
            NAMESPACE,
            "--reuse-values",
            "--set",
            "replicas=3",
            "--set",
            "logLevel=debug");
    assertThat(upgrade).contains("STATUS: deployed").contains("REVISION: 2");
    WebhookOperator.neverCalled(admin);
    Deployment upgraded =
        admin.apps().deployments().inNamespace(NAMESPACE).withName(FULLNAME).get();
    assertThat(upgraded.getSpec().getReplicas()).isEqualTo(3);
    assertThat(upgraded.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--log-level=debug");

    // helm uninstall removes the release's objects, never the CRDs nor the custom resources.
    helm("uninstall", RELEASE, "--namespace", NAMESPACE);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin.apps().deployments().inNamespace(NAMESPACE).withName(FULLNAME).get() == null);
    assertThat(admin.rbac().clusterRoles().withName(FULLNAME).get()).isNull();
    // No webhook configuration left behind to fail open on every pod.
    assertThat(
            admin
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("vigil-instrumentation")
                .get())
        .isNull();
    assertThat(
            admin
                .admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("vigil-validation")
                .get())
        .isNull();
    assertThat(
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("monitoringstacks.monitoring.vigil.dev")
                .get())
        .isNotNull();
    assertThat(
            admin.resources(MonitoringStack.class).inNamespace(WATCHED).withName("platform").get())
        .isNotNull();
  }
}
