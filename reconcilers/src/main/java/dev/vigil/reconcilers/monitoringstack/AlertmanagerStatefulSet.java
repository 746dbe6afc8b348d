package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.VolumeClaimTemplate;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack's Alertmanager: {@code replicas} pods that form one gossip cluster when there are
 * several (each Prometheus shard sends every alert to all of them; the cluster deduplicates
 * notifications), fed their configuration by the reloader sidecar.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = AlertmanagerStatefulSet.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class AlertmanagerStatefulSet
    extends ControlledDependentResource<StatefulSet, MonitoringStack> {
  public static final String COMPONENT = "alertmanager";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  /** The Alertmanager image when a stack names none: the version Vigil renders and tests for. */
  public static final String IMAGE = "quay.io/prometheus/alertmanager:v0.34.2";

  static final String CONFIG_DIR = "/etc/alertmanager/config_out";
  static final String CONFIG_FILE = CONFIG_DIR + "/" + AlertmanagerConfigSecret.KEY;
  private static final String DATA_DIR = "/alertmanager";
  private static final String CONFIG_VOLUME = "config-out";
  private static final String DATA_VOLUME = "alertmanager-db";
  private static final String SECRETS_VOLUME = "credentials";

  public AlertmanagerStatefulSet() {
    super(StatefulSet.class);
  }

  /** By name, without the plan: deleting it when Alertmanager is turned off needs no plan. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(AlertmanagerPlan.name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected StatefulSet desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return statefulSet(AlertmanagerPlan.of(context), ScraperPlan.of(context).settings());
  }

  /** The StatefulSet; pure. */
  static StatefulSet statefulSet(AlertmanagerPlan plan, DeploymentSettings settings) {
    MonitoringStack stack = plan.stack();
    AlertmanagerSpec spec = stack.getSpec().alertmanager;
    int replicas = AlertmanagerPlan.replicas(stack);

    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder().withName(CONFIG_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(PodParts.apiTokenVolume());
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(PodParts.mount(CONFIG_VOLUME, CONFIG_DIR, true));
    mounts.add(PodParts.mount(DATA_VOLUME, DATA_DIR, false));
    List<KeyToPath> items = new ArrayList<>();
    for (MountedKey key : plan.credentials().keySet()) {
      items.add(new KeyToPath(PrometheusCredentialsSecret.dataKey(key), 0440, key.relativePath()));
    }
    if (!items.isEmpty()) {
      volumes.add(
          new VolumeBuilder()
              .withName(SECRETS_VOLUME)
              .withNewSecret()
              .withSecretName(AlertmanagerCredentialsSecret.name(stack))
              .withItems(items)
              .endSecret()
              .build());
      mounts.add(PodParts.mount(SECRETS_VOLUME, AlertmanagerConfigBuilder.SECRETS_DIR, true));
    }
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    VolumeClaimTemplate claim = spec.storage == null ? null : spec.storage.volumeClaimTemplate;
    if (claim != null) {
      claims.add(
          new PersistentVolumeClaimBuilder()
              .withNewMetadata()
              .withName(DATA_VOLUME)
              .withLabels(claim.labels)
              .withAnnotations(claim.annotations)
              .endMetadata()
              .withNewSpec()
              .withAccessModes(
                  claim.accessModes == null || claim.accessModes.isEmpty()
                      ? List.of("ReadWriteOnce")
                      : claim.accessModes)
              .withStorageClassName(claim.storageClassName)
              .withNewResources()
              .addToRequests("storage", claim.size)
              .endResources()
              .endSpec()
              .build());
    } else {
      volumes.add(
          new VolumeBuilder()
              .withName(DATA_VOLUME)
              .withEmptyDir(
                  spec.storage == null || spec.storage.emptyDir == null
                      ? new EmptyDirVolumeSource()
                      : spec.storage.emptyDir)
              .build());
    }

    List<String> args = new ArrayList<>();
    args.add("--config.file=" + CONFIG_FILE);
    args.add("--storage.path=" + DATA_DIR);
    args.add("--data.retention=" + (spec.retention == null ? "120h" : spec.retention));
    args.add("--web.listen-address=:" + AlertmanagerPlan.WEB_PORT);
    if (replicas > 1) {
      args.add("--cluster.listen-address=[$(POD_IP)]:" + AlertmanagerPlan.MESH_PORT);
      args.add("--cluster.advertise-address=[$(POD_IP)]:" + AlertmanagerPlan.MESH_PORT);
      for (int i = 0; i < replicas; i++) {
        args.add(
            "--cluster.peer="
                + AlertmanagerPlan.replicaHost(stack, i)
                + ":"
                + AlertmanagerPlan.MESH_PORT);
      }
      args.add("--cluster.reconnect-timeout=5m");
    } else {
      // One replica: no gossip, no mesh port to wait on.
      args.add("--cluster.listen-address=");
    }
    Container alertmanager =
        new ContainerBuilder()
            .withName("alertmanager")
            .withImage(spec.image == null ? IMAGE : spec.image)
            .withArgs(args)
            .withEnv(PodParts.fieldEnv("POD_IP", "status.podIP"))
            .addNewPort()
            .withName("web")
            .withContainerPort(AlertmanagerPlan.WEB_PORT)
            .endPort()
            .addNewPort()
            .withName("mesh-tcp")
            .withContainerPort(AlertmanagerPlan.MESH_PORT)
            .endPort()
            .addNewPort()
            .withName("mesh-udp")
            .withContainerPort(AlertmanagerPlan.MESH_PORT)
            .withProtocol("UDP")
            .endPort()
            .withResources(DefaultResources.ALERTMANAGER.or(spec.resources))
            .withVolumeMounts(mounts)
            .withReadinessProbe(PodParts.probe("/-/ready", AlertmanagerPlan.WEB_PORT, 5, 3))
            .withLivenessProbe(PodParts.probe("/-/healthy", AlertmanagerPlan.WEB_PORT, 10, 6))
            .withSecurityContext(PodParts.restricted())
            .build();

    List<String> reloaderArgs = new ArrayList<>();
    reloaderArgs.add("--namespace=" + stack.getMetadata().getNamespace());
    reloaderArgs.add("--secret=" + AlertmanagerConfigSecret.name(stack));
    reloaderArgs.add("--key=" + AlertmanagerConfigSecret.KEY);
    reloaderArgs.add("--output=" + CONFIG_FILE);
    List<String> sidecarArgs = new ArrayList<>(reloaderArgs);
    sidecarArgs.add("--reload-url=http://127.0.0.1:" + AlertmanagerPlan.WEB_PORT + "/-/reload");
    List<VolumeMount> reloaderMounts = List.of(PodParts.mount(CONFIG_VOLUME, CONFIG_DIR, false));

    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(AlertmanagerPlan.name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(AlertmanagerPlan.name(stack))
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(StackLabels.selector(stack, COMPONENT, null))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(PrometheusServiceAccount.name(stack))
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(
            PodParts.nonRoot(PodParts.NOBODY)
                .withRunAsGroup(PodParts.NOBODY)
                .withFsGroup(PodParts.NOBODY)
                .build())
        .withInitContainers(
            PodParts.reloader(settings.operatorImage(), reloaderArgs, true, reloaderMounts))
        .withContainers(
            alertmanager,
            PodParts.reloader(settings.operatorImage(), sidecarArgs, false, reloaderMounts))
        .withVolumes(volumes)
        .withNodeSelector(spec.nodeSelector)
        .withTolerations(spec.tolerations)
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(claims)
        .endSpec()
        .build();
  }
}
