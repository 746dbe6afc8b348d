package dev.vigil.reconcilers.selection;

import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.discovery.ClusterSnapshot;
import dev.vigil.reconcilers.discovery.LabelSelection;
import dev.vigil.reconcilers.discovery.NamespaceSelection;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * Whether a stack's {@code monitorSelector} (or {@code policySelector}) takes an object in: labels
 * of the object and labels of its namespace. Absent label selector: every object; absent namespace
 * selector: the stack's own namespace; {@code {}}: every namespace. A tenant's stack (one outside
 * the platform namespaces of {@link Tenancy}) selects in its own namespace only, whatever its
 * namespace selector says. When namespaces must opt in, a platform stack selects beyond its own
 * namespace only where a namespace says so ({@link NamespaceSelection.OptedIn}).
 */
public record MonitorSelection(LabelSelection labels, NamespaceSelection namespaces) {

  /**
   * What the stack selects under the operator's tenancy.
   *
   * @throws IllegalArgumentException when a selector is invalid (the message names the field)
   */
  public static MonitorSelection of(
      ResourceSelector selector, MonitoringStack stack, Tenancy tenancy) {
    MonitorSelection asWritten = asWritten(selector, stack);
    String own = stack.getMetadata().getNamespace();
    if (!tenancy.isPlatform(own)) {
      return new MonitorSelection(asWritten.labels(), NamespaceSelection.names(List.of(own)));
    }
    return tenancy.namespaceOptIn()
        ? new MonitorSelection(
            asWritten.labels(),
            new NamespaceSelection.OptedIn(
                asWritten.namespaces(), own, stack.getMetadata().getName()))
        : asWritten;
  }

  /**
   * Whether a tenant's stack has a namespace selector that reaches beyond its own namespace, which
   * {@link #of} sets aside.
   */
  public static boolean confined(
      ResourceSelector selector, MonitoringStack stack, Tenancy tenancy) {
    return !tenancy.isPlatform(stack.getMetadata().getNamespace())
        && selector != null
        && selector.namespaceSelector != null;
  }

  /**
   * What the selector says, whoever wrote it: for checking it.
   *
   * @throws IllegalArgumentException when a selector is invalid (the message names the field)
   */
  public static MonitorSelection asWritten(ResourceSelector selector, MonitoringStack stack) {
    String own = stack.getMetadata().getNamespace();
    if (selector == null) {
      return new MonitorSelection(
          LabelSelection.EVERYTHING, NamespaceSelection.names(List.of(own)));
    }
    return new MonitorSelection(
        selector.labelSelector == null
            ? LabelSelection.EVERYTHING
            : LabelSelection.of(selector.labelSelector),
        NamespaceSelection.ofLabelSelector(selector.namespaceSelector, own));
  }

  public boolean selects(HasMetadata object, ClusterSnapshot snapshot) {
    Map<String, String> objectLabels =
        object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
    return namespaces.selects(object.getMetadata().getNamespace(), snapshot)
        && labels.matches(objectLabels);
  }
}
