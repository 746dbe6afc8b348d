package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
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
 * A PodDisruptionBudget per shard when the shard has an HA pair or more: a drain never takes every
 * replica of a shard at once. With one replica there is none (it would block drains for good).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusPodDisruptionBudget.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusPodDisruptionBudget
    extends ControlledDependentResource<PodDisruptionBudget, MonitoringStack>
    implements CRUDKubernetesBulkDependentResource<PodDisruptionBudget, MonitoringStack> {
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + PrometheusStatefulSet.COMPONENT;

  public PrometheusPodDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  @Override
  public Map<ResourceID, PodDisruptionBudget> desiredResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    ScraperPlan plan = ScraperPlan.of(context);
    Integer replicas = stack.getSpec().scraper == null ? null : stack.getSpec().scraper.replicas;
    List<PodDisruptionBudget> desired = new ArrayList<>();
    for (int shard : replicas != null && replicas > 1 ? plan.runningShards() : List.<Integer>of()) {
      desired.add(
          new PodDisruptionBudgetBuilder()
              .withNewMetadata()
              .withName(PrometheusStatefulSet.name(stack, shard))
              .withNamespace(stack.getMetadata().getNamespace())
              .withLabels(StackLabels.ofShard(stack, PrometheusStatefulSet.COMPONENT, shard))
              .endMetadata()
              .withNewSpec()
              .withMaxUnavailable(new IntOrString(1))
              .withNewSelector()
              .withMatchLabels(StackLabels.selector(stack, PrometheusStatefulSet.COMPONENT, shard))
              .endSelector()
              .endSpec()
              .build());
    }
    return ShardObjects.byId(desired);
  }

  @Override
  public Map<ResourceID, PodDisruptionBudget> getSecondaryResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return ShardObjects.byId(eventSource().orElseThrow().getSecondaryResources(stack));
  }
}
