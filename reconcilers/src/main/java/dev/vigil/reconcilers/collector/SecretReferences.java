package dev.vigil.reconcilers.collector;

import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The Secret keys one part of the configuration (an exporter) reads, kept only when that part is:
 * as files mounted at {@link CollectorConfigBuilder#path(MountedKey)}, or as environment variables
 * the file references as {@code ${env:...}}. Never the values themselves.
 */
final class SecretReferences {
  final SortedSet<MountedKey> files = new TreeSet<>();
  final SortedMap<String, EnvVar> env = new TreeMap<>();
  private final String namespace;
  private final Predicate<MountedKey> keyExists;

  /**
   * @param namespace the pipeline's: a selector names a key of a Secret there
   * @param keyExists whether a key exists; a missing one makes the part unrenderable
   */
  SecretReferences(String namespace, Predicate<MountedKey> keyExists) {
    this.namespace = namespace;
    this.keyExists = keyExists;
  }

  /** The path of a mounted Secret key. */
  String file(SecretKeySelector selector, String field) {
    MountedKey key = key(selector, field);
    files.add(key);
    return CollectorConfigBuilder.path(key);
  }

  /** An {@code ${env:...}} reference to a Secret key exposed as a variable. */
  String env(String variable, SecretKeySelector selector, String field) {
    MountedKey key = key(selector, field);
    if (env.containsKey(variable)) {
      throw new Unrenderable(field + ": two headers map to variable " + variable);
    }
    env.put(
        variable,
        new EnvVarBuilder()
            .withName(variable)
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(key.name())
            .withKey(key.key())
            .endSecretKeyRef()
            .endValueFrom()
            .build());
    return "${env:" + variable + "}";
  }

  private MountedKey key(SecretKeySelector selector, String field) {
    MountedKey key;
    try {
      key = MountedKey.secret(namespace, selector.getName(), selector.getKey());
    } catch (IllegalArgumentException e) {
      throw new Unrenderable(field + ": " + e.getMessage());
    }
    if (!keyExists.test(key)) {
      throw new Unrenderable(field + ": " + key.describe() + " does not exist");
    }
    return key;
  }
}
