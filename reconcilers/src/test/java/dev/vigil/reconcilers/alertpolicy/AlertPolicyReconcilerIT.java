package dev.vigil.reconcilers.alertpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.api.v1alpha1.alertpolicy.Rule;
import dev.vigil.api.v1alpha1.alertpolicy.RuleGroup;
import dev.vigil.api.v1alpha1.alertpolicy.SlackReceiver;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.reconcilers.MockServerOperator;
import dev.vigil.reconcilers.monitoringstack.FixedMonitoringState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AlertPolicies against the mock server: status per selecting stack, counts, Events. */
@EnableKubernetesMockClient(crud = true)
class AlertPolicyReconcilerIT {
  KubernetesClient client;
  Operator operator;
  final FixedMonitoringState state = new FixedMonitoringState();

  @BeforeEach
  void start() {
    // A stand-in check: an expression containing "broken(" does not parse.
    operator =
        MockServerOperator.start(
            client,
            new AlertPolicyReconciler(
                Clock.systemUTC(),
                state,
                expression ->
                    expression.contains("broken(")
                        ? Optional.of("1:1: unknown function \"broken\"")
                        : Optional.empty()));
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  static MonitoringStack stack(boolean alertmanager) {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new ObjectMetaBuilder().withName("platform").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    if (alertmanager) {
      stack.getSpec().alertmanager = new AlertmanagerSpec();
      stack.getSpec().alertmanager.enabled = true;
    }
    return stack;
  }

  static AlertPolicy policy(String name, String... expressions) {
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    policy.setSpec(new AlertPolicySpec());
    RuleGroup group = new RuleGroup();
    group.name = "g";
    group.rules = new java.util.ArrayList<>();
    for (int i = 0; i < expressions.length; i++) {
      Rule rule = new Rule();
      if (i == 0) {
        rule.record = "job:x:sum";
      } else {
        rule.alert = "A" + i;
      }
      rule.expr = new IntOrString(expressions[i]);
      group.rules.add(rule);
    }
    policy.getSpec().groups = List.of(group);
    return policy;
  }

  AlertPolicy fresh(String name) {
    return client.resources(AlertPolicy.class).inNamespace("shop").withName(name).get();
  }

  static Condition ready(AlertPolicy policy) {
    assertThat(policy.getStatus()).isNotNull();
    return policy.getStatus().condition("Ready").orElseThrow();
  }

  @Test
  void aSelectedPolicyIsLoadedWithItsCounts() {
    AlertPolicy policy = policy("slo", "sum(x)", "x > 1", "y > 2");
    state.stacks.add(stack(false));
    state.policies.add(policy);
    client.resource(policy).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(ready(fresh("slo")).getReason()).isEqualTo("Loaded"));
    AlertPolicy loaded = fresh("slo");
    assertThat(loaded.getStatus().rules).isEqualTo(3);
    assertThat(loaded.getStatus().alertingRules).isEqualTo(2);
    assertThat(loaded.getStatus().recordingRules).isEqualTo(1);
    assertThat(loaded.getStatus().bindings)
        .singleElement()
        .satisfies(b -> assertThat(b.conditions.get(0).getStatus()).isEqualTo("True"));
  }

  @Test
  void aBrokenExpressionIsReportedWithItsPlaceAndOneEvent() {
    AlertPolicy policy = policy("broken", "sum(x)", "broken(x) > 1");
    state.stacks.add(stack(false));
    state.policies.add(policy);
    client.resource(policy).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ready(fresh("broken")).getReason()).isEqualTo("RulesRejected"));
    assertThat(ready(fresh("broken")).getMessage())
        .contains("spec.groups[0] \"g\" rule 1 (alert A1): expr: 1:1: unknown function \"broken\"");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.resources(Event.class).inNamespace("shop").list().getItems())
                    .singleElement()
                    .satisfies(e -> assertThat(e.getReason()).isEqualTo("RulesRejected")));
  }

  @Test
  void unselectedAndUnroutablePoliciesSaySo() {
    AlertPolicy lonely = policy("lonely", "sum(x)");
    client.resource(lonely).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ready(fresh("lonely")).getReason()).isEqualTo("NotSelected"));

    // Routing to a Slack receiver whose Secret does not exist: the stack's Alertmanager leaves it
    // out, and the policy says which stack and why.
    AlertPolicy routed = policy("routed", "sum(x)");
    Receiver slack = new Receiver();
    slack.name = "team-slack";
    slack.slack = new SlackReceiver();
    slack.slack.apiUrl = new SecretKeySelector("url", "missing-slack", false);
    routed.getSpec().routing = new Routing();
    routed.getSpec().routing.receivers = List.of(slack);
    routed.getSpec().routing.route = new PolicyRoute();
    routed.getSpec().routing.route.receiver = "team-slack";
    state.stacks.add(stack(true));
    state.policies.add(routed);
    client.resource(routed).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(ready(fresh("routed")).getReason()).isEqualTo("RoutingRejected"));
    assertThat(ready(fresh("routed")).getMessage())
        .contains("monitoring/platform")
        .contains("missing-slack");
  }
}
