package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.GrafanaSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.monitoringstack.StorageSpec;
import dev.vigil.api.v1alpha1.monitoringstack.VolumeClaimTemplate;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import dev.vigil.reconcilers.prometheus.PrometheusConfigInputs;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.validation.MonitoringStackValidator;
import dev.vigil.reconcilers.validation.Problem;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regressions found by the bad-input property tests: a stack outside the schema's bounds (shards -1
 * or a million, replicas 0, a quantity that is no quantity) is reported invalid, and whatever reads
 * it meanwhile (monitor acceptance, discovery) sees bounded values instead of throwing or looping a
 * million times.
 */
class StackBoundsTest {
  final MonitoringStackValidator validator = new MonitoringStackValidator();

  static MonitoringStack stack(int shards, Integer replicas) {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper = new ScraperSpec();
    stack.getSpec().scraper.shards = shards;
    stack.getSpec().scraper.replicas = replicas;
    return stack;
  }

  @Test
  void shardsOutsideTheSchemaBoundsAreReportedAndClamped() {
    assertThat(Shards.of(stack(-1, 1))).isEqualTo(1);
    assertThat(Shards.of(stack(1_000_000, 1))).isEqualTo(100);
    assertThat(Shards.of(stack(3, 1))).isEqualTo(3);
    assertThat(problems(stack(-1, 1)))
        .containsExactly("spec.scraper.shards is -1: it must be between 1 and 100");
    assertThat(problems(stack(2, 0)))
        .containsExactly("spec.scraper.replicas is 0: it must be between 1 and 10");
    assertThat(problems(stack(2, null))).isEmpty();
    // What monitor acceptance does with every selecting stack: it threw "shard 0 is out of range".
    PrometheusConfigBuilder.build(
        stack(-1, 1), 0, List.of(), List.of(), PrometheusConfigInputs.of("http://vigil", "/t"));
  }

  @Test
  void aMillionAlertmanagerReplicasAreReportedNotListed() {
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    stack.getSpec().alertmanager.replicas = 1_000_000;
    assertThat(problems(stack))
        .containsExactly("spec.alertmanager.replicas is 1000000: it must be between 1 and 7");
    assertThat(AlertmanagerPlan.replicaAddresses(stack)).hasSize(7);
  }

  /** Found on a real API server: the schema took it, the Grafana Deployment was refused. */
  @Test
  void aGrafanaSecretNameThatIsNoNameIsReported() {
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().grafana = new GrafanaSpec();
    stack.getSpec().grafana.adminCredentialsSecret = "Bad_Name";
    assertThat(problems(stack))
        .containsExactly(
            "spec.grafana.adminCredentialsSecret \"Bad_Name\" is not a Secret name: lower-case"
                + " letters, digits, '-' and '.', starting and ending with a letter or digit");
    stack.getSpec().grafana.adminCredentialsSecret = "grafana-admin.v2";
    assertThat(problems(stack)).isEmpty();
  }

  @Test
  void badQuantitiesAreReportedWithTheirField() {
    MonitoringStack stack = stack(1, 1);
    stack.getSpec().scraper.resources =
        new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("lots")).build();
    stack.getSpec().scraper.storage = new StorageSpec();
    stack.getSpec().scraper.storage.volumeClaimTemplate = new VolumeClaimTemplate();
    stack.getSpec().scraper.storage.volumeClaimTemplate.size = new Quantity("50 gigs");
    assertThat(problems(stack))
        .containsExactly(
            "spec.scraper.resources.requests.cpu \"lots\" is not a quantity: write a number with an"
                + " optional suffix, e.g. 500m, 2Gi",
            "spec.scraper.storage.volumeClaimTemplate.size \"50 gigs\" is not a quantity: write a"
                + " number with an optional suffix, e.g. 500m, 2Gi");
  }

  List<String> problems(MonitoringStack stack) {
    return Problem.messages(validator.validate(stack));
  }
}
