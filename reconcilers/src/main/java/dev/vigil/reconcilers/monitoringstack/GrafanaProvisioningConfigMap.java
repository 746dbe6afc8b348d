package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/** Grafana's provisioning: the stack's datasources and the dashboard provider. No credentials. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = GrafanaProvisioningConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class GrafanaProvisioningConfigMap
    extends ControlledDependentResource<ConfigMap, MonitoringStack> {
  static final String COMPONENT = "grafana-provisioning";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;
  static final String DATASOURCES_KEY = "datasources.yaml";
  static final String DASHBOARDS_KEY = "dashboards.yaml";

  public GrafanaProvisioningConfigMap() {
    super(ConfigMap.class);
  }

  static String name(MonitoringStack stack) {
    return GrafanaDeployment.name(stack) + "-provisioning";
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected ConfigMap desired(MonitoringStack stack, Context<MonitoringStack> context) {
    GrafanaPlan plan = GrafanaPlan.of(context);
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withData(
            Map.of(DATASOURCES_KEY, plan.datasources(), DASHBOARDS_KEY, plan.dashboardProvider()))
        .build();
  }
}
