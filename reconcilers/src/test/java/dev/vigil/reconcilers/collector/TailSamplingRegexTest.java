package dev.vigil.reconcilers.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicyFields;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The processor compiles each string_attribute value with Go's {@code regexp.MustCompile}: a value
 * Go refuses stops the collector at start, so it is checked as Go compiles it (unanchored).
 */
class TailSamplingRegexTest {
  private static TailSamplingPolicy stringAttribute(String... values) {
    TailSamplingPolicy policy = new TailSamplingPolicy();
    policy.name = "by-route";
    policy.type = TailSamplingPolicyFields.Type.string_attribute;
    policy.stringAttribute = new TailSamplingPolicyFields.StringAttribute();
    policy.stringAttribute.key = "http.route";
    // A list as Jackson reads it (List.of would refuse the check for null items).
    policy.stringAttribute.values = new ArrayList<>(List.of(values));
    policy.stringAttribute.enabledRegexMatching = true;
    return policy;
  }

  @Test
  void valuesGoRefusesLeaveThePolicyOut() {
    assertThatThrownBy(() -> TailSamplingPolicies.policy(stringAttribute("/api/.*", "(?=/x)")))
        .isInstanceOf(Unrenderable.class)
        .hasMessage(
            "stringAttribute.values: \"(?=/x)\" is not a regular expression: lookaround and atomic"
                + " groups ((?=) are not supported");
    assertThatThrownBy(() -> TailSamplingPolicies.policy(stringAttribute("\\Z")))
        .isInstanceOf(Unrenderable.class)
        .hasMessageEndingWith("is not a regular expression: invalid escape sequence");
    // Unanchored, as the processor compiles it: an unbalanced group is refused.
    assertThatThrownBy(() -> TailSamplingPolicies.policy(stringAttribute("a)|(b")))
        .isInstanceOf(Unrenderable.class)
        .hasMessageEndingWith("unexpected )");
  }

  @Test
  void valuesGoAcceptsAreKept() {
    assertThat(TailSamplingPolicies.policy(stringAttribute("(?P<v>/api)/.*", "\\p{greek}", "\\z")))
        .isNotNull();
  }
}
