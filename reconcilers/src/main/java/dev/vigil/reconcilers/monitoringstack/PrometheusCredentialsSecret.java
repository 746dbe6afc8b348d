package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.digest.Sha256;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secret and ConfigMap keys a stack's configuration reads as files, copied into the stack's
 * namespace: monitors anywhere may reference their own Secrets, and a pod mounts only Secrets of
 * its namespace. Only the keys in use are copied; the StatefulSet projects each at {@link
 * MountedKey#path()}. Rotating a source Secret updates the copy on the next reconcile, and the
 * kubelet updates the file; Prometheus reads credential files on every scrape.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusCredentialsSecret.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusCredentialsSecret
    extends ControlledDependentResource<Secret, MonitoringStack> {
  static final String COMPONENT = "prometheus-credentials";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public PrometheusCredentialsSecret() {
    super(Secret.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-prometheus-credentials";
  }

  /**
   * The key of a copied value: {@code <source>_<namespace>_<name>_<key>}, unambiguous since
   * namespaces and names have no {@code _}; a hash when that is longer than a key may be.
   */
  static String dataKey(MountedKey key) {
    String readable =
        (key.source() == MountedKey.Source.SECRET ? "secret" : "configmap")
            + "_"
            + key.namespace()
            + "_"
            + key.name()
            + "_"
            + key.key();
    if (readable.length() <= 253) {
      return readable;
    }
    return "sha256-" + Sha256.hex(readable);
  }

  @Override
  protected Secret desired(MonitoringStack stack, Context<MonitoringStack> context) {
    Map<String, String> data = new TreeMap<>();
    ScraperPlan.of(context)
        .credentials()
        .forEach((key, encoded) -> data.put(dataKey(key), encoded));
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
