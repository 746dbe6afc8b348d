package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.GoldenFile;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The StatefulSet of a shard of the example stack (HA pair, PVCs, retention size, Thanos) against
 * its golden file {@code src/test/resources/golden/prometheus-objects/}; rewrite it with {@code
 * -Dvigil.updateGolden=true} and review the diff. The real API server accepts the same object in
 * e2e (OperatorRbacIT applies the example stack).
 */
class PrometheusStatefulSetTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/prometheus-objects");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static ScraperPlan examplePlan() throws IOException {
    MonitoringStack stack;
    try (InputStream in =
        Files.newInputStream(Path.of("../manifests/examples/monitoringstack.yaml"))) {
      stack = SERIALIZATION.unmarshal(in, MonitoringStack.class);
    }
    Map<MountedKey, String> credentials = new TreeMap<>();
    credentials.put(MountedKey.secret("monitoring", "mimir-credentials", "password"), "p");
    credentials.put(MountedKey.secret("monitoring", "mimir-credentials", "username"), "u");
    credentials.put(MountedKey.configMap("shop", "checkout-ca", "ca.crt"), "c");
    return new ScraperPlan(
        stack,
        new DeploymentSettings(
            "http://vigil.vigil-system.svc:8080", "vigil/operator:1.0", Tenancy.SINGLE_TEAM),
        List.of("shard 0", "shard 1"),
        new TreeMap<>(credentials),
        List.of(),
        2,
        new StackRules(List.of(Map.of("shop_checkout.yaml", "groups: []\n")), 1, 0),
        new java.util.TreeSet<>());
  }

  @Test
  void shardZeroOfTheExampleStackIsTheGoldenFile() throws IOException {
    StatefulSet statefulSet = PrometheusStatefulSet.statefulSet(examplePlan(), 0);
    String rendered = SERIALIZATION.asYaml(statefulSet);
    GoldenFile.assertMatches(GOLDEN.resolve("statefulset-platform-0.yaml"), rendered);
  }

  /**
   * The server-side-apply match compares the desired object with what the API server stored: a
   * field the server drops ({@code readOnly: false}) or defaults (a fieldRef's {@code apiVersion})
   * never matches, and every reconcile patched each shard's StatefulSet again (the scale harness's
   * steady state, every 5 minutes).
   */
  @Test
  void shardIsSpelledAsTheApiServerStoresIt() throws IOException {
    String yaml = SERIALIZATION.asYaml(PrometheusStatefulSet.statefulSet(examplePlan(), 0));
    assertThat(yaml).doesNotContain("readOnly: false").contains("readOnly: true");
    assertThat(yaml.split("fieldRef:", -1).length - 1)
        .as("fieldRefs")
        .isPositive()
        .isEqualTo(yaml.split("fieldRef:\\n\\s+apiVersion: \"v1\"", -1).length - 1);
  }

  @Test
  void shardPodsAreLockedDownAndMountExactlyTheKeysTheConfigReads() throws IOException {
    StatefulSet statefulSet = PrometheusStatefulSet.statefulSet(examplePlan(), 1);
    var pod = statefulSet.getSpec().getTemplate().getSpec();
    assertThat(statefulSet.getMetadata().getName()).isEqualTo("platform-prometheus-1");
    assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(2);
    assertThat(statefulSet.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getSpec().getResources().getRequests().get("storage").toString())
                  .isEqualTo("50Gi");
              assertThat(c.getSpec().getStorageClassName()).isEqualTo("standard");
            });
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    for (Container container : pod.getContainers()) {
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
          .as(container.getName())
          .isTrue();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }
    Container prometheus = pod.getContainers().get(0);
    assertThat(prometheus.getImage()).isEqualTo(DeploymentSettings.PROMETHEUS_IMAGE);
    assertThat(prometheus.getArgs())
        .contains(
            "--config.file=/etc/prometheus/config_out/prometheus.yml",
            "--storage.tsdb.retention.time=15d",
            "--storage.tsdb.retention.size=45GB",
            "--web.enable-lifecycle");
    assertThat(prometheus.getEnv())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.name"));
    // Only the reloader containers see an API token.
    assertThat(pod.getContainers())
        .filteredOn(
            c -> c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("api-token")))
        .extracting(Container::getName)
        .containsExactly("config-reloader");
    assertThat(pod.getContainers()).extracting(Container::getName).contains("thanos-sidecar");
    // The reloader mirrors the stack's rule ConfigMap into the directory Prometheus reads.
    assertThat(pod.getContainers().get(1).getArgs())
        .contains("--config-map=platform-prometheus-rules-0", "--rules-dir=/etc/prometheus/rules");
    assertThat(prometheus.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/prometheus/rules"));
    // Every mount names a volume of the pod or a claim template, as the API server demands.
    java.util.Set<String> volumes = new java.util.HashSet<>();
    pod.getVolumes().forEach(v -> volumes.add(v.getName()));
    statefulSet
        .getSpec()
        .getVolumeClaimTemplates()
        .forEach(c -> volumes.add(c.getMetadata().getName()));
    List<Container> all = new java.util.ArrayList<>(pod.getContainers());
    all.addAll(pod.getInitContainers());
    for (Container container : all) {
      assertThat(container.getVolumeMounts())
          .as(container.getName())
          .allSatisfy(m -> assertThat(volumes).contains(m.getName()));
    }
    // Each referenced key at the path the configuration names.
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null && v.getSecret().getItems() != null)
        .flatExtracting(v -> v.getSecret().getItems())
        .extracting(i -> i.getPath())
        .containsExactly(
            "monitoring/mimir-credentials/password",
            "monitoring/mimir-credentials/username",
            "shop/checkout-ca/ca.crt");
  }

  /**
   * A container the user gave no resources gets Vigil's defaults (docs/resources.md); one the user
   * gave resources gets exactly those.
   */
  @Test
  void containersWithoutResourcesGetTheDefaultsAndTheUsersKeepTheirs() throws IOException {
    ScraperPlan plan = examplePlan();
    var pod = PrometheusStatefulSet.statefulSet(plan, 0).getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getResources())
        .isEqualTo(plan.stack().getSpec().scraper.resources);
    assertThat(pod.getContainers())
        .filteredOn(c -> c.getName().equals("thanos-sidecar"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getResources())
                    .isEqualTo(DefaultResources.THANOS_SIDECAR.requirements()));
    assertThat(pod.getContainers().get(1).getResources())
        .isEqualTo(DefaultResources.CONFIG_RELOADER.requirements());
    assertThat(pod.getInitContainers().get(0).getResources())
        .isEqualTo(DefaultResources.CONFIG_RELOADER.requirements());

    plan.stack().getSpec().scraper.resources = null;
    var defaulted = PrometheusStatefulSet.statefulSet(plan, 0).getSpec().getTemplate().getSpec();
    assertThat(defaulted.getContainers().get(0).getResources())
        .isEqualTo(DefaultResources.PROMETHEUS.requirements());
    for (Container container : defaulted.getContainers()) {
      assertThat(container.getResources().getLimits())
          .as(container.getName() + ": a memory limit, no CPU limit")
          .containsOnlyKeys("memory");
    }
  }
}
