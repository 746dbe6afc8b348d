package dev.vigil.reconcilers.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.RelabelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelabelValidatorTest {
  static RelabelConfig regex(String regex) {
    RelabelConfig rule = new RelabelConfig();
    rule.regex = regex;
    rule.action = RelabelConfig.Action.drop;
    return rule;
  }

  @Test
  void acceptsValidAndMissingRegexes() {
    assertThat(RelabelValidator.problems("x", null)).isEmpty();
    assertThat(RelabelValidator.problems("x", List.of(regex("go_gc_.*"), new RelabelConfig())))
        .isEmpty();
    assertThat(RelabelValidator.problems("x", List.of(regex("(a|b);true")))).isEmpty();
  }

  @Test
  void namesTheBrokenRuleAndSaysWhy() {
    assertThat(
            RelabelValidator.problems(
                "spec.endpoints[0].relabelings", List.of(regex("ok"), regex("(unclosed"))))
        .singleElement()
        .asString()
        .startsWith(
            "spec.endpoints[0].relabelings[1].regex \"(unclosed\" is not a valid regular expression");
  }
}
