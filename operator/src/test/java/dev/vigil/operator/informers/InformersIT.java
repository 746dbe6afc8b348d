package dev.vigil.operator.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class InformersIT {
  KubernetesClient client;

  void pod(String namespace) {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace(namespace)
                .addToAnnotations("big", "x".repeat(1000))
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .endSpec()
                .build())
        .create();
  }

  @Test
  void scopesAreAllNamespacesOrEachWatchedOne() {
    pod("a");
    pod("b");
    pod("c");
    assertThat(Informers.scopes(client.pods(), Set.of()))
        .singleElement()
        .satisfies(all -> assertThat(all.list().getItems()).hasSize(3));
    assertThat(Informers.scopes(client.pods(), Set.of("a", "b")))
        .hasSize(2)
        .allSatisfy(one -> assertThat(one.list().getItems()).hasSize(1));
  }

  @Test
  void trimmedInformerCachesOnlyTheTrimmedObject() {
    pod("a");
    SharedIndexInformer<Pod> informer =
        Informers.trimmed(
            client.pods().inNamespace("a"),
            pod -> new PodBuilder().withMetadata(pod.getMetadata()).build(),
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Pod pod) {}

              @Override
              public void onUpdate(Pod old, Pod pod) {}

              @Override
              public void onDelete(Pod pod, boolean unknown) {}
            });
    try (informer) {
      assertThat(informer.getStore().list())
          .singleElement()
          .satisfies(cached -> assertThat(cached.getSpec()).isNull());
    }
  }
}
