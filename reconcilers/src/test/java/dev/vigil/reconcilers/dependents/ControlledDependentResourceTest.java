package dev.vigil.reconcilers.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class ControlledDependentResourceTest {
  static class Dependent extends ControlledDependentResource<ConfigMap, TracingPipeline> {
    Dependent() {
      super(ConfigMap.class);
    }
  }

  @Test
  void theOwnerReferenceSaysTheOwnerControlsTheObjectAndBlocksItsDeletion() {
    TracingPipeline pipeline = new TracingPipeline();
    pipeline.setMetadata(
        new ObjectMetaBuilder().withName("traces").withNamespace("shop").withUid("u-1").build());
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("traces-config")
            .withNamespace("shop")
            .endMetadata()
            .build();

    new Dependent().addReferenceHandlingMetadata(desired, pipeline);
    // Computed again for every match: still one reference.
    new Dependent().addReferenceHandlingMetadata(desired, pipeline);

    assertThat(desired.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getApiVersion()).isEqualTo("monitoring.vigil.dev/v1alpha1");
              assertThat(owner.getKind()).isEqualTo("TracingPipeline");
              assertThat(owner.getName()).isEqualTo("traces");
              assertThat(owner.getUid()).isEqualTo("u-1");
              assertThat(owner.getController()).isTrue();
              assertThat(owner.getBlockOwnerDeletion()).isTrue();
            });
  }
}
