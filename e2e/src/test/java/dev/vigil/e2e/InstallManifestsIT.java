package dev.vigil.e2e;

import static dev.vigil.e2e.harness.RealApiServer.kubectl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.WebhookOperator;
import dev.vigil.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kustomize install path of the README, with the real kubectl against the real API server:
 * {@code kubectl apply --server-side -k manifests/} succeeds and leaves the operator's objects.
 */
class InstallManifestsIT {
  static final String NAMESPACE = "vigil-system";

  static List<HasMetadata> build(KubernetesClient client, String dir) throws Exception {
    String yaml = kubectl("kustomize", dir);
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  /**
   * The webhook configurations are cluster-wide and named alike in every install path: the next
   * test's Helm release would find them taken. (No operator runs here: they only fail open.)
   */
  @org.junit.jupiter.api.AfterAll
  static void removeTheWebhookConfigurations() {
    WebhookOperator.removeConfigurations(RealApiServer.admin());
  }

  @Test
  void kubectlApplyServerSideKustomizeBaseWorks() throws Exception {
    KubernetesClient admin = RealApiServer.admin();

    // RealApiServer installed the CRDs through fabric8 under the field manager vigil-e2e, whose
    // serialization of .spec.versions differs from kubectl's: take them over as a user who
    // followed the quick start (`kubectl apply --server-side -f crds/`) would own them. Then the
    // README's command, exactly, without --force-conflicts.
    kubectl("apply", "--server-side", "--force-conflicts", "-f", "crds/");
    String output = kubectl("apply", "--server-side", "-k", "manifests/");
    WebhookOperator.neverCalled(admin);

    assertThat(output)
        .contains("namespace/vigil-system serverside-applied")
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/monitoringstacks.monitoring.vigil.dev"
                + " serverside-applied")
        .contains("deployment.apps/vigil-operator serverside-applied")
        .contains("service/vigil-operator serverside-applied")
        .contains("poddisruptionbudget.policy/vigil-operator serverside-applied")
        .contains(
            "mutatingwebhookconfiguration.admissionregistration.k8s.io/vigil-instrumentation"
                + " serverside-applied")
        .contains(
            "validatingwebhookconfiguration.admissionregistration.k8s.io/vigil-validation"
                + " serverside-applied");

    Deployment deployment =
        admin.apps().deployments().inNamespace(NAMESPACE).withName("vigil-operator").get();
    assertThat(deployment).isNotNull();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("vigil-operator");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("POD_NAMESPACE");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                  .isEqualTo("metadata.namespace");
            });

    // The flags parse exactly as the operator parses them, and agree with its defaults.
    OperatorConfig config =
        OperatorConfig.from(container.getArgs(), Map.of("POD_NAMESPACE", NAMESPACE));
    OperatorConfig defaults = OperatorConfig.from(List.of(), Map.of());
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.leaseNamespace()).isEqualTo(NAMESPACE);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.serviceDiscoveryUrl())
        .isEqualTo("http://vigil-operator.vigil-system.svc:8080");
    assertThat(container.getImage()).isEqualTo(defaults.operatorImage());
    assertThat(config.operatorImage()).isEqualTo(defaults.operatorImage());

    Service service = admin.services().inNamespace(NAMESPACE).withName("vigil-operator").get();
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getPort()).isEqualTo(8080);
            });
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

    PodDisruptionBudget pdb =
        admin
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace(NAMESPACE)
            .withName("vigil-operator")
            .get();
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

    Set<String> crdFiles =
        RealApiServer.crdFiles().stream()
            .map(f -> f.getFileName().toString().replaceAll("\\.yaml$", ""))
            .collect(Collectors.toSet());
    for (String crd : crdFiles) {
      CustomResourceDefinition live =
          admin.apiextensions().v1().customResourceDefinitions().withName(crd).get();
      assertThat(live.getStatus().getConditions())
          .as(crd)
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Established");
                assertThat(c.getStatus()).isEqualTo("True");
              });
    }

    assertThat(admin.serviceAccounts().inNamespace(NAMESPACE).withName("vigil-operator").get())
        .isNotNull();
    assertThat(admin.rbac().clusterRoles().withName("vigil-operator").get()).isNotNull();
    assertThat(admin.rbac().clusterRoleBindings().withName("vigil-operator").get()).isNotNull();
    assertThat(
            admin
                .rbac()
                .roles()
                .inNamespace(NAMESPACE)
                .withName("vigil-operator-leader-election")
                .get())
        .isNotNull();

    // Applying again changes nothing.
    assertThat(kubectl("apply", "--server-side", "-k", "manifests/"))
        .contains("deployment.apps/vigil-operator serverside-applied");
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName("vigil-operator")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(deployment.getMetadata().getResourceVersion());
  }

  @Test
  void baseHoldsEveryCrdAndTheRbacFilesButNoExample() throws Exception {
    List<HasMetadata> base = build(RealApiServer.admin(), "manifests/");
    Set<String> kinds = base.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "Namespace",
            "CustomResourceDefinition",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration");
    assertThat(base.stream().filter(o -> o.getKind().equals("CustomResourceDefinition")))
        .hasSize(RealApiServer.crdFiles().size());
    // The ClusterRole is the file OperatorRbacIT proves, unchanged.
    HasMetadata clusterRole =
        base.stream().filter(o -> o.getKind().equals("ClusterRole")).findFirst().orElseThrow();
    try (var in =
        Files.newInputStream(RealApiServer.REPO.resolve("manifests/rbac/cluster-role.yaml"))) {
      assertThat(clusterRole).isEqualTo(RealApiServer.admin().load(in).items().get(0));
    }
  }

  @Test
  void overlaysAddTheirChangeAndApplyOnTheServer() throws Exception {
    KubernetesClient admin = RealApiServer.admin();
    Deployment watching =
        build(admin, "manifests/overlays/namespaces").stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    List<String> args = watching.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(OperatorConfig.from(args, Map.of()).watchNamespaces())
        .containsExactlyInAnyOrder("monitoring", "shop");

    assertThat(
            build(admin, "manifests/overlays/network-policy").stream()
                .filter(o -> o.getKind().equals("NetworkPolicy")))
        .hasSize(1);

    List<HasMetadata> tls = build(admin, "manifests/overlays/service-discovery-tls");
    Deployment https =
        tls.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    OperatorConfig httpsConfig =
        OperatorConfig.from(
            https.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs(),
            Map.of("POD_NAMESPACE", NAMESPACE));
    assertThat(httpsConfig.serviceDiscoveryTlsSecret())
        .isEqualTo(new OperatorConfig.SecretName(NAMESPACE, "vigil-operator-sd-tls"));
    assertThat(httpsConfig.serviceDiscoveryUrl())
        .isEqualTo("https://vigil-operator.vigil-system.svc:8443");
    assertThat(httpsConfig.serviceDiscoveryPort()).isEqualTo(8443);
    assertThat(
            tls.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .flatMap(service -> service.getSpec().getPorts().stream())
                .map(port -> port.getName() + ":" + port.getPort()))
        .containsExactly("http:8080", "sd-https:8443", "webhook:443");

    for (String overlay :
        List.of(
            "manifests/overlays/namespaces",
            "manifests/overlays/network-policy",
            "manifests/overlays/service-discovery-tls")) {
      assertThat(kubectl("apply", "--server-side", "--dry-run=server", "-k", overlay))
          .as(overlay)
          .contains("deployment.apps/vigil-operator serverside-applied (server dry run)");
    }
  }
}
