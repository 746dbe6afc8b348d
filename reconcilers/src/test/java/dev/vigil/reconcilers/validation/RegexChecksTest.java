package dev.vigil.reconcilers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.InhibitRule;
import dev.vigil.api.v1alpha1.alertpolicy.Matcher;
import dev.vigil.api.v1alpha1.alertpolicy.MatchingRoute;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Route;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An AlertPolicy's matcher regexes are checked as Alertmanager compiles them (Go's syntax,
 * anchored), not as java.util.regex reads them: a lookahead or {@code \Z} Java takes is a problem
 * naming its field, and a named group Java refuses in Go's spelling is none.
 */
class RegexChecksTest {
  private static Matcher regex(String value) {
    Matcher matcher = new Matcher();
    matcher.name = "service";
    matcher.value = value;
    matcher.matchType = Matcher.MatchType.REGEX;
    return matcher;
  }

  private static AlertPolicy policy(
      List<Matcher> routeMatchers, List<Matcher> childMatchers, List<Matcher> targetMatchers) {
    MatchingRoute child = new MatchingRoute();
    child.matchers = childMatchers;
    Route route = new Route();
    route.matchers = routeMatchers;
    route.routes = List.of(child);
    PolicyRoute root = new PolicyRoute();
    root.receiver = "team";
    root.routes = List.of(route);
    InhibitRule inhibit = new InhibitRule();
    inhibit.targetMatchers = targetMatchers;
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("shop").build());
    policy.setSpec(new AlertPolicySpec());
    policy.getSpec().routing = new Routing();
    policy.getSpec().routing.route = root;
    policy.getSpec().routing.inhibitRules = List.of(inhibit);
    return policy;
  }

  @Test
  void matcherRegexesGoRefusesAreProblemsAtTheirField() {
    List<Problem> problems =
        new AlertPolicyValidator()
            .validate(
                policy(
                    List.of(regex("api|(?!web)")),
                    List.of(regex("db"), regex("x\\Z")),
                    List.of(regex("(a)\\1"))));
    assertThat(problems)
        .extracting(Problem::field)
        .containsExactly(
            "spec.routing.route.routes[0].matchers[0].value",
            "spec.routing.route.routes[0].routes[0].matchers[1].value",
            "spec.routing.inhibitRules[0].targetMatchers[0].value");
    assertThat(Problem.messages(problems))
        .containsExactly(
            "spec.routing.route.routes[0].matchers[0].value \"api|(?!web)\" is not a valid regular"
                + " expression: lookaround and atomic groups ((?!) are not supported",
            "spec.routing.route.routes[0].routes[0].matchers[1].value \"x\\Z\" is not a valid"
                + " regular expression: invalid escape sequence: `\\Z`",
            "spec.routing.inhibitRules[0].targetMatchers[0].value \"(a)\\1\" is not a valid regular"
                + " expression: backreferences (\\1) are not supported");
  }

  @Test
  void matcherRegexesGoAcceptsAreNoProblem() {
    assertThat(
            new AlertPolicyValidator()
                .validate(
                    policy(
                        List.of(regex("(?P<tier>api|web)")),
                        List.of(regex("\\p{greek}+"), regex("a{2,1000}")),
                        List.of(regex("a)|(b")))))
        .isEmpty();
  }
}
