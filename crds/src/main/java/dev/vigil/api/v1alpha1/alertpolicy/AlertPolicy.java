package dev.vigil.api.v1alpha1.alertpolicy;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Alerting and recording rules, and where this policy's alerts are sent. */
@Group("monitoring.vigil.dev")
@Version("v1alpha1")
@ShortNames("ap")
@Categories("vigil")
@AdditionalPrinterColumn(
    name = "Rules",
    jsonPath = ".status.rules",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AlertPolicy extends CustomResource<AlertPolicySpec, AlertPolicyStatus>
    implements Namespaced {
  /**
   * The label every alert of a policy carries, {@code <namespace>/<name>}, on which the policy's
   * Alertmanager routes match; no rule or matcher of a policy may set it.
   */
  public static final String POLICY_LABEL = "vigil_policy";
}
