package dev.vigil.reconcilers.relabel;

import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.common.ScrapeEndpoint;
import dev.vigil.reconcilers.goregex.GoRegexp;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what the CRD schema cannot: that relabeling regexes compile, that label names are not
 * empty, and that each rule sets only the fields its action allows. Prometheus refuses a whole
 * configuration over one bad rule (model/relabel/relabel.go, Config.Validate), so a bad one must be
 * caught before it reaches a shard. Regexes are checked as Prometheus compiles them ({@link
 * GoRegexp}, anchored {@code ^(?s:regex)$}: Go's RE2 syntax, which refuses lookaround,
 * backreferences and possessive quantifiers that Java's would take). Label names are checked as
 * Prometheus 3 checks them by default (UTF-8 names: any text but the empty one).
 */
public final class RelabelValidator {
  private static final String DEFAULT_SEPARATOR = ";";
  private static final String DEFAULT_REPLACEMENT = "$1";

  private RelabelValidator() {}

  /** Problems of a scrape endpoint's relabelings and metric relabelings, under {@code path}. */
  public static List<String> endpointProblems(String path, ScrapeEndpoint endpoint) {
    List<String> problems = new ArrayList<>(problems(path + ".relabelings", endpoint.relabelings));
    problems.addAll(problems(path + ".metricRelabelings", endpoint.metricRelabelings));
    return problems;
  }

  /** One message per broken rule, naming its path, e.g. {@code endpoints[0].relabelings[2]}. */
  public static List<String> problems(String path, List<RelabelConfig> rules) {
    List<String> problems = new ArrayList<>();
    if (rules == null) {
      return problems;
    }
    for (int i = 0; i < rules.size(); i++) {
      RelabelConfig rule = rules.get(i);
      String at = "%s[%d]".formatted(path, i);
      if (rule.regex != null) {
        GoRegexp.check(GoRegexp.anchoredAsPrometheus(rule.regex))
            .ifPresent(
                e ->
                    problems.add(
                        "%s.regex %s is not a valid regular expression: %s"
                            .formatted(at, quote(rule.regex), e.reason())));
      }
      for (int k = 0; rule.sourceLabels != null && k < rule.sourceLabels.size(); k++) {
        if (rule.sourceLabels.get(k) != null && rule.sourceLabels.get(k).isEmpty()) {
          problems.add(
              "%s.sourceLabels[%d]: a label name is not empty; name a label or remove the entry"
                  .formatted(at, k));
        }
      }
      String fields = fieldProblem(rule);
      if (fields != null) {
        problems.add(at + ": " + fields);
      }
    }
    return problems;
  }

  /** The fields the rule's action forbids or misses, as Prometheus checks them; null if none. */
  private static String fieldProblem(RelabelConfig rule) {
    String action = rule.action == null ? "replace" : rule.action.prometheusName();
    boolean hasTarget = rule.targetLabel != null && !rule.targetLabel.isEmpty();
    boolean hasModulus = rule.modulus != null && rule.modulus != 0;
    boolean hasSeparator = rule.separator != null && !rule.separator.equals(DEFAULT_SEPARATOR);
    // Prometheus compares the regex of keepequal and dropequal with its default by identity: any
    // regex written, (.*) too, is one too many.
    boolean hasRegex = rule.regex != null;
    boolean hasReplacement =
        rule.replacement != null && !rule.replacement.equals(DEFAULT_REPLACEMENT);
    boolean hasSources = rule.sourceLabels != null && !rule.sourceLabels.isEmpty();
    switch (action) {
      case "hashmod":
        if (!hasModulus) {
          return "action hashmod needs modulus";
        }
        break;
      case "labeldrop", "labelkeep":
        if (hasSources || hasTarget || hasModulus || hasSeparator || hasReplacement) {
          return "action " + action + " takes only regex: remove the other fields";
        }
        return null;
      case "keepequal", "dropequal":
        if (hasRegex || hasModulus || hasSeparator || hasReplacement) {
          return "action "
              + action
              + " takes only sourceLabels and targetLabel: remove the other fields";
        }
        break;
      case "lowercase", "uppercase":
        if (hasReplacement) {
          return "action " + action + " takes no replacement";
        }
        break;
      case "labelmap":
        if (rule.replacement != null && rule.replacement.isEmpty()) {
          return "action labelmap needs a replacement that names the label to write (default:"
              + " $1)";
        }
        break;
      default:
        break;
    }
    if (!hasTarget
        && List.of("replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal")
            .contains(action)) {
      return "action " + action + " needs targetLabel";
    }
    return null;
  }

  static String quote(String s) {
    return "\"" + s.replace("\"", "\\\"") + "\"";
  }
}
