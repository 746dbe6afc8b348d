package dev.vigil.operator.targets;

import static dev.vigil.operator.targets.EngineObjects.byKey;
import static dev.vigil.operator.targets.EngineObjects.namespace;
import static dev.vigil.operator.targets.EngineObjects.podMonitor;
import static dev.vigil.operator.targets.EngineObjects.policy;
import static dev.vigil.operator.targets.EngineObjects.serviceMonitor;
import static dev.vigil.operator.targets.EngineObjects.snapshot;
import static dev.vigil.operator.targets.EngineObjects.stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which stack selects which monitors and policies, the cases prometheus-operator's resource
 * selector tests: no namespace selector means the stack's own namespace, {@code {}} every
 * namespace, namespace labels and names, label selectors, and a selector that cannot be read.
 */
class StackSelectionTest {
  final InMemoryClusterSnapshot snapshot =
      snapshot(
          namespace("monitoring", Map.of()),
          namespace("shop", Map.of("team", "shop")),
          namespace("pay", Map.of("team", "pay")));

  final ServiceMonitor shopCheckout =
      serviceMonitor(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: ServiceMonitor
          metadata: {name: checkout, namespace: shop, labels: {tier: web}}
          spec: {selector: {}, endpoints: [{port: http}]}
          """);
  final ServiceMonitor payLedger =
      serviceMonitor(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: ServiceMonitor
          metadata: {name: ledger, namespace: pay, labels: {tier: db}}
          spec: {selector: {}, endpoints: [{port: http}]}
          """);
  final ServiceMonitor monitoringSelf =
      serviceMonitor(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: ServiceMonitor
          metadata: {name: self, namespace: monitoring}
          spec: {selector: {}, endpoints: [{port: http}]}
          """);
  final PodMonitor shopWorker =
      podMonitor(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: PodMonitor
          metadata: {name: worker, namespace: shop, labels: {tier: web}}
          spec: {selector: {}, podMetricsEndpoints: [{port: http}]}
          """);
  final AlertPolicy payAlerts =
      policy(
          """
          apiVersion: monitoring.vigil.dev/v1alpha1
          kind: AlertPolicy
          metadata: {name: alerts, namespace: pay, labels: {severity: page}}
          spec: {groups: [{name: g, rules: [{alert: Down, expr: up == 0}]}]}
          """);

  final WatchedObjects.Selectable all =
      new WatchedObjects.Selectable(
          List.of(payLedger, shopCheckout, monitoringSelf),
          List.of(shopWorker),
          List.of(payAlerts));

  Map<String, StackSelection.Selected> select(MonitoringStack... stacks) {
    return StackSelection.of(byKey(stacks), all, snapshot, Tenancy.SINGLE_TEAM);
  }

  static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(EngineObjects::key).toList();
  }

  @Test
  void withoutSelectorsAStackSelectsEverythingInItsOwnNamespaceOnly() {
    MonitoringStack stack =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: platform, namespace: monitoring}
            spec: {}
            """);
    StackSelection.Selected selected = select(stack).get("monitoring/platform");
    assertThat(names(selected.serviceMonitors())).containsExactly("monitoring/self");
    assertThat(selected.podMonitors()).isEmpty();
    assertThat(selected.policies()).isEmpty();
  }

  @Test
  void anEmptyNamespaceSelectorSelectsEveryNamespaceAndLabelsNarrowIt() {
    MonitoringStack stack =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: platform, namespace: monitoring}
            spec:
              monitorSelector: {namespaceSelector: {}, labelSelector: {matchLabels: {tier: web}}}
              policySelector: {namespaceSelector: {}}
            """);
    StackSelection.Selected selected = select(stack).get("monitoring/platform");
    assertThat(names(selected.serviceMonitors())).containsExactly("shop/checkout");
    assertThat(names(selected.podMonitors())).containsExactly("shop/worker");
    assertThat(names(selected.policies())).containsExactly("pay/alerts");
    assertThat(names(selected.all())).containsExactly("shop/checkout", "shop/worker", "pay/alerts");
  }

  @Test
  void aTenantsStackSelectsInItsOwnNamespaceWhateverItsSelectorsSay() {
    MonitoringStack tenant =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: shop-stack, namespace: shop}
            spec:
              monitorSelector: {namespaceSelector: {}}
              policySelector: {namespaceSelector: {}}
            """);
    MonitoringStack platform =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: platform, namespace: monitoring}
            spec:
              monitorSelector: {namespaceSelector: {}}
              policySelector: {namespaceSelector: {}}
            """);
    Map<String, StackSelection.Selected> selected =
        StackSelection.of(
            byKey(tenant, platform), all, snapshot, new Tenancy(List.of("monitoring"), false));
    assertThat(names(selected.get("shop/shop-stack").all()))
        .containsExactly("shop/checkout", "shop/worker");
    assertThat(names(selected.get("monitoring/platform").all()))
        .containsExactly(
            "pay/ledger", "shop/checkout", "monitoring/self", "shop/worker", "pay/alerts");
  }

  @Test
  void namespacesAreSelectedByTheirLabelsAndByName() {
    MonitoringStack byLabel =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: pay-team, namespace: monitoring}
            spec:
              monitorSelector:
                namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [pay]}]}
            """);
    MonitoringStack byName =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: shop-team, namespace: monitoring}
            spec:
              monitorSelector:
                namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
            """);
    snapshot.put(namespace("shop", Map.of("team", "shop", "kubernetes.io/metadata.name", "shop")));
    Map<String, StackSelection.Selected> selected = select(byLabel, byName);
    assertThat(names(selected.get("monitoring/pay-team").serviceMonitors()))
        .containsExactly("pay/ledger");
    assertThat(names(selected.get("monitoring/shop-team").monitors()))
        .containsExactly("shop/checkout", "shop/worker");
  }

  @Test
  void aStackWhoseMonitorSelectorCannotBeReadSelectsNothingAndTheOthersCarryOn() {
    MonitoringStack broken =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: broken, namespace: monitoring}
            spec:
              monitorSelector:
                labelSelector: {matchExpressions: [{key: tier, operator: Sometimes, values: [web]}]}
            """);
    MonitoringStack fine =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: fine, namespace: pay}
            spec: {}
            """);
    Map<String, StackSelection.Selected> selected = select(broken, fine);
    assertThat(selected).containsOnlyKeys("pay/fine");
    assertThat(names(selected.get("pay/fine").all())).containsExactly("pay/ledger", "pay/alerts");
  }

  @Test
  void aPolicySelectorThatCannotBeReadLeavesTheMonitorsSelected() {
    MonitoringStack stack =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: fine, namespace: pay}
            spec:
              policySelector:
                labelSelector: {matchExpressions: [{key: severity, operator: Exists, values: [x]}]}
            """);
    StackSelection.Selected selected = select(stack).get("pay/fine");
    assertThat(names(selected.serviceMonitors())).containsExactly("pay/ledger");
    assertThat(selected.policies()).isEmpty();
  }

  @Test
  void selectingStacksListsEveryStackThatSelectsAnObject() {
    MonitoringStack everywhere =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: everywhere, namespace: monitoring}
            spec: {monitorSelector: {namespaceSelector: {}}}
            """);
    MonitoringStack pay =
        stack(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: own, namespace: pay}
            spec: {}
            """);
    Map<String, Set<String>> selecting = StackSelection.selectingStacks(select(everywhere, pay));
    assertThat(selecting.get("ServiceMonitor/pay/ledger"))
        .containsExactly("monitoring/everywhere", "pay/own");
    assertThat(selecting.get("ServiceMonitor/shop/checkout"))
        .containsExactly("monitoring/everywhere");
    assertThat(selecting.get("AlertPolicy/pay/alerts")).containsExactly("pay/own");
  }
}
