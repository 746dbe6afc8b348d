package dev.vigil.reconcilers.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.EnforcementExclusion;
import dev.vigil.api.v1alpha1.monitoringstack.EnforcementExclusion.Group;
import dev.vigil.api.v1alpha1.monitoringstack.EnforcementExclusion.Resource;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamespaceEnforcementTest {
  static <T extends HasMetadata> T named(T object, String namespace, String name) {
    object.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return object;
  }

  static AlertPolicy prometheusRule(String namespace, String name) {
    return named(new PrometheusOperatorKinds.PrometheusRule(), namespace, name);
  }

  static EnforcementExclusion exclusion(Group group, Resource resource, String ns, String name) {
    EnforcementExclusion exclusion = new EnforcementExclusion();
    exclusion.group = group;
    exclusion.resource = resource;
    exclusion.namespace = ns;
    exclusion.name = name;
    return exclusion;
  }

  static MonitoringStack stack(String label, List<EnforcementExclusion> exclusions) {
    MonitoringStack stack = named(new MonitoringStack(), "monitoring", "tenant");
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().scraper.enforcedNamespaceLabel = label;
    stack.getSpec().scraper.excludedFromEnforcement = exclusions;
    return stack;
  }

  @Test
  void withoutTheFieldNothingIsEnforced() {
    NamespaceEnforcement none = NamespaceEnforcement.of(stack(null, null));
    assertThat(none.enabled()).isFalse();
    assertThat(none.labelFor(named(new ServiceMonitor(), "shop", "a"))).isEmpty();
    // Exclusions alone enforce nothing, as in prometheus-operator.
    assertThat(
            NamespaceEnforcement.of(
                    stack(null, List.of(exclusion(null, Resource.SERVICE_MONITORS, "shop", null))))
                .enabled())
        .isFalse();
  }

  @Test
  void everyKindIsEnforcedUnlessExcluded() {
    NamespaceEnforcement enforcement =
        NamespaceEnforcement.of(
            stack(
                "namespace",
                List.of(
                    // Every PrometheusRule of the monitoring namespace.
                    exclusion(
                        Group.PROMETHEUS_OPERATOR, Resource.PROMETHEUS_RULES, "monitoring", ""),
                    // One AlertPolicy.
                    exclusion(Group.VIGIL, Resource.ALERT_POLICIES, "monitoring", "cluster"),
                    // PodMonitors of both groups in kube-system.
                    exclusion(null, Resource.POD_MONITORS, "kube-system", null))));
    Optional<String> enforced = Optional.of("namespace");

    assertThat(enforcement.labelFor(named(new ServiceMonitor(), "monitoring", "x")))
        .isEqualTo(enforced);
    assertThat(enforcement.labelFor(prometheusRule("monitoring", "anything"))).isEmpty();
    assertThat(enforcement.labelFor(prometheusRule("shop", "anything"))).isEqualTo(enforced);
    assertThat(enforcement.labelFor(named(new AlertPolicy(), "monitoring", "cluster"))).isEmpty();
    assertThat(enforcement.labelFor(named(new AlertPolicy(), "monitoring", "other")))
        .isEqualTo(enforced);
    // prometheusrules name prometheus-operator's objects only; alertpolicies Vigil's only.
    assertThat(enforcement.labelFor(named(new AlertPolicy(), "monitoring", "anything")))
        .isEqualTo(enforced);
    assertThat(enforcement.labelFor(named(new PodMonitor(), "kube-system", "a"))).isEmpty();
    PodMonitor coreos = named(new PrometheusOperatorKinds.CoreosPodMonitor(), "kube-system", "b");
    assertThat(ApiGroup.of(coreos)).isEqualTo(ApiGroup.PROMETHEUS_OPERATOR);
    assertThat(enforcement.labelFor(coreos)).isEmpty();
    // A group names that group only.
    assertThat(
            enforcement.labelFor(
                named(new PrometheusOperatorKinds.CoreosServiceMonitor(), "monitoring", "x")))
        .isEqualTo(enforced);
    assertThat(enforcement.labelFor(named(new ServiceMonitor(), "kube-system", "a")))
        .isEqualTo(enforced);
  }

  @Test
  void aLabelThatIsNoPrometheusLabelNameOrIsReservedIsAProblem() {
    assertThat(NamespaceEnforcement.problems(stack("namespace", null))).isEmpty();
    assertThat(NamespaceEnforcement.problems(stack("tenant_id", null))).isEmpty();
    assertThat(NamespaceEnforcement.problems(stack("k8s-namespace", null)))
        .containsExactly(
            "spec.scraper.enforcedNamespaceLabel \"k8s-namespace\" is not a Prometheus label name:"
                + " letters, digits and _, not starting with a digit (usually namespace)");
    assertThat(NamespaceEnforcement.problems(stack("", null))).hasSize(1);
    assertThat(NamespaceEnforcement.problems(stack("__name__", null)))
        .containsExactly(
            "spec.scraper.enforcedNamespaceLabel \"__name__\": names starting with __ are reserved"
                + " for Prometheus; use another label name (usually namespace)");
    assertThat(NamespaceEnforcement.problems(stack("vigil_policy", null)))
        .containsExactly(
            "spec.scraper.enforcedNamespaceLabel \"vigil_policy\" is the label Vigil routes a"
                + " policy's alerts on; use another label name (usually namespace)");
  }

  @Test
  void exclusionsTheSchemaWouldRefuseAreProblems() {
    List<EnforcementExclusion> exclusions = new ArrayList<>();
    exclusions.add(null);
    exclusions.add(exclusion(null, null, "", null));
    exclusions.add(exclusion(Group.VIGIL, Resource.PROMETHEUS_RULES, "shop", null));
    assertThat(NamespaceEnforcement.problems(stack("namespace", exclusions)))
        .containsExactly(
            "spec.scraper.excludedFromEnforcement[0] is empty",
            "spec.scraper.excludedFromEnforcement[1].resource is required: servicemonitors,"
                + " podmonitors, alertpolicies or prometheusrules",
            "spec.scraper.excludedFromEnforcement[1].namespace is required",
            "spec.scraper.excludedFromEnforcement[2]: alertpolicies are in group"
                + " monitoring.vigil.dev, prometheusrules in monitoring.coreos.com");
  }
}
