package dev.vigil.reconcilers.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelNamesTest {
  @Test
  void equalNamesGiveTheFirstInstance() {
    LabelNames names = new LabelNames();
    String first = new String("__meta_kubernetes_pod_label_app");
    String second = new String("__meta_kubernetes_pod_label_app");

    assertThat(names.canonical(first)).isSameAs(first);
    assertThat(names.canonical(second)).isSameAs(first);
    assertThat(names.canonical("__meta_kubernetes_pod_name"))
        .isEqualTo("__meta_kubernetes_pod_name");
  }
}
