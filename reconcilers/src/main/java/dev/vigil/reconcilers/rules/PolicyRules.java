package dev.vigil.reconcilers.rules;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rule file of one AlertPolicy: its groups in the PrometheusRule shape, each named {@code
 * <namespace>/<policy>/<group>} so groups of two policies never collide, and every rule labelled
 * {@code namespace: <the policy's namespace>} (enforced over the rule's own) and {@code
 * vigil_policy: <the policy's name>}, which Alertmanager routing is scoped on. Pure.
 *
 * <p>A group with a rule whose expression does not parse is left out and reported with the group,
 * the rule and the position; the policy's other groups still load.
 */
public final class PolicyRules {
  public static final String NAMESPACE_LABEL = "namespace";
  public static final String POLICY_LABEL = "vigil_policy";

  private PolicyRules() {}

  /**
   * @param key the file's key in a rule ConfigMap: {@code <namespace>_<policy>.yaml}, unambiguous
   *     since names have no {@code _}
   * @param file the groups that load; may be empty
   * @param problems what was left out and why
   */
  public record Result(
      String key, RuleFile file, int alertingRules, int recordingRules, List<String> problems) {
    public int rules() {
      return alertingRules + recordingRules;
    }
  }

  public static Result build(AlertPolicy policy, ExpressionCheck check) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    List<RuleFile.Group> groups = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> groupNames = new HashSet<>();
    int alerting = 0;
    int recording = 0;
    List<RuleGroup> specGroups =
        policy.getSpec() == null || policy.getSpec().groups == null
            ? List.of()
            : policy.getSpec().groups;
    for (int g = 0; g < specGroups.size(); g++) {
      RuleGroup group = specGroups.get(g);
      if (group == null) {
        problems.add("spec.groups[" + g + "] is empty; it is left out");
        continue;
      }
      String where = "spec.groups[" + g + "] \"" + group.name + "\"";
      if (group.name == null || group.name.isBlank()) {
        problems.add("spec.groups[" + g + "]: a group needs a name; the group is left out");
        continue;
      }
      if (!groupNames.add(group.name)) {
        problems.add(where + ": the name is used by an earlier group; the group is left out");
        continue;
      }
      List<RuleFile.Rule> rules = new ArrayList<>();
      List<String> groupProblems = new ArrayList<>();
      int groupAlerting = 0;
      int groupRecording = 0;
      List<Rule> specRules = group.rules == null ? List.of() : group.rules;
      for (int r = 0; r < specRules.size(); r++) {
        Rule rule = specRules.get(r);
        if (rule == null || (rule.alert == null) == (rule.record == null)) {
          groupProblems.add(
              where + " rule " + r + ": a rule needs exactly one of alert and record");
          continue;
        }
        String ruleName = rule.alert != null ? "alert " + rule.alert : "record " + rule.record;
        String expr = rule.expr == null ? "" : expression(rule);
        Optional<String> problem =
            expr.isBlank() ? Optional.of("the expression is empty") : check.problem(expr);
        if (problem.isPresent()) {
          groupProblems.add(where + " rule " + r + " (" + ruleName + "): expr: " + problem.get());
          continue;
        }
        Map<String, String> labels = new TreeMap<>();
        if (rule.labels != null) {
          labels.putAll(rule.labels);
        }
        labels.put(NAMESPACE_LABEL, namespace);
        labels.put(POLICY_LABEL, name);
        rules.add(
            new RuleFile.Rule(
                rule.record,
                rule.alert,
                expr,
                rule.alert == null ? null : rule.forDuration,
                rule.alert == null ? null : rule.keepFiringFor,
                labels,
                rule.alert == null || rule.annotations == null
                    ? null
                    : new TreeMap<>(rule.annotations)));
        if (rule.alert != null) {
          groupAlerting++;
        } else {
          groupRecording++;
        }
      }
      if (!groupProblems.isEmpty()) {
        problems.addAll(groupProblems);
        problems.add(where + " is left out until its rules are fixed");
        continue;
      }
      alerting += groupAlerting;
      recording += groupRecording;
      groups.add(
          new RuleFile.Group(
              namespace + "/" + name + "/" + group.name,
              group.interval,
              group.queryOffset,
              group.limit,
              group.labels == null ? null : new TreeMap<>(group.labels),
              rules));
    }
    return new Result(
        namespace + "_" + name + ".yaml", new RuleFile(groups), alerting, recording, problems);
  }

  private static String expression(Rule rule) {
    return rule.expr.getStrVal() != null
        ? rule.expr.getStrVal()
        : String.valueOf(rule.expr.getIntVal());
  }
}
