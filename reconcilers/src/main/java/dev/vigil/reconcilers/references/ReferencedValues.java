package dev.vigil.reconcilers.references;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads the Secret and ConfigMap keys a stack's configuration references, each object at most once
 * per reconcile. Nothing is kept beyond the reconcile: Vigil caches no Secret, so memory stays flat
 * on clusters full of Helm release Secrets.
 *
 * <p>Values are kept as the API server gives them, base64 ({@link #encoded}): a DER certificate or
 * a binary key is copied byte for byte. {@link #value} decodes one as UTF-8 text, for the few
 * values Vigil writes into a configuration itself (an OAuth2 client ID).
 */
public final class ReferencedValues implements ValueLookup, Predicate<MountedKey> {
  private final KubernetesClient client;

  /** Each object's keys and base64-encoded values. */
  private final Map<ReferencedObject, Map<String, String>> objects = new HashMap<>();

  /** The resourceVersion of each object read; empty when it does not exist. */
  private final Map<ReferencedObject, String> versions = new HashMap<>();

  public ReferencedValues(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<String> value(MountedKey key) {
    return encoded(key).map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
  }

  /** The key's value, base64-encoded as a Secret's {@code data} holds it. */
  public Optional<String> encoded(MountedKey key) {
    return Optional.ofNullable(object(key).get(key.key()));
  }

  @Override
  public boolean test(MountedKey key) {
    return object(key).containsKey(key.key());
  }

  /**
   * Every object read so far, with the resourceVersion read (empty when it did not exist): what a
   * {@link ReferenceWatches} watches so that a change reaches the configuration in seconds.
   */
  public Map<ReferencedObject, String> objectsRead() {
    return Map.copyOf(versions);
  }

  /** The object's keys and base64-encoded values; empty when it does not exist. */
  private Map<String, String> object(MountedKey key) {
    return objects.computeIfAbsent(
        ReferencedObject.of(key),
        object -> object.source() == MountedKey.Source.SECRET ? secret(object) : configMap(object));
  }

  private Map<String, String> secret(ReferencedObject object) {
    Secret secret = client.secrets().inNamespace(object.namespace()).withName(object.name()).get();
    versions.put(object, secret == null ? "" : secret.getMetadata().getResourceVersion());
    return secret == null || secret.getData() == null ? Map.of() : Map.copyOf(secret.getData());
  }

  private Map<String, String> configMap(ReferencedObject object) {
    ConfigMap configMap =
        client.configMaps().inNamespace(object.namespace()).withName(object.name()).get();
    versions.put(object, configMap == null ? "" : configMap.getMetadata().getResourceVersion());
    Map<String, String> values = new HashMap<>();
    if (configMap != null && configMap.getData() != null) {
      configMap
          .getData()
          .forEach(
              (k, v) ->
                  values.put(
                      k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    }
    if (configMap != null && configMap.getBinaryData() != null) {
      values.putAll(configMap.getBinaryData());
    }
    return values;
  }
}
