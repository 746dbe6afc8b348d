package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.logpipeline.VictoriaLogsSpec;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpecBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A single-node VictoriaLogs: OTLP logs in at {@code /insert/opentelemetry/v1/logs}, LogsQL out at
 * {@code /select/logsql/query}, on port {@value LogPlan#VICTORIA_LOGS_PORT}; data on a claim of
 * {@code size} or, without one, an emptyDir; logs older than the retention deleted. Non-root, on a
 * read-only root filesystem.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = LogLabels.VICTORIA_LOGS_SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class VictoriaLogsStatefulSet extends ControlledDependentResource<StatefulSet, LogPipeline> {
  static final String DATA_DIR = "/victoria-logs-data";
  static final String DEFAULT_RETENTION = "7d";

  public VictoriaLogsStatefulSet() {
    super(StatefulSet.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    return new ResourceID(
        LogPlan.victoriaLogsName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected StatefulSet desired(LogPipeline pipeline, Context<LogPipeline> context) {
    VictoriaLogsSpec spec = LogPlan.victoriaLogs(pipeline);
    String name = LogPlan.victoriaLogsName(pipeline);
    var health = PodParts.probeWithDefaults("/health", LogPlan.VICTORIA_LOGS_PORT, 10);
    StatefulSetSpecBuilder statefulSet =
        new StatefulSetSpecBuilder()
            .withReplicas(1)
            .withServiceName(name)
            .withNewSelector()
            .withMatchLabels(LogLabels.selector(pipeline, LogLabels.VICTORIA_LOGS))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(LogLabels.of(pipeline, LogLabels.VICTORIA_LOGS))
            .endMetadata()
            .withNewSpec()
            .withSecurityContext(
                PodParts.nonRoot(PodParts.NOBODY).withFsGroup(PodParts.NOBODY).build())
            .withContainers(
                new ContainerBuilder()
                    .withName("victoria-logs")
                    .withImage(spec.image == null ? LogPlan.VICTORIA_LOGS_IMAGE : spec.image)
                    .withArgs(
                        "-httpListenAddr=:" + LogPlan.VICTORIA_LOGS_PORT,
                        "-storageDataPath=" + DATA_DIR,
                        "-retentionPeriod="
                            + Objects.requireNonNullElse(spec.retention, DEFAULT_RETENTION))
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(LogPlan.VICTORIA_LOGS_PORT)
                    .endPort()
                    .withResources(DefaultResources.VICTORIA_LOGS.or(spec.resources))
                    .withVolumeMounts(PodParts.mount("data", DATA_DIR, false))
                    .withReadinessProbe(health)
                    .withLivenessProbe(health)
                    .withSecurityContext(PodParts.restricted())
                    .build())
            .withVolumes(
                spec.size == null
                    ? List.of(
                        new VolumeBuilder()
                            .withName("data")
                            .withNewEmptyDir()
                            .endEmptyDir()
                            .build())
                    : List.of())
            .endSpec()
            .endTemplate();
    if (spec.size != null) {
      statefulSet.withVolumeClaimTemplates(
          new PersistentVolumeClaimBuilder()
              .withNewMetadata()
              .withName("data")
              .endMetadata()
              .withNewSpec()
              .withAccessModes("ReadWriteOnce")
              .withStorageClassName(spec.storageClassName)
              .withNewResources()
              .withRequests(Map.of("storage", spec.size))
              .endResources()
              .endSpec()
              .build());
    }
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(LogLabels.of(pipeline, LogLabels.VICTORIA_LOGS))
        .endMetadata()
        .withSpec(statefulSet.build())
        .build();
  }
}
