package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container environment as the kubelet builds it: fieldRefs, then $(VAR) in order. */
class KubeletEnvTest {
  final Pod pod =
      new PodBuilder()
          .withNewMetadata()
          .withName("shop-7d9f-x2k9q")
          .withNamespace("shop")
          .withUid("u-1")
          .endMetadata()
          .withNewSpec()
          .endSpec()
          .build();

  @Test
  void fieldReferencesAndEarlierVariablesAreResolved() {
    Container container =
        new ContainerBuilder()
            .withName("app")
            .addNewEnv()
            .withName("POD")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("NODE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("HOST_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.hostIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("ATTRS")
            .withValue("k8s.pod.name=$(POD),k8s.node.name=$(NODE),later=$(LATER),cost=$$(POD)")
            .endEnv()
            .addNewEnv()
            .withName("ENDPOINT")
            .withValue("http://$(HOST_IP):4318")
            .endEnv()
            .addNewEnv()
            .withName("LATER")
            .withValue("x")
            .endEnv()
            .build();

    Map<String, String> env = KubeletEnv.of(pod, container, "node-1", "127.0.0.1", "127.0.0.2");

    assertThat(env)
        .containsEntry("POD", "shop-7d9f-x2k9q")
        .containsEntry("NODE", "node-1")
        .containsEntry("ENDPOINT", "http://127.0.0.1:4318")
        // a variable defined later is not expanded; $$ is a literal $
        .containsEntry(
            "ATTRS",
            "k8s.pod.name=shop-7d9f-x2k9q,k8s.node.name=node-1,later=$(LATER),cost=$(POD)");
    assertThat(env.keySet())
        .containsExactly("POD", "NODE", "HOST_IP", "ATTRS", "ENDPOINT", "LATER");
  }

  @Test
  void whatTheKubeletReadsElsewhereIsRefused() {
    Container container =
        new ContainerBuilder()
            .withName("app")
            .addNewEnv()
            .withName("TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef("token", "creds", false)
            .endValueFrom()
            .endEnv()
            .build();
    assertThatThrownBy(() -> KubeletEnv.of(pod, container, "n", "127.0.0.1", "127.0.0.1"))
        .hasMessageContaining("TOKEN");
  }

  @Test
  void unclosedAndLoneDollarsStayAsWritten() {
    assertThat(KubeletEnv.expand("a$b $(X", Map.of("X", "1"))).isEqualTo("a$b $(X");
    assertThat(KubeletEnv.expand("$", Map.of())).isEqualTo("$");
  }
}
