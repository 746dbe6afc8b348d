package dev.vigil.e2e.harness;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Secret volumes a container of a pod sees, as the kubelet lays them out, written below a
 * directory of the test: for each {@code volumeMount} of the container whose volume is a Secret
 * volume, the Secret's keys (its {@code items} only, at their {@code path}s, when the volume lists
 * items) read from the real API server into {@code <root><mountPath>/}. A process of the test then
 * runs on the operator's configuration with each mount path moved there ({@link #relocate}).
 *
 * @param mounts each mount path and the local directory standing for it
 */
public record MountedSecrets(Map<String, Path> mounts) {

  /** Writes the Secret volumes {@code container} mounts in a pod of {@code namespace}. */
  public static MountedSecrets write(String namespace, PodSpec pod, Container container, Path root)
      throws IOException {
    Map<String, Volume> volumes = new LinkedHashMap<>();
    for (Volume volume : pod.getVolumes()) {
      volumes.put(volume.getName(), volume);
    }
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      if (volume == null || volume.getSecret() == null) {
        continue;
      }
      SecretVolumeSource source = volume.getSecret();
      Secret secret =
          RealApiServer.admin()
              .secrets()
              .inNamespace(namespace)
              .withName(source.getSecretName())
              .get();
      if (secret == null) {
        throw new IllegalStateException(
            "volume "
                + volume.getName()
                + ": no Secret "
                + namespace
                + "/"
                + source.getSecretName());
      }
      Path dir = root.resolve(mount.getMountPath().replaceFirst("^/+", ""));
      Files.createDirectories(dir);
      List<KeyToPath> items = new ArrayList<>();
      if (source.getItems() == null || source.getItems().isEmpty()) {
        secret.getData().keySet().forEach(key -> items.add(new KeyToPath(key, null, key)));
      } else {
        items.addAll(source.getItems());
      }
      for (KeyToPath item : items) {
        String value = secret.getData().get(item.getKey());
        if (value == null) {
          throw new IllegalStateException(
              "volume "
                  + volume.getName()
                  + ": Secret "
                  + source.getSecretName()
                  + " has no key "
                  + item.getKey());
        }
        Path file = dir.resolve(item.getPath());
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(value));
      }
      mounts.put(mount.getMountPath(), dir);
    }
    return new MountedSecrets(Map.copyOf(mounts));
  }

  /** {@code text} with every {@code <mountPath>/} replaced by its local directory. */
  public String relocate(String text) {
    String result = text;
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      String path = mount.getKey().endsWith("/") ? mount.getKey() : mount.getKey() + "/";
      result = result.replace(path, mount.getValue() + "/");
    }
    return result;
  }
}
