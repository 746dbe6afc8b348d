package dev.vigil.operator.servicediscovery;

import dev.vigil.operator.informers.Informers;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.monitoringstack.ServiceDiscoveryTokenSecret;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stack tokens read from the token Secrets Vigil makes, through an informer limited by label to
 * those Secrets: no other Secret is ever cached, and one carrying the label that no stack controls
 * only by name ({@link OwnedObjectsStore}).
 */
public final class SecretStackTokens implements StackTokens, AutoCloseable {
  private final List<SharedIndexInformer<Secret>> informers = new ArrayList<>();

  public SecretStackTokens(KubernetesClient client, Set<String> namespaces) {
    for (var secrets : Informers.scopes(client.secrets(), namespaces)) {
      informers.add(
          secrets
              .withLabelSelector(ServiceDiscoveryTokenSecret.SELECTOR)
              .withLimit(OwnedObjectsStore.LIST_LIMIT)
              .runnableInformer(0)
              .itemStore(new OwnedObjectsStore<>())
              .run());
    }
  }

  @Override
  public Optional<byte[]> tokenOf(String namespace, String stack) {
    String key = namespace + "/" + ServiceDiscoveryTokenSecret.name(stack);
    for (SharedIndexInformer<Secret> informer : informers) {
      Secret secret = informer.getStore().getByKey(key);
      if (secret != null
          && stack.equals(secret.getMetadata().getLabels().get(StackLabels.INSTANCE))) {
        return ServiceDiscoveryTokenSecret.existingToken(Optional.of(secret))
            .map(token -> token.getBytes(StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
