package dev.vigil.reconcilers.injection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workload's name from what a pod carries at admission. */
class PodOwnerTest {
  static ObjectMeta owned(String kind, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withGenerateName(name + "-")
        .withLabels(labels)
        .addNewOwnerReference()
        .withKind(kind)
        .withName(name)
        .withController(true)
        .endOwnerReference()
        .build();
  }

  @Test
  void aDeploymentIsTheReplicaSetWithoutItsHash() {
    PodOwner owner =
        PodOwner.of(
            owned("ReplicaSet", "web-api-5d8f7c9b6", Map.of("pod-template-hash", "5d8f7c9b6")));
    assertThat(owner.serviceName()).isEqualTo("web-api");
    assertThat(owner.attributes())
        .containsExactly(
            Map.entry("k8s.deployment.name", "web-api"),
            Map.entry("k8s.replicaset.name", "web-api-5d8f7c9b6"));
  }

  @Test
  void aHashThatIsNotTheSuffixLeavesTheReplicaSet() {
    PodOwner owner =
        PodOwner.of(owned("ReplicaSet", "web-api", Map.of("pod-template-hash", "5d8f7c9b6")));
    assertThat(owner.serviceName()).isEqualTo("web-api");
    assertThat(owner.attributes()).containsOnlyKeys("k8s.replicaset.name");
  }

  @Test
  void aCronJobsJobEndsInTheScheduledMinute() {
    assertThat(PodOwner.of(owned("Job", "backup-29412360", Map.of())).attributes())
        .containsExactly(
            Map.entry("k8s.cronjob.name", "backup"), Map.entry("k8s.job.name", "backup-29412360"));
    assertThat(PodOwner.of(owned("Job", "backup-2", Map.of())).attributes())
        .containsExactly(Map.entry("k8s.job.name", "backup-2"));
  }

  @Test
  void aPodOfNoKnownOwnerIsNamedAfterItself() {
    assertThat(PodOwner.of(new ObjectMetaBuilder().withName("debug").build()).serviceName())
        .isEqualTo("debug");
    assertThat(
            PodOwner.of(new ObjectMetaBuilder().withGenerateName("runner-").build()).serviceName())
        .isEqualTo("runner");
    assertThat(PodOwner.of(new ObjectMeta()).serviceName()).isNull();
    assertThat(PodOwner.of(owned("Rollout", "canary", Map.of())).serviceName()).isEqualTo("canary");
  }

  @Test
  void theImageTagIsTheVersionUnlessPinnedByDigestOrLatest() {
    assertThat(ImageVersion.of("registry.example:5000/shop/api:1.4.2")).isEqualTo("1.4.2");
    assertThat(ImageVersion.of("registry.example:5000/shop/api")).isNull();
    assertThat(ImageVersion.of("api:latest")).isNull();
    assertThat(ImageVersion.of("api:1.0@sha256:abcd")).isNull();
    assertThat(ImageVersion.of("api")).isNull();
  }
}
