package dev.vigil.operator.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** Counts follow pods as the watch delivers them: added, relabelled, finished, deleted. */
class InstrumentedPodCountTest {
  static Pod pod(String name, String instrumentedBy, String phase) {
    ObjectMetaBuilder metadata = new ObjectMetaBuilder().withName(name).withNamespace("shop");
    if (instrumentedBy != null) {
      metadata.addToAnnotations("instrumentation.vigil.dev/instrumented-by", instrumentedBy);
    }
    return new PodBuilder()
        .withMetadata(metadata.build())
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  @Test
  void countsFollowThePods() {
    InstrumentedPodCount count = new InstrumentedPodCount();
    count.put(pod("a", "shop/shop", "Running"));
    count.put(pod("b", "shop/shop", "Pending"));
    count.put(pod("c", null, "Running"));
    count.put(pod("a", "shop/shop", "Running")); // an update changes nothing
    assertThat(count.count("shop/shop")).isEqualTo(2);

    count.put(pod("b", "shop/other", "Running"));
    assertThat(count.count("shop/shop")).isEqualTo(1);
    assertThat(count.count("shop/other")).isEqualTo(1);

    count.put(pod("a", "shop/shop", "Succeeded"));
    assertThat(count.count("shop/shop")).isZero();

    count.delete(pod("b", null, "Running"));
    assertThat(count.count("shop/other")).isZero();
  }
}
