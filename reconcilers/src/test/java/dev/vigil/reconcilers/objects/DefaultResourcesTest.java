package dev.vigil.reconcilers.objects;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.api.Test;

/** The table of defaults: well formed, and replaced whole by the user's own resources. */
class DefaultResourcesTest {
  @Test
  void everyContainerRequestsCpuAndMemoryAndIsLimitedInMemoryOnly() {
    for (DefaultResources defaults : DefaultResources.values()) {
      ResourceRequirements resources = defaults.requirements();
      assertThat(resources.getRequests()).as(defaults.name()).containsOnlyKeys("cpu", "memory");
      assertThat(resources.getLimits()).as(defaults.name()).containsOnlyKeys("memory");
      assertThat(
              Quantity.getAmountInBytes(resources.getLimits().get("memory"))
                  .compareTo(Quantity.getAmountInBytes(resources.getRequests().get("memory"))))
          .as(defaults.name() + ": the memory limit is at least the request")
          .isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void quantitiesAreSpelledAsTheApiServerStoresThem() {
    for (DefaultResources defaults : DefaultResources.values()) {
      for (String amount :
          new String[] {defaults.cpuRequest(), defaults.memoryRequest(), defaults.memoryLimit()}) {
        // Canonical: 1Gi, never 1024Mi; 100m, never 0.1.
        assertThat(amount).as(defaults.name()).matches("[1-9][0-9]*(m|Mi|Gi)");
        assertThat(amount).as(defaults.name()).doesNotMatch("[0-9]*(000m|1024Mi)");
      }
    }
  }

  @Test
  void theUsersResourcesReplaceTheDefaultsWhole() {
    ResourceRequirements own =
        new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("3Gi")).build();
    assertThat(DefaultResources.PROMETHEUS.or(own)).isSameAs(own);
    ResourceRequirements none = new ResourceRequirements();
    assertThat(DefaultResources.PROMETHEUS.or(none)).isSameAs(none);
    assertThat(DefaultResources.PROMETHEUS.or(null))
        .isEqualTo(DefaultResources.PROMETHEUS.requirements());
  }
}
