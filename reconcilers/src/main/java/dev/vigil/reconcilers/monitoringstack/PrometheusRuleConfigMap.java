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
 * The rule files of a stack's selected AlertPolicies, in as many ConfigMaps as their size needs
 * ({@code <stack>-prometheus-rules-<i>}); every shard's reloader mirrors them into Prometheus's
 * rules directory and reloads it.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusRuleConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusRuleConfigMap extends ControlledDependentResource<ConfigMap, MonitoringStack>
    implements CRUDKubernetesBulkDependentResource<ConfigMap, MonitoringStack> {
  static final String COMPONENT = "prometheus-rules";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public PrometheusRuleConfigMap() {
    super(ConfigMap.class);
  }

  @Override
  public Map<ResourceID, ConfigMap> desiredResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    StackRules rules = ScraperPlan.of(context).rules();
    List<ConfigMap> desired = new ArrayList<>();
    for (int i = 0; i < rules.configMaps().size(); i++) {
      desired.add(
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(StackRules.configMapName(stack, i))
              .withNamespace(stack.getMetadata().getNamespace())
              .withLabels(StackLabels.of(stack, COMPONENT))
              .endMetadata()
              .withData(rules.configMaps().get(i))
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
