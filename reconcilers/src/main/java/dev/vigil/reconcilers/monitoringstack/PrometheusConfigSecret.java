package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One Secret per shard holding its {@code prometheus.yml}: a Secret, not a ConfigMap, because the
 * configuration names credential files and may carry an OAuth2 client ID. The shard's reloader
 * sidecar reads it through the API and hands it to Prometheus in seconds.
 */
@KubernetesDependent(informer = @Informer(labelSelector = PrometheusConfigSecret.SELECTOR))
public class PrometheusConfigSecret extends CRUDKubernetesDependentResource<Secret, MonitoringStack>
    implements CRUDKubernetesBulkDependentResource<Secret, MonitoringStack> {
  public static final String COMPONENT = "prometheus-config";
  static final String SELECTOR =
      StackLabels.MANAGED_BY
          + "="
          + StackLabels.VIGIL
          + ","
          + StackLabels.COMPONENT
          + "="
          + COMPONENT;
  public static final String KEY = "prometheus.yml";

  public PrometheusConfigSecret() {
    super(Secret.class);
  }

  public static String name(MonitoringStack stack, int shard) {
    return PrometheusStatefulSet.name(stack, shard) + "-config";
  }

  @Override
  public Map<ResourceID, Secret> desiredResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    ScraperPlan plan = ScraperPlan.of(context);
    List<Secret> desired = new ArrayList<>();
    for (int shard = 0; shard < plan.shards(); shard++) {
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name(stack, shard))
              .withNamespace(stack.getMetadata().getNamespace())
              .withLabels(StackLabels.ofShard(stack, COMPONENT, shard))
              .endMetadata()
              .withType("Opaque")
              .withData(Map.of(KEY, base64(plan.shardConfigs().get(shard))))
              .build();
      desired.add(secret);
    }
    return ShardObjects.byId(desired);
  }

  @Override
  public Map<ResourceID, Secret> getSecondaryResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return ShardObjects.byId(eventSource().orElseThrow().getSecondaryResources(stack));
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
