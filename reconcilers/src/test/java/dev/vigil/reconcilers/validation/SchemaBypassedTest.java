package dev.vigil.reconcilers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regressions found by the bad-input property tests: what a schema-less API server stores (no spec,
 * null list items) and what the schema lets through (any string as a quantity) is reported as a
 * problem naming its field, never thrown.
 */
class SchemaBypassedTest {
  @Test
  void noSpecIsAProblemNotANullPointer() {
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").build());
    assertThat(Problem.messages(new AlertPolicyValidator().validate(policy)))
        .containsExactly("spec is missing: every AlertPolicy needs one");
  }

  @Test
  void nullListItemsAreNamedByPath() {
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").build());
    policy.setSpec(new AlertPolicySpec());
    RuleGroup group = new RuleGroup();
    group.name = "g";
    group.rules = new ArrayList<>(Arrays.asList(null, null));
    policy.getSpec().groups = new ArrayList<>(Arrays.asList(group, null));
    List<Problem> problems = new AlertPolicyValidator().validate(policy);
    assertThat(problems)
        .extracting(Problem::field)
        .containsExactly("spec.groups[0].rules[0]", "spec.groups[0].rules[1]", "spec.groups[1]");
    assertThat(Problem.messages(problems))
        .containsExactly(
            "spec.groups[0].rules[0] is an empty item: remove it or fill it in",
            "spec.groups[0].rules[1] is an empty item: remove it or fill it in",
            "spec.groups[1] is an empty item: remove it or fill it in");
  }

  @Test
  void badQuantitiesAreNamedNotThrown() {
    var resources =
        new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("ünï"))
            .addToRequests("memory", new Quantity("2Gi"))
            .addToLimits("memory", new Quantity("-1Gi"))
            .build();
    assertThat(Quantities.problems("spec.resources", resources))
        .containsExactly(
            "spec.resources.requests.cpu \"ünï\" is not a quantity: write a number with an optional"
                + " suffix, e.g. 500m, 2Gi",
            "spec.resources.limits.memory \"-1Gi\" is negative");
    assertThat(Quantities.problems("spec.size", new Quantity("50", "Gi"))).isEmpty();
    assertThat(Quantities.problems("spec.size", (Quantity) null)).isEmpty();
  }
}
