package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogAgentSpec;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.LogAgentConfigBuilder;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One agent per node: the collector on the rendered configuration, the node's pod log directory
 * mounted read-only, its checkpoints and send queues in a host directory of its own (so a restarted
 * or updated agent resumes where it stopped), credentials from the agents' copy. It runs as root to
 * read the kubelet's files (mode 0640, owner root) but with every capability dropped, a read-only
 * root filesystem and no privilege escalation. By default it tolerates every taint: a node whose
 * logs nobody collects is a blind spot. A hash of the configuration and credentials rolls the
 * agents when either changes: the collector cannot reload.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.AGENT_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES))
public class AgentDaemonSet extends CRUDNoGCKubernetesDependentResource<DaemonSet, LogPipeline> {
  static final String CONFIG_DIR = "/etc/otelcol";
  static final String CONFIG_HASH = "monitoring.vigil.dev/config-hash";
  static final String DEFAULT_POD_LOGS = "/var/log/pods";
  static final String DEFAULT_STATE = "/var/lib/vigil/logs";

  /**
   * The file_log receiver saves a file's offset only once the lines before it are in the pipeline
   * (in the exporter's queue on disk), not while they wait in its in-memory batch: without this
   * gate (alpha, off by default in collector 0.160) a killed agent loses up to 100 lines per file.
   */
  static final String SYNCHRONOUS_EMITTER = "--feature-gates=stanza.synchronousLogEmitter";

  public AgentDaemonSet() {
    super(DaemonSet.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return AgentObjects.id(pipeline, LogPlan.agentName(pipeline), context);
  }

  @Override
  protected DaemonSet desired(LogPipeline pipeline, Context<LogPipeline> context) {
    LogPlan plan = LogPlan.of(context);
    String name = LogPlan.agentName(pipeline);
    LogAgentSpec spec = plan.agentSpec();
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName(name)
            .endConfigMap()
            .build());
    mounts.add(PodParts.mount("config", CONFIG_DIR, true));
    volumes.add(
        hostPath(
            "pod-logs",
            Objects.requireNonNullElse(spec.podLogsPath, DEFAULT_POD_LOGS),
            "Directory"));
    mounts.add(PodParts.mount("pod-logs", LogAgentConfigBuilder.POD_LOGS_DIR, true));
    // One directory per pipeline object: two pipelines never share checkpoints, and one deleted
    // and made again under the same name does not send the old one's queue.
    String state =
        Objects.requireNonNullElse(spec.stateHostPath, DEFAULT_STATE)
            + "/"
            + pipeline.getMetadata().getNamespace()
            + "_"
            + pipeline.getMetadata().getName()
            + "_"
            + pipeline.getMetadata().getUid();
    volumes.add(hostPath("state", state, "DirectoryOrCreate"));
    mounts.add(PodParts.mount("state", LogAgentConfigBuilder.STATE_DIR, false));
    if (!plan.agent().mountedKeys().isEmpty()) {
      List<KeyToPath> items = new ArrayList<>();
      for (MountedKey key : plan.agent().mountedKeys()) {
        items.add(new KeyToPath(LogPlan.credentialKey(key), 0440, key.relativePath()));
      }
      volumes.add(
          new VolumeBuilder()
              .withName("credentials")
              .withNewSecret()
              .withSecretName(LogPlan.credentialsName(pipeline))
              .withItems(items)
              .endSecret()
              .build());
      mounts.add(PodParts.mount("credentials", CollectorConfigBuilder.SECRETS_DIR, true));
    }
    var health =
        PodParts.probeWithDefaults(
            CollectorConfigBuilder.HEALTH_PATH, CollectorConfigBuilder.HEALTH_PORT, 10);
    List<Toleration> tolerations =
        spec.tolerations != null
            ? spec.tolerations
            : List.of(new TolerationBuilder().withOperator("Exists").build());
    return new DaemonSetBuilder()
        .withMetadata(AgentObjects.metadata(pipeline, plan, name))
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(LogLabels.selector(pipeline, LogLabels.AGENT))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(LogLabels.of(pipeline, LogLabels.AGENT))
        .addToAnnotations(CONFIG_HASH, plan.podHash())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(name)
        .withPriorityClassName(spec.priorityClassName)
        .withNewSecurityContext()
        .withRunAsUser(0L)
        .withRunAsGroup(0L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(
            new ContainerBuilder()
                .withName("otel-collector")
                .withImage(spec.image == null ? LogPlan.AGENT_IMAGE : spec.image)
                .withArgs("--config=" + CONFIG_DIR + "/" + AgentConfigMap.KEY, SYNCHRONOUS_EMITTER)
                .withEnv(plan.agentEnv())
                .withPorts(
                    plan.agent().ports().stream()
                        .map(
                            p ->
                                new ContainerPortBuilder()
                                    .withName(p.name())
                                    .withContainerPort(p.port())
                                    .build())
                        .toList())
                .withResources(DefaultResources.LOG_AGENT.or(spec.resources))
                .withVolumeMounts(mounts)
                .withReadinessProbe(health)
                .withLivenessProbe(health)
                .withSecurityContext(PodParts.restricted())
                .build())
        .withVolumes(volumes)
        .withNodeSelector(spec.nodeSelector)
        .withTolerations(tolerations)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Volume hostPath(String name, String path, String type) {
    return new VolumeBuilder()
        .withName(name)
        .withNewHostPath()
        .withPath(path)
        .withType(type)
        .endHostPath()
        .build();
  }
}
