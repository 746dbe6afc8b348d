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
    RelabelConfig noRegex = rule(RelabelConfig.Action.keep);
    noRegex.sourceLabels = List.of("__meta_kubernetes_pod_ready");
    assertThat(RelabelValidator.problems("x", List.of(regex("go_gc_.*"), noRegex))).isEmpty();
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

  static RelabelConfig rule(RelabelConfig.Action action) {
    RelabelConfig rule = new RelabelConfig();
    rule.action = action;
    return rule;
  }

  @Test
  void acceptsWhatEachActionAllows() {
    RelabelConfig replace = rule(null);
    replace.sourceLabels = List.of("a", "b");
    replace.separator = "";
    replace.regex = "(.+);(.+)";
    replace.replacement = "";
    replace.targetLabel = "c";
    RelabelConfig labeldrop = rule(RelabelConfig.Action.LabelDrop);
    labeldrop.regex = "tmp_.*";
    labeldrop.separator = ";";
    RelabelConfig keepequal = rule(RelabelConfig.Action.keepequal);
    keepequal.sourceLabels = List.of("a");
    keepequal.targetLabel = "b";
    RelabelConfig hashmod = rule(RelabelConfig.Action.HashMod);
    hashmod.modulus = 3L;
    hashmod.targetLabel = "__tmp_hash";
    assertThat(RelabelValidator.problems("x", List.of(replace, labeldrop, keepequal, hashmod)))
        .isEmpty();
  }

  @Test
  void refusesFieldsPrometheusRefusesForTheAction() {
    RelabelConfig labeldrop = rule(RelabelConfig.Action.labeldrop);
    labeldrop.regex = "a";
    labeldrop.sourceLabels = List.of("b");
    RelabelConfig dropequal = rule(RelabelConfig.Action.DropEqual);
    dropequal.sourceLabels = List.of("a");
    dropequal.targetLabel = "b";
    dropequal.regex = "x";
    RelabelConfig lowercase = rule(RelabelConfig.Action.lowercase);
    lowercase.sourceLabels = List.of("a");
    lowercase.targetLabel = "a";
    lowercase.replacement = "x";
    RelabelConfig replace = rule(RelabelConfig.Action.replace);
    replace.sourceLabels = List.of("a");
    RelabelConfig hashmod = rule(RelabelConfig.Action.hashmod);
    hashmod.targetLabel = "h";
    assertThat(
            RelabelValidator.problems(
                "r", List.of(labeldrop, dropequal, lowercase, replace, hashmod)))
        .containsExactly(
            "r[0]: action labeldrop takes only regex: remove the other fields",
            "r[1]: action dropequal takes only sourceLabels and targetLabel: remove the other"
                + " fields",
            "r[2]: action lowercase takes no replacement",
            "r[3]: action replace needs targetLabel",
            "r[4]: action hashmod needs modulus");
  }

  /** Each was refused by promtool 3.16, which java.util.regex would have let through. */
  @Test
  void regexesAreCheckedAsPrometheusCompilesThem() {
    assertThat(
            RelabelValidator.problems(
                "r", List.of(regex("(?=x)"), regex("(a)\\1"), regex("a*+"), regex("\\Z"))))
        .containsExactly(
            "r[0].regex \"(?=x)\" is not a valid regular expression: lookaround and atomic groups"
                + " ((?=) are not supported",
            "r[1].regex \"(a)\\1\" is not a valid regular expression: backreferences (\\1) are not"
                + " supported",
            "r[2].regex \"a*+\" is not a valid regular expression: possessive quantifiers (*+) are"
                + " not supported",
            "r[3].regex \"\\Z\" is not a valid regular expression: invalid escape sequence: `\\Z`");
    assertThat(RelabelValidator.problems("r", List.of(regex("a{1001}"), regex("(a{100}){100}"))))
        .containsExactly(
            "r[0].regex \"a{1001}\" is not a valid regular expression: invalid repeat count:"
                + " `{1001}`",
            "r[1].regex \"(a{100}){100}\" is not a valid regular expression: invalid repeat count:"
                + " `{100}`");
  }

  /** Each was accepted by promtool 3.16: Go's syntax, anchored as Prometheus anchors it. */
  @Test
  void acceptsWhatPrometheusCompiles() {
    assertThat(
            RelabelValidator.problems(
                "r",
                List.of(
                    regex("(?P<name>a)|(?<name>b)"),
                    regex("\\p{greek}+"),
                    regex("\\z"),
                    regex("a)|(b"),
                    regex("{{2}"))))
        .isEmpty();
  }

  @Test
  void refusesEmptyLabelNamesAndAnEqualityActionsRegex() {
    RelabelConfig emptySource = rule(RelabelConfig.Action.keep);
    emptySource.sourceLabels = List.of("job", "");
    RelabelConfig labelmap = rule(RelabelConfig.Action.labelmap);
    labelmap.regex = "__meta_kubernetes_pod_label_(.+)";
    labelmap.replacement = "";
    RelabelConfig keepequal = rule(RelabelConfig.Action.keepequal);
    keepequal.sourceLabels = List.of("a");
    keepequal.targetLabel = "b";
    keepequal.regex = "(.*)";
    assertThat(RelabelValidator.problems("r", List.of(emptySource, labelmap, keepequal)))
        .containsExactly(
            "r[0].sourceLabels[1]: a label name is not empty; name a label or remove the entry",
            "r[1]: action labelmap needs a replacement that names the label to write (default:"
                + " $1)",
            "r[2]: action keepequal takes only sourceLabels and targetLabel: remove the other"
                + " fields");
  }
}
