package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receiver credentials the stack's {@code alertmanager.yml} reads as files (Slack URLs,
 * PagerDuty keys, SMTP passwords, ...), copied from the policies' namespaces into the stack's and
 * projected at {@code /etc/alertmanager/secrets/<namespace>/<secret>/<key>}.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = AlertmanagerCredentialsSecret.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AlertmanagerCredentialsSecret
    extends ControlledDependentResource<Secret, MonitoringStack> {
  static final String COMPONENT = "alertmanager-credentials";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public AlertmanagerCredentialsSecret() {
    super(Secret.class);
  }

  public static String name(MonitoringStack stack) {
    return AlertmanagerPlan.name(stack) + "-credentials";
  }

  /** By name, without the plan: deleting it when Alertmanager is turned off needs no plan. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(MonitoringStack stack, Context<MonitoringStack> context) {
    Map<String, String> data = new TreeMap<>();
    AlertmanagerPlan.of(context)
        .credentials()
        .forEach((key, encoded) -> data.put(PrometheusCredentialsSecret.dataKey(key), encoded));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }
}
