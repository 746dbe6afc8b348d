package dev.vigil.operator.reloader;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every key of one ConfigMap (rule files), one file per key in a directory of its own, as kubelet
 * would mount it: keys removed from the ConfigMap are removed from the directory.
 */
final class ConfigMapDirectory implements ConfigSource {
  private final WatchedObject<ConfigMap> configMap;
  private final Path directory;

  ConfigMapDirectory(KubernetesClient client, String namespace, String name, Path directory) {
    this.configMap = new WatchedObject<>(client, ConfigMap.class, namespace, name);
    this.directory = directory;
  }

  @Override
  public void start(Runnable onChange) {
    configMap.start(onChange);
  }

  @Override
  public boolean hasSynced() {
    return configMap.hasSynced();
  }

  @Override
  public Outcome writeTo(ConfigFileWriter writer) throws IOException {
    Optional<ConfigMap> current = configMap.current();
    if (current.isEmpty()) {
      return Outcome.missing(configMap + " does not exist (yet)");
    }
    SortedMap<String, byte[]> files = new TreeMap<>();
    if (current.get().getData() != null) {
      current.get().getData().forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (current.get().getBinaryData() != null) {
      current.get().getBinaryData().forEach((k, v) -> files.put(k, Base64.getDecoder().decode(v)));
    }
    return Outcome.of(writer.writeDirectory(directory, files));
  }

  @Override
  public void close() {
    configMap.close();
  }

  @Override
  public String toString() {
    return configMap + " -> " + directory + "/";
  }
}
