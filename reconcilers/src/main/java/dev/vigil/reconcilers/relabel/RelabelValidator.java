package dev.vigil.reconcilers.relabel;

import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.common.ScrapeEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what the CRD schema cannot: that relabeling regexes compile. Prometheus refuses a whole
 * configuration over one bad regex, so a bad one must be caught before it reaches a shard. Java's
 * regex syntax accepts what RE2 accepts for the patterns relabelings use.
 */
public final class RelabelValidator {
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
      if (rule.regex == null) {
        continue;
      }
      try {
        // Prometheus anchors relabel regexes on both ends.
        Pattern.compile("^(?:" + rule.regex + ")$");
      } catch (PatternSyntaxException e) {
        problems.add(
            "%s[%d].regex %s is not a valid regular expression: %s"
                .formatted(path, i, quote(rule.regex), e.getDescription()));
      }
    }
    return problems;
  }

  static String quote(String s) {
    return "\"" + s.replace("\"", "\\\"") + "\"";
  }
}
