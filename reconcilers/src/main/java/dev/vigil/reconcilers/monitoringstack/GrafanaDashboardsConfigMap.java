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
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dashboards Grafana loads (Vigil's and those aggregated from labelled ConfigMaps), in as many
 * ConfigMaps as their size needs; Grafana re-reads the files without a restart.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = GrafanaDashboardsConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class GrafanaDashboardsConfigMap
    extends ControlledDependentResource<ConfigMap, MonitoringStack>
    implements CRUDKubernetesBulkDependentResource<ConfigMap, MonitoringStack> {
  static final String COMPONENT = "grafana-dashboards";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public GrafanaDashboardsConfigMap() {
    super(ConfigMap.class);
  }

  static String name(MonitoringStack stack, int index) {
    return GrafanaDeployment.name(stack) + "-dashboards-" + index;
  }

  @Override
  public Map<ResourceID, ConfigMap> desiredResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    GrafanaPlan plan = GrafanaPlan.of(context);
    List<ConfigMap> desired = new ArrayList<>();
    for (int i = 0; i < plan.dashboards().size(); i++) {
      desired.add(
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(name(stack, i))
              .withNamespace(stack.getMetadata().getNamespace())
              .withLabels(StackLabels.of(stack, COMPONENT))
              .endMetadata()
              .withData(plan.dashboards().get(i))
              .build());
    }
    return ShardObjects.byId(desired);
  }

  @Override
  public Map<ResourceID, ConfigMap> getSecondaryResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return ShardObjects.byId(eventSource().orElseThrow().getSecondaryResources(stack));
  }
}
