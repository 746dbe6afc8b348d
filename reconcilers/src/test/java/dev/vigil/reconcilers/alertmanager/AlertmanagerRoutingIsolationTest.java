package dev.vigil.reconcilers.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.InhibitRule;
import dev.vigil.api.v1alpha1.alertpolicy.Matcher;
import dev.vigil.api.v1alpha1.alertpolicy.MatchingRoute;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.alertpolicy.Route;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.api.v1alpha1.alertpolicy.WebhookReceiver;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.config.BuiltConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The isolation property, checked on random policies and random alerts with a small evaluator of
 * Alertmanager's routing and inhibition over the built model: an alert labelled {@code
 * vigil_policy=A/p} only ever reaches receivers of policy A/p when that policy is routed, and only
 * the default receiver otherwise, whatever its {@code namespace} label (which policies' routes may
 * match on); an inhibit rule only ever mutes an alert of the policy it came from, and only with an
 * alert of that same policy.
 */
class AlertmanagerRoutingIsolationTest {
  private static final List<String> NAMESPACES = List.of("a", "b", "c");
  private static final List<String> POLICIES = List.of("p", "q", "p.v2");
  private static final List<String> LABELS =
      List.of("severity", "team", "alertname", "env", "namespace");
  private static final List<String> VALUES = List.of("x", "y", "z", "", "x\"y\\");
  private static final List<String> REGEXES = List.of("x|y", ".*", "z?", ".+", "x.*");

  @Test
  void anAlertOnlyReachesItsOwnPolicysReceiversOrTheDefault() {
    Random random = new Random(20261125L);
    int routedAlerts = 0;
    int inhibitions = 0;
    for (int round = 0; round < 300; round++) {
      List<AlertPolicy> policies = randomPolicies(random);
      BuiltConfig<AlertmanagerConfig> result =
          AlertmanagerConfigBuilder.build(stack(), policies, AlertmanagerConfigInputs.of());
      Set<String> rejected = new HashSet<>();
      result.problems().forEach(p -> rejected.add(p.namespace() + "/" + p.name()));
      Set<String> routed = new HashSet<>();
      for (AlertPolicy policy : policies) {
        String id = policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
        if (!rejected.contains(id)) {
          routed.add(id);
        }
      }
      AlertmanagerConfig config = result.config();

      for (int i = 0; i < 200; i++) {
        Map<String, String> alert = randomAlert(random);
        Set<String> receivers = new LinkedHashSet<>();
        collect(config.route(), config.route().receiver(), alert, receivers);
        assertThat(receivers).as("receivers of %s", alert).isNotEmpty();
        String owner = alert.get("vigil_policy");
        if (owner != null && routed.contains(owner)) {
          routedAlerts++;
          assertThat(receivers)
              .as("receivers of %s", alert)
              .allMatch(r -> r.startsWith(owner + "/"));
        } else {
          assertThat(receivers)
              .as("receivers of %s", alert)
              .containsExactly(AlertmanagerConfigBuilder.DEFAULT_RECEIVER);
        }
      }

      for (AlertmanagerConfig.InhibitRule rule : config.inhibitRules()) {
        for (int i = 0; i < 200; i++) {
          Map<String, String> source = randomAlert(random);
          Map<String, String> target = randomAlert(random);
          if (matches(rule.sourceMatchers(), source) && matches(rule.targetMatchers(), target)) {
            inhibitions++;
            String owner = source.get("vigil_policy");
            assertThat(routed).contains(owner);
            assertThat(target.get("vigil_policy")).isEqualTo(owner);
          }
        }
      }
    }
    // The property is not vacuous: many alerts were routed by a policy.
    assertThat(routedAlerts).isGreaterThan(10_000);
    assertThat(inhibitions).isGreaterThan(100);
  }

  /** Alertmanager's routing: the receivers an alert that {@code route} matched is sent to. */
  static void collect(
      AlertmanagerConfig.Route route,
      String receiver,
      Map<String, String> alert,
      Set<String> receivers) {
    boolean childMatched = false;
    for (AlertmanagerConfig.Route child :
        route.routes() == null ? List.<AlertmanagerConfig.Route>of() : route.routes()) {
      if (matches(child.matchers(), alert)) {
        childMatched = true;
        collect(child, child.receiver() == null ? receiver : child.receiver(), alert, receivers);
        if (!Boolean.TRUE.equals(child.continueMatching())) {
          break;
        }
      }
    }
    if (!childMatched) {
      receivers.add(receiver);
    }
  }

  static boolean matches(List<String> matchers, Map<String, String> alert) {
    if (matchers == null) {
      return true;
    }
    return matchers.stream().allMatch(m -> ParsedMatcher.parse(m).matches(alert));
  }

  /** A matcher read back from Alertmanager's syntax, as its parser reads it. */
  record ParsedMatcher(String name, String operator, String value) {
    static ParsedMatcher parse(String text) {
      int[] at = {0};
      String name = text.charAt(0) == '"' ? unquote(text, at) : readWhile(text, at, "[a-zA-Z0-9_]");
      String operator =
          text.startsWith("=~", at[0])
                  || text.startsWith("!~", at[0])
                  || text.startsWith("!=", at[0])
              ? text.substring(at[0], at[0] + 2)
              : text.substring(at[0], at[0] + 1);
      at[0] += operator.length();
      String value = unquote(text, at);
      assertThat(at[0]).as("whole matcher %s read", text).isEqualTo(text.length());
      return new ParsedMatcher(name, operator, value);
    }

    boolean matches(Map<String, String> alert) {
      String actual = alert.getOrDefault(name, "");
      return switch (operator) {
        case "=" -> actual.equals(value);
        case "!=" -> !actual.equals(value);
        case "=~" -> Pattern.compile("^(?:" + value + ")$").matcher(actual).matches();
        case "!~" -> !Pattern.compile("^(?:" + value + ")$").matcher(actual).matches();
        default -> throw new IllegalArgumentException(operator);
      };
    }

    private static String readWhile(String text, int[] at, String charClass) {
      int start = at[0];
      while (at[0] < text.length() && String.valueOf(text.charAt(at[0])).matches(charClass)) {
        at[0]++;
      }
      return text.substring(start, at[0]);
    }

    /** Go's strconv.Unquote for the escapes {@link Matchers#quote} writes. */
    static String unquote(String text, int[] at) {
      assertThat(text.charAt(at[0])).isEqualTo('"');
      StringBuilder out = new StringBuilder();
      int i = at[0] + 1;
      while (text.charAt(i) != '"') {
        char c = text.charAt(i);
        if (c == '\\') {
          char next = text.charAt(i + 1);
          switch (next) {
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'x' -> {
              out.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
              i += 2;
            }
            default -> out.append(next);
          }
          i += 2;
        } else {
          out.append(c);
          i++;
        }
      }
      at[0] = i + 1;
      return out.toString();
    }
  }

  private static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withNamespace("monitoring").withName("s").build());
    return stack;
  }

  private static List<AlertPolicy> randomPolicies(Random random) {
    List<AlertPolicy> policies = new ArrayList<>();
    for (String namespace : NAMESPACES) {
      for (String name : POLICIES) {
        if (random.nextInt(3) == 0) {
          continue;
        }
        policies.add(randomPolicy(random, namespace, name));
      }
    }
    java.util.Collections.shuffle(policies, random);
    return policies;
  }

  private static AlertPolicy randomPolicy(Random random, String namespace, String name) {
    Routing routing = new Routing();
    routing.receivers = new ArrayList<>();
    int receivers = 1 + random.nextInt(3);
    for (int i = 0; i < receivers; i++) {
      Receiver receiver = new Receiver();
      // Every team uses the same receiver names.
      receiver.name = "r" + i;
      receiver.webhook = new WebhookReceiver();
      receiver.webhook.url = "http://sink/" + i;
      routing.receivers.add(receiver);
    }
    routing.route = new PolicyRoute();
    routing.route.receiver = receiverName(random, receivers);
    routing.route.routes = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      Route child = new Route();
      fill(child, random, receivers);
      child.routes = new ArrayList<>();
      for (int j = random.nextInt(3); j > 0; j--) {
        MatchingRoute grandchild = new MatchingRoute();
        fill(grandchild, random, receivers);
        child.routes.add(grandchild);
      }
      routing.route.routes.add(child);
    }
    routing.inhibitRules = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      InhibitRule rule = new InhibitRule();
      rule.sourceMatchers = randomMatchers(random);
      rule.targetMatchers = randomMatchers(random);
      routing.inhibitRules.add(rule);
    }
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    policy.setSpec(new AlertPolicySpec());
    policy.getSpec().routing = routing;
    return policy;
  }

  private static void fill(MatchingRoute route, Random random, int receivers) {
    route.receiver = random.nextBoolean() ? null : receiverName(random, receivers);
    route.matchers = randomMatchers(random);
    route.continueMatching = random.nextBoolean() ? null : random.nextBoolean();
  }

  /** Mostly a receiver of the policy; now and then one it does not define (a problem). */
  private static String receiverName(Random random, int receivers) {
    return "r" + random.nextInt(receivers + (random.nextInt(20) == 0 ? 1 : 0));
  }

  private static List<Matcher> randomMatchers(Random random) {
    List<Matcher> matchers = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      Matcher matcher = new Matcher();
      // Now and then an attempt to match on the scope label (refused); namespace is allowed.
      matcher.name =
          random.nextInt(30) == 0 ? "vigil_policy" : LABELS.get(random.nextInt(LABELS.size()));
      matcher.matchType = Matcher.MatchType.values()[random.nextInt(4)];
      boolean regex =
          matcher.matchType == Matcher.MatchType.REGEX
              || matcher.matchType == Matcher.MatchType.NOT_REGEX;
      matcher.value =
          regex
              ? REGEXES.get(random.nextInt(REGEXES.size()))
              : VALUES.get(random.nextInt(VALUES.size()));
      matchers.add(matcher);
    }
    return matchers;
  }

  private static Map<String, String> randomAlert(Random random) {
    Map<String, String> alert = new TreeMap<>();
    int policy = random.nextInt(8);
    String name = POLICIES.get(random.nextInt(POLICIES.size()));
    if (policy == 0) {
      // The labels of before: a bare policy name routes nowhere.
      alert.put("vigil_policy", name);
    } else if (policy != 1) {
      alert.put("vigil_policy", NAMESPACES.get(random.nextInt(NAMESPACES.size())) + "/" + name);
    }
    for (String label : LABELS) {
      if (random.nextBoolean()) {
        alert.put(label, VALUES.get(random.nextInt(VALUES.size())));
      }
    }
    return alert;
  }
}
