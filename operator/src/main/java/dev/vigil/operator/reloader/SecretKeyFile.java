package dev.vigil.operator.reloader;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * One key of one Secret, decoded into one file (the Prometheus configuration); a key ending in
 * {@code .gz} is unzipped, as Vigil stores a shard's configuration gzipped.
 */
final class SecretKeyFile implements ConfigSource {
  private final WatchedObject<Secret> secret;
  private final String key;
  private final Path file;

  SecretKeyFile(KubernetesClient client, String namespace, String name, String key, Path file) {
    this.secret = new WatchedObject<>(client, Secret.class, namespace, name);
    this.key = key;
    this.file = file;
  }

  @Override
  public void start(Runnable onChange) {
    secret.start(onChange);
  }

  @Override
  public boolean hasSynced() {
    return secret.hasSynced();
  }

  @Override
  public Outcome writeTo(ConfigFileWriter writer) throws IOException {
    Optional<Secret> current = secret.current();
    if (current.isEmpty()) {
      return Outcome.missing(secret + " does not exist (yet)");
    }
    String encoded = current.get().getData() == null ? null : current.get().getData().get(key);
    if (encoded == null) {
      return Outcome.missing(secret + " has no key " + key);
    }
    byte[] content = Base64.getDecoder().decode(encoded);
    if (key.endsWith(".gz")) {
      try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(content))) {
        content = gzip.readAllBytes();
      } catch (IOException e) {
        return Outcome.missing(secret + " key " + key + " is not valid gzip: " + e.getMessage());
      }
    }
    return Outcome.of(writer.write(file, content));
  }

  @Override
  public void close() {
    secret.close();
  }

  @Override
  public String toString() {
    return secret + " key " + key + " -> " + file;
  }
}
