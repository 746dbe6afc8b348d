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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The stack's {@code alertmanager.yml}, in a Secret since it names credential files; the reloader
 * sidecar of every Alertmanager pod carries it in and reloads Alertmanager.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = AlertmanagerConfigSecret.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AlertmanagerConfigSecret extends ControlledDependentResource<Secret, MonitoringStack> {
  static final String COMPONENT = "alertmanager-config";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;
  static final String KEY = "alertmanager.yml";

  public AlertmanagerConfigSecret() {
    super(Secret.class);
  }

  public static String name(MonitoringStack stack) {
    return AlertmanagerPlan.name(stack) + "-config";
  }

  /** By name, without the plan: deleting it when Alertmanager is turned off needs no plan. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(MonitoringStack stack, Context<MonitoringStack> context) {
    String config = AlertmanagerPlan.of(context).config();
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(
                KEY, Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))))
        .build();
  }
}
