package dev.vigil.reconcilers.alertmanager;

import dev.vigil.api.v1alpha1.alertpolicy.Matcher;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.goregex.GoRegexp;
import dev.vigil.reconcilers.goregex.RegexpError;
import dev.vigil.reconcilers.promql.MatcherText;
import dev.vigil.reconcilers.rules.PolicyRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Alertmanager's matcher syntax ({@code matchers}, {@code source_matchers}, {@code
 * target_matchers}): {@code name="value"}, with {@code !=}, {@code =~} and {@code !~}. Values are
 * always double-quoted with Go escapes, so any value reads back as it was; a label name that is not
 * a classic Prometheus label name is quoted as well (Alertmanager's UTF-8 matcher parser accepts
 * quoted names).
 *
 * <p>One matcher Alertmanager cannot parse makes it refuse the whole file, so every regular
 * expression is checked here as Alertmanager's Go compiles it, and a policy holding one that would
 * fail is left out instead.
 */
final class Matchers {
  /** The label every alerting rule of a policy carries, set by {@link PolicyRules}. */
  static final String POLICY_LABEL = PolicyRules.POLICY_LABEL;

  private Matchers() {}

  /** The scope matcher of a policy: {@code vigil_policy="<namespace>/<name>"}. */
  static List<String> scope(String namespace, String policy) {
    return List.of(MatcherText.equal(POLICY_LABEL, namespace + "/" + policy));
  }

  /**
   * The user's matchers, after {@code prefix}; each one checked.
   *
   * @param field the matchers' field, for problems, e.g. {@code spec.routing.route.routes[0]}
   */
  static List<String> of(List<String> prefix, List<Matcher> matchers, String field) {
    List<String> result = new ArrayList<>(prefix);
    for (int i = 0; matchers != null && i < matchers.size(); i++) {
      result.add(of(matchers.get(i), field + "[" + i + "]"));
    }
    return List.copyOf(result);
  }

  private static String of(Matcher matcher, String field) {
    if (matcher == null || matcher.name == null || matcher.name.isEmpty()) {
      throw new PartLeftOut(field + ".name is required");
    }
    if (matcher.name.equals(POLICY_LABEL)) {
      throw new PartLeftOut(
          field
              + ".name: the label vigil_policy is set by Vigil to scope the policy; match on other"
              + " labels");
    }
    String value = matcher.value == null ? "" : matcher.value;
    Matcher.MatchType type =
        matcher.matchType == null ? Matcher.MatchType.EQUAL : matcher.matchType;
    String operator =
        switch (type) {
          case EQUAL -> "=";
          case NOT_EQUAL -> "!=";
          case REGEX -> "=~";
          case NOT_REGEX -> "!~";
        };
    if (type == Matcher.MatchType.REGEX || type == Matcher.MatchType.NOT_REGEX) {
      String problem = re2Problem(value);
      if (problem != null) {
        throw new PartLeftOut(
            "%s.value \"%s\" is not a regular expression Alertmanager accepts: %s"
                .formatted(field, value, problem));
      }
    }
    return MatcherText.label(matcher.name) + operator + MatcherText.quote(value);
  }

  /**
   * Why Alertmanager would refuse {@code regex} as a matcher's value, or null: Go's {@code regexp}
   * compiles it anchored, {@code ^(?:regex)$} ({@link GoRegexp}).
   */
  static String re2Problem(String regex) {
    return GoRegexp.check(GoRegexp.anchoredAsAlertmanager(regex))
        .map(RegexpError::reason)
        .orElse(null);
  }
}
