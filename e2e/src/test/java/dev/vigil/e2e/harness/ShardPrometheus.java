package dev.vigil.e2e.harness;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus standing for pod 0 of a stack's shard: the configuration Vigil rendered into
 * the shard's config Secret, with the Secrets the StatefulSet's {@code prometheus} container mounts
 * written to local directories ({@link MountedSecrets}) and {@code POD_NAME} set as the pod's env
 * sets it. For stacks without AlertPolicies (no rule files).
 */
public final class ShardPrometheus {
  private ShardPrometheus() {}

  /**
   * Starts it once the shard's configuration contains {@code awaited} (e.g. a monitor's job).
   *
   * @param fastDiscovery HTTP SD every second instead of the rendered 30 s, for tests of what
   *     discovery serves rather than of how Prometheus follows it
   */
  public static RealPrometheus start(
      String namespace, String stack, int shard, String awaited, Path dir, boolean fastDiscovery)
      throws Exception {
    String name = stack + "-prometheus-" + shard;
    String config =
        await(name + "'s configuration with " + awaited)
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    RealApiServer.secretText(namespace, name + "-config", "prometheus.yml.gz")
                        .orElse(""),
                c -> c.contains(awaited));
    StatefulSet sts =
        await("StatefulSet " + name)
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    RealApiServer.admin()
                        .apps()
                        .statefulSets()
                        .inNamespace(namespace)
                        .withName(name)
                        .get(),
                s -> s != null);
    Container prometheus =
        sts.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("prometheus"))
            .findFirst()
            .orElseThrow();
    MountedSecrets secrets =
        MountedSecrets.write(
            namespace, sts.getSpec().getTemplate().getSpec(), prometheus, dir.resolve("mounts"));
    String local = secrets.relocate(config);
    if (fastDiscovery) {
      local = local.replace("refresh_interval: 30s", "refresh_interval: 1s");
    }
    Path file = dir.resolve("prometheus.yml");
    Files.createDirectories(dir);
    Files.writeString(file, local);
    return RealPrometheus.start(
        file, dir, RealPrometheus.freePort(), List.of(), Map.of("POD_NAME", name + "-0"), null);
  }
}
