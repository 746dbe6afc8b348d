package dev.vigil.reconcilers.selection;

import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.discovery.ClusterSnapshot;
import dev.vigil.reconcilers.discovery.LabelSelection;
import dev.vigil.reconcilers.discovery.NamespaceSelection;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * Whether a stack's {@code monitorSelector} (or {@code policySelector}) takes an object in: labels
 * of the object and labels of its namespace. Absent label selector: every object; absent namespace
 * selector: the stack's own namespace; {@code {}}: every namespace.
 */
public record MonitorSelection(LabelSelection labels, NamespaceSelection namespaces) {

  /**
   * @throws IllegalArgumentException when a selector is invalid (the message names the field)
   */
  public static MonitorSelection of(ResourceSelector selector, MonitoringStack stack) {
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
