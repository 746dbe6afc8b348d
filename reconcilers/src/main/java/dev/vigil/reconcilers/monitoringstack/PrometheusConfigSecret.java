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
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One Secret per shard holding its {@code prometheus.yml}, gzipped as {@code prometheus.yml.gz}: a
 * Secret, not a ConfigMap, because the configuration names credential files and may carry an OAuth2
 * client ID; gzipped because a stack with hundreds of monitors renders more than the 1 MiB an
 * object may hold (the text compresses about 20 times). The shard's reloader sidecar reads it
 * through the API, unzips it and hands it to Prometheus in well under a second. To read it: {@code
 * kubectl get secret <stack>-prometheus-0-config -o jsonpath='{.data.prometheus\.yml\.gz}' | base64
 * -d | gunzip}.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusConfigSecret.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusConfigSecret extends ControlledDependentResource<Secret, MonitoringStack>
    implements CRUDKubernetesBulkDependentResource<Secret, MonitoringStack> {
  public static final String COMPONENT = "prometheus-config";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;
  public static final String KEY = "prometheus.yml.gz";

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
    for (int shard : plan.runningShards()) {
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name(stack, shard))
              .withNamespace(stack.getMetadata().getNamespace())
              .withLabels(StackLabels.ofShard(stack, COMPONENT, shard))
              .endMetadata()
              .withType("Opaque")
              .withData(Map.of(KEY, gzipBase64(plan.config(shard))))
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

  /** Gzip (its header carries no time or name, so the same text gives the same bytes), base64. */
  static String gzipBase64(String value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(value.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
