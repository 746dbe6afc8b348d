package dev.vigil.reconcilers.discovery;

import static dev.vigil.reconcilers.discovery.ServiceEndpointDiscoveryTest.expression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectionTest {
  @Test
  void expressionsHaveTheApiServersMeaning() {
    Map<String, String> labels = Map.of("app", "web", "tier", "");

    assertThat(select(expression("app", "In", "web", "api")).matches(labels)).isTrue();
    assertThat(select(expression("app", "In", "api")).matches(labels)).isFalse();
    assertThat(select(expression("app", "NotIn", "api")).matches(labels)).isTrue();
    assertThat(select(expression("absent", "NotIn", "api")).matches(labels)).isTrue();
    assertThat(select(expression("tier", "Exists")).matches(labels)).isTrue();
    assertThat(select(expression("absent", "DoesNotExist")).matches(labels)).isTrue();
    assertThat(select(expression("tier", "DoesNotExist")).matches(labels)).isFalse();
  }

  @Test
  void matchLabelsNeedExactValuesAndAnEmptyOrMissingSelectorMatchesEverything() {
    LabelSelection web =
        LabelSelection.of(new LabelSelectorBuilder().addToMatchLabels("app", "web").build());
    assertThat(web.matches(Map.of("app", "web", "x", "y"))).isTrue();
    assertThat(web.matches(Map.of("app", "webx"))).isFalse();
    assertThat(web.matches(null)).isFalse();
    assertThat(LabelSelection.of(new LabelSelector()).matches(Map.of())).isTrue();
    assertThat(LabelSelection.of(null)).isEqualTo(LabelSelection.EVERYTHING);
  }

  @Test
  void invalidExpressionsAreRefusedWithTheirPlace() {
    assertThatThrownBy(() -> select(expression("app", "Matches", "x")))
        .hasMessage(
            "matchExpressions[0]: operator Matches is not one of In, NotIn, Exists, DoesNotExist");
    assertThatThrownBy(() -> select(expression("app", "In")))
        .hasMessage("matchExpressions[0]: operator In needs at least one value");
    assertThatThrownBy(() -> select(expression("app", "Exists", "x")))
        .hasMessage("matchExpressions[0]: operator Exists takes no values; remove them");
  }

  private static LabelSelection select(
      io.fabric8.kubernetes.api.model.LabelSelectorRequirement requirement) {
    return LabelSelection.of(new LabelSelectorBuilder().withMatchExpressions(requirement).build());
  }

  /**
   * Regression found by the bad-input property test on the mock server: a label without a value
   * threw a NullPointerException in discovery's event handler, which left every stack's selection
   * stale; now it is an invalid selector, which the stack reports.
   */
  @Test
  void aLabelWithoutAValueIsAnInvalidSelector() {
    Map<String, String> labels = new java.util.HashMap<>();
    labels.put("app", null);
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(labels);
    assertThatThrownBy(() -> LabelSelection.of(selector))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("matchLabels.app has no value: give it one or remove it");
  }
}
