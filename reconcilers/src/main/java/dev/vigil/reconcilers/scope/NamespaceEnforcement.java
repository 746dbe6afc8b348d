package dev.vigil.reconcilers.scope;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.EnforcementExclusion;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A stack's {@code spec.scraper.enforcedNamespaceLabel}, as prometheus-operator's {@code
 * enforcedNamespaceLabel}: the label, set to the object's namespace, that every monitor's targets
 * and samples get last and every rule of every policy gets, with a matcher on it added to every
 * selector of the rule's expression. Objects named in {@code excludedFromEnforcement} are left as
 * they are. Pure.
 *
 * @param label the enforced label, or null when the stack enforces nothing
 * @param exclusions the objects enforcement does not apply to
 */
public record NamespaceEnforcement(String label, List<EnforcementExclusion> exclusions) {
  /** No enforcement: every object is rendered as written. */
  public static final NamespaceEnforcement NONE = new NamespaceEnforcement(null, List.of());

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  public NamespaceEnforcement {
    label = label == null || label.isEmpty() ? null : label;
    exclusions =
        exclusions == null ? List.of() : exclusions.stream().filter(e -> e != null).toList();
  }

  public static NamespaceEnforcement of(MonitoringStack stack) {
    ScraperSpec scraper =
        stack.getSpec() == null || stack.getSpec().scraper == null ? null : stack.getSpec().scraper;
    if (scraper == null || scraper.enforcedNamespaceLabel == null) {
      return NONE;
    }
    return new NamespaceEnforcement(
        scraper.enforcedNamespaceLabel, scraper.excludedFromEnforcement);
  }

  public boolean enabled() {
    return label != null;
  }

  /**
   * The label to enforce on an object (a ServiceMonitor, PodMonitor or AlertPolicy, prometheus-
   * operator's included), or empty when the stack enforces nothing or excludes the object.
   */
  public Optional<String> labelFor(HasMetadata object) {
    if (label == null || excluded(object)) {
      return Optional.empty();
    }
    return Optional.of(label);
  }

  private boolean excluded(HasMetadata object) {
    ApiGroup group = ApiGroup.of(object);
    EnforcementExclusion.Resource resource = resource(object, group);
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    for (EnforcementExclusion exclusion : exclusions) {
      if (exclusion.resource == resource
          && (exclusion.group == null || group(exclusion.group) == group)
          && namespace != null
          && namespace.equals(exclusion.namespace)
          && (exclusion.name == null || exclusion.name.isEmpty() || exclusion.name.equals(name))) {
        return true;
      }
    }
    return false;
  }

  private static EnforcementExclusion.Resource resource(HasMetadata object, ApiGroup group) {
    if (object instanceof ServiceMonitor) {
      return EnforcementExclusion.Resource.SERVICE_MONITORS;
    }
    if (object instanceof PodMonitor) {
      return EnforcementExclusion.Resource.POD_MONITORS;
    }
    if (object instanceof AlertPolicy) {
      return group == ApiGroup.PROMETHEUS_OPERATOR
          ? EnforcementExclusion.Resource.PROMETHEUS_RULES
          : EnforcementExclusion.Resource.ALERT_POLICIES;
    }
    throw new IllegalArgumentException("namespace enforcement does not apply to " + object);
  }

  private static ApiGroup group(EnforcementExclusion.Group group) {
    return group == EnforcementExclusion.Group.PROMETHEUS_OPERATOR
        ? ApiGroup.PROMETHEUS_OPERATOR
        : ApiGroup.VIGIL;
  }

  /**
   * What the schema refuses, for a stack that bypassed it: a label that is not a Prometheus label
   * name, a reserved one, an exclusion without resource or namespace. A stack with one of these is
   * refused whole: rendering it without the enforcement it asked for would widen what each
   * namespace sees.
   */
  public static List<String> problems(MonitoringStack stack) {
    List<String> problems = new ArrayList<>();
    ScraperSpec scraper =
        stack.getSpec() == null || stack.getSpec().scraper == null ? null : stack.getSpec().scraper;
    if (scraper == null) {
      return problems;
    }
    String label = scraper.enforcedNamespaceLabel;
    String field = "spec.scraper.enforcedNamespaceLabel";
    if (label != null && !LABEL_NAME.matcher(label).matches()) {
      problems.add(
          "%s \"%s\" is not a Prometheus label name: letters, digits and _, not starting with a"
                  .formatted(field, label)
              + " digit (usually namespace)");
    } else if (label != null && label.startsWith("__")) {
      problems.add(
          "%s \"%s\": names starting with __ are reserved for Prometheus; use another label name"
                  .formatted(field, label)
              + " (usually namespace)");
    } else if (AlertPolicy.POLICY_LABEL.equals(label)) {
      problems.add(
          "%s \"%s\" is the label Vigil routes a policy's alerts on; use another label name"
                  .formatted(field, label)
              + " (usually namespace)");
    }
    List<EnforcementExclusion> exclusions = scraper.excludedFromEnforcement;
    for (int i = 0; exclusions != null && i < exclusions.size(); i++) {
      EnforcementExclusion exclusion = exclusions.get(i);
      String at = "spec.scraper.excludedFromEnforcement[" + i + "]";
      if (exclusion == null) {
        problems.add(at + " is empty");
        continue;
      }
      if (exclusion.resource == null) {
        problems.add(
            at
                + ".resource is required: servicemonitors, podmonitors, alertpolicies or"
                + " prometheusrules");
      } else if (exclusion.group != null
          && (exclusion.group == EnforcementExclusion.Group.VIGIL
              ? exclusion.resource == EnforcementExclusion.Resource.PROMETHEUS_RULES
              : exclusion.resource == EnforcementExclusion.Resource.ALERT_POLICIES)) {
        problems.add(
            at
                + ": alertpolicies are in group monitoring.vigil.dev, prometheusrules in"
                + " monitoring.coreos.com");
      }
      if (exclusion.namespace == null || exclusion.namespace.isEmpty()) {
        problems.add(at + ".namespace is required");
      }
    }
    return problems;
  }
}
