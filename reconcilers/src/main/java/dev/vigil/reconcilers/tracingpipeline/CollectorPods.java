package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The collector pod, the same for the gateway Deployment and the agent DaemonSet: the pinned
 * contrib image on the rendered configuration, credentials from Secrets as environment and files,
 * probes on the health_check extension, non-root on a read-only root filesystem. A hash of the
 * configuration in an annotation rolls the pods when it changes: the collector cannot reload.
 */
final class CollectorPods {
  static final String CONFIG_DIR = "/etc/otelcol";
  static final String CONFIG_HASH = "monitoring.vigil.dev/config-hash";

  private CollectorPods() {}

  /** Whether a port the collector listens on takes spans in: not its metrics or health port. */
  static boolean receiver(CollectorConfigBuilder.ListenPort listen) {
    return !listen.name().equals(StackDiscoveryJobs.OTEL_COLLECTOR_PORT)
        && !listen.name().equals("health");
  }

  static PodTemplateSpec template(CollectorPlan plan, boolean hostPorts) {
    TracingPipeline pipeline = plan.pipeline();
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName(CollectorPlan.collectorName(pipeline))
            .endConfigMap()
            .build());
    mounts.add(
        new VolumeMountBuilder()
            .withName("config")
            .withMountPath(CONFIG_DIR)
            .withReadOnly(true)
            .build());
    java.util.Map<String, List<io.fabric8.kubernetes.api.model.KeyToPath>> bySecret =
        new java.util.TreeMap<>();
    for (MountedKey key : plan.mountedKeys()) {
      bySecret
          .computeIfAbsent(key.name(), k -> new ArrayList<>())
          .add(new io.fabric8.kubernetes.api.model.KeyToPath(key.key(), 0440, key.key()));
    }
    int index = 0;
    for (Map.Entry<String, List<io.fabric8.kubernetes.api.model.KeyToPath>> secret :
        bySecret.entrySet()) {
      String volume = "secret-" + index++;
      volumes.add(
          new VolumeBuilder()
              .withName(volume)
              .withNewSecret()
              .withSecretName(secret.getKey())
              .withItems(secret.getValue())
              .endSecret()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName(volume)
              .withMountPath(
                  CollectorConfigBuilder.SECRETS_DIR
                      + "/"
                      + pipeline.getMetadata().getNamespace()
                      + "/"
                      + secret.getKey())
              .withReadOnly(true)
              .build());
    }
    List<io.fabric8.kubernetes.api.model.ContainerPort> ports = new ArrayList<>();
    for (CollectorConfigBuilder.ListenPort listen : plan.collector().ports()) {
      ContainerPortBuilder containerPort =
          new ContainerPortBuilder()
              .withName(listen.name())
              .withContainerPort(listen.port())
              .withProtocol(listen.protocol());
      if (hostPorts && receiver(listen)) {
        containerPort.withHostPort(listen.port());
      }
      ports.add(containerPort.build());
    }
    var health =
        PodParts.probeWithDefaults(
            CollectorConfigBuilder.HEALTH_PATH, CollectorConfigBuilder.HEALTH_PORT, 10);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR))
        .addToAnnotations(CONFIG_HASH, CollectorPlan.hash(plan.collectorConfig()))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(CollectorPlan.collectorName(pipeline))
        .withSecurityContext(PodParts.nonRoot(10001L).build())
        .withContainers(
            new ContainerBuilder()
                .withName("otel-collector")
                .withImage(
                    pipeline.getSpec().image == null
                        ? CollectorPlan.IMAGE
                        : pipeline.getSpec().image)
                .withArgs(args(plan))
                .withEnv(plan.collector().env())
                .withPorts(ports)
                .withResources(DefaultResources.OTEL_COLLECTOR.or(pipeline.getSpec().resources))
                .withVolumeMounts(mounts)
                .withReadinessProbe(health)
                .withLivenessProbe(health)
                .withSecurityContext(PodParts.restricted())
                .build())
        .withVolumes(volumes)
        .withNodeSelector(pipeline.getSpec().nodeSelector)
        .withTolerations(pipeline.getSpec().tolerations)
        .endSpec()
        .build();
  }

  /** The configuration file, and the feature gates it needs, as one {@code --feature-gates}. */
  private static List<String> args(CollectorPlan plan) {
    List<String> args = new ArrayList<>();
    args.add("--config=" + CONFIG_DIR + "/" + CollectorConfigMap.KEY);
    if (!plan.collector().featureGates().isEmpty()) {
      args.add("--feature-gates=" + String.join(",", plan.collector().featureGates()));
    }
    return args;
  }
}
