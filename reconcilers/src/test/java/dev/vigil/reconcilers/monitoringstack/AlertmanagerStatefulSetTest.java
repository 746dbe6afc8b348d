package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Alertmanager StatefulSet of the example stack (3 replicas, a mounted SMTP password). */
class AlertmanagerStatefulSetTest {
  static AlertmanagerPlan plan(MonitoringStack stack) {
    Map<MountedKey, String> credentials = new TreeMap<>();
    credentials.put(MountedKey.secret("monitoring", "smtp-credentials", "password"), "p");
    return new AlertmanagerPlan(stack, "route: {}\n", new TreeMap<>(credentials), List.of());
  }

  @Test
  void replicasFormOneClusterAndMountWhatTheConfigReads() throws IOException {
    MonitoringStack stack = PrometheusStatefulSetTest.examplePlan().stack();
    StatefulSet statefulSet =
        AlertmanagerStatefulSet.statefulSet(plan(stack), FixedMonitoringState.SETTINGS);
    var pod = statefulSet.getSpec().getTemplate().getSpec();
    Container alertmanager = pod.getContainers().get(0);
    assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(3);
    assertThat(alertmanager.getImage()).isEqualTo(AlertmanagerStatefulSet.IMAGE);
    assertThat(alertmanager.getArgs())
        .contains(
            "--config.file=/etc/alertmanager/config_out/alertmanager.yml",
            "--cluster.peer=platform-alertmanager-0.platform-alertmanager.monitoring.svc:9094",
            "--cluster.peer=platform-alertmanager-2.platform-alertmanager.monitoring.svc:9094");
    assertThat(pod.getContainers().get(1).getArgs())
        .contains(
            "reloader",
            "--secret=platform-alertmanager-config",
            "--key=alertmanager.yml",
            "--reload-url=http://127.0.0.1:9093/-/reload");
    assertThat(pod.getInitContainers().get(0).getArgs()).contains("--once");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null && v.getSecret().getItems() != null)
        .flatExtracting(v -> v.getSecret().getItems())
        .extracting(i -> i.getPath())
        .containsExactly("monitoring/smtp-credentials/password");
    Set<String> volumes = new HashSet<>();
    pod.getVolumes().forEach(v -> volumes.add(v.getName()));
    statefulSet
        .getSpec()
        .getVolumeClaimTemplates()
        .forEach(c -> volumes.add(c.getMetadata().getName()));
    List<Container> all = new ArrayList<>(pod.getContainers());
    all.addAll(pod.getInitContainers());
    for (Container container : all) {
      assertThat(container.getVolumeMounts())
          .as(container.getName())
          .allSatisfy(m -> assertThat(volumes).contains(m.getName()));
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }
  }

  @Test
  void oneReplicaRunsWithoutGossip() throws IOException {
    MonitoringStack stack = PrometheusStatefulSetTest.examplePlan().stack();
    stack.getSpec().alertmanager.replicas = 1;
    StatefulSet statefulSet =
        AlertmanagerStatefulSet.statefulSet(plan(stack), FixedMonitoringState.SETTINGS);
    assertThat(statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--cluster.listen-address=")
        .noneMatch(a -> a.startsWith("--cluster.peer="));
  }
}
