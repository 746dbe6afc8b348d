package dev.vigil.reconcilers.alertpolicy;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicyStatus;
import dev.vigil.api.v1alpha1.common.StackBinding;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigInputs;
import dev.vigil.reconcilers.references.ReferenceWatches;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.rules.ExpressionCheck;
import dev.vigil.reconcilers.rules.PolicyRules;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import dev.vigil.reconcilers.state.DiscoveryChanges;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.StackBindings;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import dev.vigil.reconcilers.validation.AlertPolicyValidator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Reconciles AlertPolicies: checks them (matcher regexes, every rule's PromQL) and reports, per
 * selecting stack, whether its rules are loaded, with counts of alerting and recording rules. The
 * rules themselves are rendered by each selecting stack.
 */
@ControllerConfiguration(name = "alertpolicy", fieldManager = "vigil")
public class AlertPolicyReconciler extends ValidatingReconciler<AlertPolicy, AlertPolicyStatus> {
  public static final String REASON_LOADED = "Loaded";
  public static final String REASON_NOT_SELECTED = "NotSelected";
  public static final String REASON_RULES_REJECTED = "RulesRejected";
  public static final String REASON_ROUTING_REJECTED = "RoutingRejected";

  private final MonitoringState state;
  private final ExpressionCheck expressions;
  private final SimpleInboundEventSource<AlertPolicy> discoveryChanges;
  private final ReferenceWatches<AlertPolicy> references = new ReferenceWatches<>();

  public AlertPolicyReconciler(Clock clock, MonitoringState state, ExpressionCheck expressions) {
    super(clock, new AlertPolicyValidator(), AlertPolicy::new, AlertPolicyStatus::new);
    this.state = state;
    this.expressions = expressions;
    this.discoveryChanges = DiscoveryChanges.of(state, AlertPolicy.class);
  }

  @Override
  public List<EventSource<?, AlertPolicy>> prepareEventSources(
      EventSourceContext<AlertPolicy> context) {
    return List.of(discoveryChanges, references);
  }

  @Override
  protected Readiness act(
      AlertPolicy policy,
      Context<AlertPolicy> context,
      AlertPolicyStatus status,
      Conditions conditions) {
    PolicyRules.Result rules = PolicyRules.build(policy, expressions);
    status.alertingRules = rules.alertingRules();
    status.recordingRules = rules.recordingRules();
    status.rules = rules.rules();
    long generation =
        policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
    List<String> notSelecting = new ArrayList<>();
    // One read of each referenced Secret, whatever the number of stacks.
    ReferencedValues values = new ReferencedValues(context.getClient());
    List<String> routingProblems = new ArrayList<>();
    for (MonitoringStack stack : state.stacks()) {
      String stackName = stack.getMetadata().getNamespace() + "/" + stack.getMetadata().getName();
      if (!state.selectsPolicy(stack, policy)) {
        notSelecting.add(stackName);
        continue;
      }
      StackBinding binding = new StackBinding();
      binding.namespace = stack.getMetadata().getNamespace();
      binding.name = stack.getMetadata().getName();
      Conditions accepted =
          new Conditions(
              StackBindings.previousConditions(
                  policy.getStatus() == null ? null : policy.getStatus().bindings,
                  binding.namespace,
                  binding.name),
              generation,
              clock);
      List<String> routing =
          AlertmanagerConfigBuilder.enabled(stack)
              ? AlertmanagerConfigBuilder.policyProblems(
                  stack, policy, new AlertmanagerConfigInputs(values))
              : List.of();
      if (!routing.isEmpty()) {
        routingProblems.add(stackName + ": " + String.join("; ", routing));
        accepted.set(
            Conditions.ACCEPTED,
            Conditions.FALSE,
            REASON_ROUTING_REJECTED,
            "The stack's Alertmanager leaves this policy's routing out: "
                + String.join("; ", routing));
      } else if (rules.problems().isEmpty()) {
        accepted.set(
            Conditions.ACCEPTED,
            Conditions.TRUE,
            REASON_LOADED,
            rules.rules()
                + " rule(s) loaded by every shard of the stack"
                + NamespaceEnforcement.of(stack)
                    .labelFor(policy)
                    .map(
                        label ->
                            ", scoped to this namespace (label "
                                + label
                                + " enforced on every selector and result)")
                    .orElse("")
                + (policy.getSpec().routing != null && AlertmanagerConfigBuilder.enabled(stack)
                    ? ", alerts routed by its Alertmanager."
                    : "."));
      } else {
        accepted.set(
            Conditions.ACCEPTED,
            Conditions.FALSE,
            REASON_RULES_REJECTED,
            String.join("; ", rules.problems()));
      }
      binding.conditions = accepted.build();
      status.bindings.add(binding);
    }
    // A receiver's Secret that appears, changes or goes judges the policy again within seconds.
    references.watch(context, policy, values.objectsRead());
    if (!rules.problems().isEmpty()) {
      String message =
          String.join("; ", rules.problems())
              + (rules.rules() > 0 ? "; the other " + rules.rules() + " rule(s) are loaded" : "");
      conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_RULES_REJECTED, message);
      warnOnce(policy, context, REASON_RULES_REJECTED, message);
      return Readiness.notReady(REASON_RULES_REJECTED, message);
    }
    if (!routingProblems.isEmpty()) {
      String message = "Routing left out: " + String.join("; ", routingProblems);
      conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_ROUTING_REJECTED, message);
      warnOnce(policy, context, REASON_ROUTING_REJECTED, message);
      return Readiness.notReady(REASON_ROUTING_REJECTED, message);
    }
    if (status.bindings.isEmpty()) {
      String message =
          notSelecting.isEmpty()
              ? "No MonitoringStack exists in the watched namespaces."
              : "No MonitoringStack selects this policy; the policySelector (labels of the policy,"
                  + " labels of its namespace) of "
                  + String.join(", ", notSelecting)
                  + " does not match it.";
      conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_NOT_SELECTED, message);
      return Readiness.notReady(REASON_NOT_SELECTED, message);
    }
    String message = rules.rules() + " rule(s) loaded by " + status.bindings.size() + " stack(s).";
    conditions.set(Conditions.ACCEPTED, Conditions.TRUE, REASON_LOADED, message);
    return Readiness.ready(REASON_LOADED, message);
  }

  /** No stack can load an invalid policy: its Accepted condition says False, and why. */
  @Override
  protected void invalid(Conditions conditions, String message) {
    conditions.set(Conditions.ACCEPTED, Conditions.FALSE, REASON_INVALID, message);
  }
}
