package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.Matcher;
import dev.vigil.api.v1alpha1.alertpolicy.MatchingRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Route;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.reconcilers.goregex.GoRegexp;
import java.util.ArrayList;
import java.util.List;

/** What an AlertPolicy's schema cannot check, for its reconciler and an admission webhook. */
public final class AlertPolicyValidator implements Validator<AlertPolicy> {
  @Override
  public List<Problem> problems(AlertPolicy policy) {
    List<String> problems = new ArrayList<>();
    Routing routing = policy.getSpec().routing;
    if (routing == null || routing.route == null || routing.route.routes == null) {
      return Problem.of(problems);
    }
    for (int i = 0; i < routing.route.routes.size(); i++) {
      Route route = routing.route.routes.get(i);
      String path = "spec.routing.route.routes[" + i + "]";
      problems.addAll(matcherProblems(path, route));
      for (int j = 0; route.routes != null && j < route.routes.size(); j++) {
        problems.addAll(matcherProblems(path + ".routes[" + j + "]", route.routes.get(j)));
      }
    }
    if (routing.inhibitRules != null) {
      for (int i = 0; i < routing.inhibitRules.size(); i++) {
        String path = "spec.routing.inhibitRules[" + i + "]";
        problems.addAll(
            regexProblems(path + ".sourceMatchers", routing.inhibitRules.get(i).sourceMatchers));
        problems.addAll(
            regexProblems(path + ".targetMatchers", routing.inhibitRules.get(i).targetMatchers));
      }
    }
    return Problem.of(problems);
  }

  private static List<String> matcherProblems(String path, MatchingRoute route) {
    return regexProblems(path + ".matchers", route.matchers);
  }

  /**
   * Alertmanager refuses its whole configuration over one bad matcher regex; it compiles each as
   * Go's {@code regexp}, anchored ({@link GoRegexp}).
   */
  private static List<String> regexProblems(String path, List<Matcher> matchers) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; matchers != null && i < matchers.size(); i++) {
      Matcher matcher = matchers.get(i);
      boolean regex =
          matcher.matchType == Matcher.MatchType.REGEX
              || matcher.matchType == Matcher.MatchType.NOT_REGEX;
      if (!regex || matcher.value == null) {
        continue;
      }
      int index = i;
      GoRegexp.check(GoRegexp.anchoredAsAlertmanager(matcher.value))
          .ifPresent(
              e ->
                  problems.add(
                      "%s[%d].value \"%s\" is not a valid regular expression: %s"
                          .formatted(path, index, matcher.value, e.reason())));
    }
    return problems;
  }
}
