package dev.vigil.reconcilers.rules;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import dev.vigil.reconcilers.promql.PromQL;
import dev.vigil.reconcilers.promql.PromQLException;
import dev.vigil.reconcilers.scope.ApiGroup;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rule file of one AlertPolicy: its groups in the PrometheusRule shape, each named {@code
 * <namespace>/<policy>/<group>} so groups of two policies never collide. Pure.
 *
 * <p>Rules keep their meaning: a recording rule is written with exactly the labels its author gave
 * it, and an alerting rule gets one label more, {@code vigil_policy: <namespace>/<policy>}, which
 * the policy's Alertmanager routes match on. A PrometheusRule of prometheus-operator (read as an
 * AlertPolicy with its {@code monitoring.coreos.com} apiVersion) gets no label at all, as
 * prometheus-operator writes it. No rule may set {@code vigil_policy} itself: a group whose rules
 * or group labels do is left out and reported, since the label decides which receivers an alert
 * reaches.
 *
 * <p>When the stack enforces a namespace label ({@link NamespaceEnforcement}), every rule also gets
 * {@code <label>: <the policy's namespace>} (over the rule's own, as prometheus-operator does), and
 * every vector selector of its expression gets the matcher {@code <label>="<namespace>"} next to
 * its own matchers ({@link PromQL#enforceLabel}), so the rule reads and writes only its namespace's
 * series.
 *
 * <p>A group with a rule whose expression does not parse is left out and reported with the group,
 * the rule and the position; the policy's other groups still load.
 */
public final class PolicyRules {
  /** The label an alert's policy is routed on, {@code <namespace>/<name>}. */
  public static final String POLICY_LABEL = AlertPolicy.POLICY_LABEL;

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

  /** The rule file as written, without namespace enforcement. */
  public static Result build(AlertPolicy policy, ExpressionCheck check) {
    return build(policy, check, Optional.empty());
  }

  /**
   * @param enforcedLabel the namespace label the stack enforces on this policy ({@link
   *     NamespaceEnforcement#labelFor}), or empty
   */
  public static Result build(
      AlertPolicy policy, ExpressionCheck check, Optional<String> enforcedLabel) {
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    boolean routed = ApiGroup.of(policy) == ApiGroup.VIGIL;
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
      if (group.labels != null && group.labels.containsKey(POLICY_LABEL)) {
        problems.add(
            where + ": labels." + reserved(namespace, name, routed) + "; the group is left out");
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
        String at = where + " rule " + r + " (" + ruleName + ")";
        if (problem.isPresent()) {
          groupProblems.add(at + ": expr: " + problem.get());
          continue;
        }
        if (rule.labels != null && rule.labels.containsKey(POLICY_LABEL)) {
          groupProblems.add(at + ": labels." + reserved(namespace, name, routed));
          continue;
        }
        Map<String, String> labels = new TreeMap<>();
        if (rule.labels != null) {
          labels.putAll(rule.labels);
        }
        if (enforcedLabel.isPresent()) {
          try {
            expr = PromQL.enforceLabel(expr, enforcedLabel.get(), namespace);
          } catch (PromQLException e) {
            groupProblems.add(
                at + ": expr: the stack's enforced namespace label cannot be added: " + e.error());
            continue;
          }
          labels.put(enforcedLabel.get(), namespace);
        }
        if (rule.alert != null && routed) {
          labels.put(POLICY_LABEL, namespace + "/" + name);
        }
        rules.add(
            new RuleFile.Rule(
                rule.record,
                rule.alert,
                expr,
                rule.alert == null ? null : rule.forDuration,
                rule.alert == null ? null : rule.keepFiringFor,
                labels.isEmpty() ? null : labels,
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

  /** Why a rule may not set the routing label; {@code routed}: the policy's alerts get it. */
  private static String reserved(String namespace, String name, boolean routed) {
    String why =
        routed
            ? "alerts of this policy get %s=\"%s/%s\", which its Alertmanager routes match on"
                .formatted(POLICY_LABEL, namespace, name)
            : "the Alertmanager routes of AlertPolicies match on it";
    return POLICY_LABEL + " is Vigil's: " + why + "; remove it";
  }

  private static String expression(Rule rule) {
    return rule.expr.getStrVal() != null
        ? rule.expr.getStrVal()
        : String.valueOf(rule.expr.getIntVal());
  }
}
