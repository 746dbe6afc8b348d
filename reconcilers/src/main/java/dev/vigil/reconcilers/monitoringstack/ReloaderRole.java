package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;

/**
 * What the reloader sidecars of a stack may read: the config Secrets of its shards and of its
 * Alertmanager and its rule ConfigMaps, by name, and nothing else. A watch with a field selector on
 * the name is allowed by these rules.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ReloaderRole.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class ReloaderRole extends ControlledDependentResource<Role, MonitoringStack> {
  /** Its name in the workflow, for the binding that depends on it. */
  static final String NAME = "reloader-role";

  static final String COMPONENT = "prometheus-reloader";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public ReloaderRole() {
    super(Role.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-prometheus-reloader";
  }

  @Override
  protected Role desired(MonitoringStack stack, Context<MonitoringStack> context) {
    ScraperPlan plan = ScraperPlan.of(context);
    List<String> secrets = new ArrayList<>();
    for (int shard : plan.runningShards()) {
      secrets.add(PrometheusConfigSecret.name(stack, shard));
    }
    if (AlertmanagerConfigBuilder.enabled(stack)) {
      secrets.add(AlertmanagerConfigSecret.name(stack));
    }
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("secrets")
            .withResourceNames(secrets)
            .withVerbs("get", "list", "watch")
            .build());
    List<String> configMaps = plan.rules().configMapNames(stack);
    // No rule without names: an empty resourceNames would grant every ConfigMap.
    if (!configMaps.isEmpty()) {
      rules.add(
          new PolicyRuleBuilder()
              .withApiGroups("")
              .withResources("configmaps")
              .withResourceNames(configMaps)
              .withVerbs("get", "list", "watch")
              .build());
    }
    return new RoleBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withRules(rules)
        .build();
  }
}
