package dev.vigil.reconcilers.objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Pieces every pod Vigil runs is built from: a non-root pod, locked-down containers, HTTP probes,
 * mounts, and the API token only the reloader containers get.
 */
public final class PodParts {
  public static final long NOBODY = 65534L;
  static final String API_TOKEN_VOLUME = "api-token";
  private static final String TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** The reloader sidecar's port for /healthz and /metrics. */
  public static final int RELOADER_PORT = 8081;

  private PodParts() {}

  /**
   * Vigil's own image in {@code reloader} mode: as an init container ({@code once}) it writes the
   * first files so the server starts with them; as a sidecar it keeps them current and calls the
   * server's reload endpoint within a second of a change.
   *
   * @param args the mode's flags (what to watch, where to write, where to reload)
   * @param mounts where it writes, besides its API token
   */
  public static Container reloader(
      String image, List<String> args, boolean once, List<VolumeMount> mounts) {
    List<String> all = new ArrayList<>();
    all.add("reloader");
    all.addAll(args);
    all.add(once ? "--once" : "--http-port=" + RELOADER_PORT);
    List<VolumeMount> allMounts = new ArrayList<>(mounts);
    allMounts.add(apiTokenMount());
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(once ? "init-config" : "config-reloader")
            .withImage(image)
            .withArgs(all)
            .withEnv(
                new EnvVarBuilder()
                    .withName("JAVA_TOOL_OPTIONS")
                    .withValue("-XX:MaxRAMPercentage=70 -XX:+UseSerialGC")
                    .build())
            .withResources(DefaultResources.CONFIG_RELOADER.requirements())
            .withVolumeMounts(allMounts)
            .withSecurityContext(restricted());
    if (!once) {
      container
          .addNewPort()
          .withName("reloader")
          .withContainerPort(RELOADER_PORT)
          .endPort()
          .withLivenessProbe(probe("/healthz", RELOADER_PORT, 10, 6));
    }
    return container.build();
  }

  /** Where the reloader finds its token, CA and namespace, as in any pod. */
  static VolumeMount apiTokenMount() {
    return mount(API_TOKEN_VOLUME, TOKEN_DIR, true);
  }

  /** The reloader's API credentials, projected as the kubelet would, for its containers only. */
  public static Volume apiTokenVolume() {
    return new VolumeBuilder()
        .withName(API_TOKEN_VOLUME)
        .withNewProjected()
        .withDefaultMode(0444)
        .addNewSource()
        .withNewServiceAccountToken()
        .withPath("token")
        .withExpirationSeconds(3607L)
        .endServiceAccountToken()
        .endSource()
        .addNewSource()
        .withNewConfigMap()
        .withName("kube-root-ca.crt")
        .addNewItem()
        .withKey("ca.crt")
        .withPath("ca.crt")
        .endItem()
        .endConfigMap()
        .endSource()
        .addNewSource()
        .withNewDownwardAPI()
        .addNewItem()
        .withPath("namespace")
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath("metadata.namespace")
        .endFieldRef()
        .endItem()
        .endDownwardAPI()
        .endSource()
        .endProjected()
        .build();
  }

  /**
   * The security context of a pod whose containers run as {@code user}, never as root, under the
   * container runtime's default seccomp profile. A builder, for the pods that add a group or an
   * fsGroup.
   */
  public static PodSecurityContextBuilder nonRoot(long user) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(user)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile();
  }

  public static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * An HTTP probe that waits three seconds for an answer and fails after {@code failureThreshold}
   * failures in a row.
   */
  public static Probe probe(String path, int port, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder(probeWithDefaults(path, port, periodSeconds))
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(3)
        .build();
  }

  /**
   * An HTTP probe with the API server's defaults but for its period: a timeout of one second, three
   * failures in a row.
   */
  public static Probe probeWithDefaults(String path, int port, int periodSeconds) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort(port)
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .build();
  }

  /**
   * Desired objects are spelled as the API server stores them, or the server-side-apply match never
   * holds and every reconcile patches the workload again (the scale harness saw it every 5
   * minutes): the server drops {@code readOnly: false}, and gives a fieldRef {@code apiVersion:
   * v1}.
   */
  public static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }

  public static EnvVar fieldEnv(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
