package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ThanosSpec;
import dev.vigil.api.v1alpha1.monitoringstack.VolumeClaimTemplate;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.HttpServiceDiscovery;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One StatefulSet per shard: Prometheus, the reloader sidecar that feeds it its configuration (and
 * an init container that writes the first one), and a Thanos sidecar when asked. Pods run as
 * non-root on a read-only root filesystem; only the reloader gets a ServiceAccount token.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = PrometheusStatefulSet.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class PrometheusStatefulSet extends ControlledDependentResource<StatefulSet, MonitoringStack>
    implements CRUDKubernetesBulkDependentResource<StatefulSet, MonitoringStack> {
  public static final String COMPONENT = StackLabels.PROMETHEUS;
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;

  public static final int WEB_PORT = 9090;
  static final int THANOS_GRPC_PORT = 10901;
  static final int THANOS_HTTP_PORT = 10902;

  static final String CONFIG_DIR = "/etc/prometheus/config_out";
  static final String CONFIG_FILE = CONFIG_DIR + "/prometheus.yml";
  static final String DATA_DIR = "/prometheus";

  private static final String CONFIG_VOLUME = "config-out";
  private static final String RULES_VOLUME = "rules";
  private static final String SD_TOKEN_VOLUME = "sd-token";
  private static final String DATA_VOLUME = "prometheus-db";
  private static final String SECRETS_VOLUME = "credentials-secrets";
  private static final String CONFIG_MAPS_VOLUME = "credentials-configmaps";

  public PrometheusStatefulSet() {
    super(StatefulSet.class);
  }

  /** {@code <stack>-prometheus-<shard>}; pods are {@code <stack>-prometheus-<shard>-<replica>}. */
  public static String name(MonitoringStack stack, int shard) {
    return stack.getMetadata().getName() + "-prometheus-" + shard;
  }

  @Override
  public Map<ResourceID, StatefulSet> desiredResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    ScraperPlan plan = ScraperPlan.of(context);
    List<StatefulSet> desired = new ArrayList<>();
    for (int shard : plan.runningShards()) {
      desired.add(statefulSet(plan, shard));
    }
    return ShardObjects.byId(desired);
  }

  @Override
  public Map<ResourceID, StatefulSet> getSecondaryResources(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return ShardObjects.byId(eventSource().orElseThrow().getSecondaryResources(stack));
  }

  /** The StatefulSet of one shard; pure. */
  static StatefulSet statefulSet(ScraperPlan plan, int shard) {
    MonitoringStack stack = plan.stack();
    ScraperSpec scraper =
        stack.getSpec().scraper == null ? new ScraperSpec() : stack.getSpec().scraper;
    boolean thanos = thanosEnabled(stack);
    Map<String, String> selector = StackLabels.selector(stack, COMPONENT, shard);

    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder().withName(CONFIG_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName(RULES_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(
        new VolumeBuilder()
            .withName(SD_TOKEN_VOLUME)
            .withNewSecret()
            .withSecretName(ServiceDiscoveryTokenSecret.name(stack))
            .withDefaultMode(0440)
            .endSecret()
            .build());
    volumes.add(PodParts.apiTokenVolume());
    List<VolumeMount> prometheusMounts = new ArrayList<>();
    prometheusMounts.add(PodParts.mount(CONFIG_VOLUME, CONFIG_DIR, true));
    prometheusMounts.add(PodParts.mount(RULES_VOLUME, StackRules.RULES_DIR, true));
    prometheusMounts.add(PodParts.mount(SD_TOKEN_VOLUME, HttpServiceDiscovery.TOKEN_DIR, true));
    prometheusMounts.add(PodParts.mount(DATA_VOLUME, DATA_DIR, false));
    addCredentialVolume(
        plan,
        MountedKey.Source.SECRET,
        SECRETS_VOLUME,
        MountedKey.SECRETS_DIR,
        volumes,
        prometheusMounts);
    addCredentialVolume(
        plan,
        MountedKey.Source.CONFIG_MAP,
        CONFIG_MAPS_VOLUME,
        MountedKey.CONFIG_MAPS_DIR,
        volumes,
        prometheusMounts);

    List<PersistentVolumeClaim> claims = new ArrayList<>();
    VolumeClaimTemplate claim =
        scraper.storage == null ? null : scraper.storage.volumeClaimTemplate;
    if (claim != null) {
      claims.add(claim(claim));
    } else {
      volumes.add(
          new VolumeBuilder()
              .withName(DATA_VOLUME)
              .withEmptyDir(
                  scraper.storage == null || scraper.storage.emptyDir == null
                      ? new io.fabric8.kubernetes.api.model.EmptyDirVolumeSource()
                      : scraper.storage.emptyDir)
              .build());
    }

    List<Container> containers = new ArrayList<>();
    containers.add(prometheus(scraper, prometheusMounts));
    containers.add(reloader(plan, shard, false));
    if (thanos) {
      containers.add(thanosSidecar(stack.getSpec().thanos));
    }

    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name(stack, shard))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.ofShard(stack, COMPONENT, shard))
        .endMetadata()
        .withNewSpec()
        .withReplicas(scraper.replicas == null ? 1 : scraper.replicas)
        .withServiceName(PrometheusGoverningService.name(stack, shard))
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(StackLabels.ofShard(stack, COMPONENT, shard))
        .endMetadata()
        .withSpec(
            new PodSpecBuilder()
                .withServiceAccountName(PrometheusServiceAccount.name(stack))
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(
                    scraper.securityContext != null
                        ? scraper.securityContext
                        : PodParts.nonRoot(PodParts.NOBODY)
                            .withRunAsGroup(PodParts.NOBODY)
                            .withFsGroup(PodParts.NOBODY)
                            .build())
                .withInitContainers(reloader(plan, shard, true))
                .withContainers(containers)
                .withVolumes(volumes)
                .withNodeSelector(scraper.nodeSelector)
                .withTolerations(scraper.tolerations)
                .withAffinity(scraper.affinity != null ? scraper.affinity : spread(selector))
                .withTerminationGracePeriodSeconds(600L)
                .build())
        .endTemplate()
        .withVolumeClaimTemplates(claims)
        .endSpec()
        .build();
  }

  private static Container prometheus(ScraperSpec scraper, List<VolumeMount> mounts) {
    List<String> args = new ArrayList<>();
    args.add("--config.file=" + CONFIG_FILE);
    args.add("--storage.tsdb.path=" + DATA_DIR);
    args.add(
        "--storage.tsdb.retention.time=" + (scraper.retention == null ? "15d" : scraper.retention));
    if (scraper.retentionSize != null) {
      args.add("--storage.tsdb.retention.size=" + scraper.retentionSize);
    }
    args.add("--web.listen-address=:" + WEB_PORT);
    // The reloader posts to /-/reload.
    args.add("--web.enable-lifecycle");
    args.add("--web.route-prefix=/");
    return new ContainerBuilder()
        .withName("prometheus")
        .withImage(scraper.image == null ? DeploymentSettings.PROMETHEUS_IMAGE : scraper.image)
        .withArgs(args)
        // The replica external label is ${POD_NAME}, expanded by Prometheus 3.
        .withEnv(PodParts.fieldEnv("POD_NAME", "metadata.name"))
        .addNewPort()
        .withName("web")
        .withContainerPort(WEB_PORT)
        .endPort()
        .withResources(DefaultResources.PROMETHEUS.or(scraper.resources))
        .withVolumeMounts(mounts)
        // Replaying a big WAL takes minutes: the startup probe allows up to 15.
        .withStartupProbe(PodParts.probe("/-/ready", WEB_PORT, 15, 60))
        .withReadinessProbe(PodParts.probe("/-/ready", WEB_PORT, 5, 3))
        .withLivenessProbe(PodParts.probe("/-/healthy", WEB_PORT, 10, 6))
        .withSecurityContext(PodParts.restricted())
        .build();
  }

  /**
   * The reloader: Vigil's own image in {@code reloader} mode. As an init container ({@code --once})
   * it writes the first configuration so Prometheus starts with it; as a sidecar it watches the
   * shard's config Secret and reloads Prometheus within seconds of a change.
   */
  static Container reloader(ScraperPlan plan, int shard, boolean once) {
    MonitoringStack stack = plan.stack();
    List<String> args = new ArrayList<>();
    args.add("--namespace=" + stack.getMetadata().getNamespace());
    args.add("--secret=" + PrometheusConfigSecret.name(stack, shard));
    args.add("--key=" + PrometheusConfigSecret.KEY);
    args.add("--output=" + CONFIG_FILE);
    for (String configMap : plan.rules().configMapNames(stack)) {
      args.add("--config-map=" + configMap);
    }
    args.add("--rules-dir=" + StackRules.RULES_DIR);
    if (!once) {
      args.add("--reload-url=http://127.0.0.1:" + WEB_PORT + "/-/reload");
    }
    return PodParts.reloader(
        plan.settings().operatorImage(),
        args,
        once,
        List.of(
            PodParts.mount(CONFIG_VOLUME, CONFIG_DIR, false),
            PodParts.mount(RULES_VOLUME, StackRules.RULES_DIR, false)));
  }

  private static Container thanosSidecar(ThanosSpec thanos) {
    return new ContainerBuilder()
        .withName("thanos-sidecar")
        .withImage(thanos.image == null ? DeploymentSettings.THANOS_IMAGE : thanos.image)
        .withArgs(
            "sidecar",
            "--prometheus.url=http://127.0.0.1:" + WEB_PORT,
            "--tsdb.path=" + DATA_DIR,
            "--grpc-address=:" + THANOS_GRPC_PORT,
            "--http-address=:" + THANOS_HTTP_PORT)
        .addNewPort()
        .withName("grpc")
        .withContainerPort(THANOS_GRPC_PORT)
        .endPort()
        .addNewPort()
        .withName("http-sidecar")
        .withContainerPort(THANOS_HTTP_PORT)
        .endPort()
        .withResources(DefaultResources.THANOS_SIDECAR.or(thanos.sidecarResources))
        .withVolumeMounts(PodParts.mount(DATA_VOLUME, DATA_DIR, false))
        .withReadinessProbe(PodParts.probe("/-/ready", THANOS_HTTP_PORT, 5, 3))
        .withSecurityContext(PodParts.restricted())
        .build();
  }

  static boolean thanosEnabled(MonitoringStack stack) {
    return stack.getSpec().thanos != null && Boolean.TRUE.equals(stack.getSpec().thanos.enabled);
  }

  /** The keys of one source, projected from the stack's credentials Secret at their paths. */
  private static void addCredentialVolume(
      ScraperPlan plan,
      MountedKey.Source source,
      String volume,
      String dir,
      List<Volume> volumes,
      List<VolumeMount> mounts) {
    List<KeyToPath> items = new ArrayList<>();
    for (MountedKey key : plan.credentials().keySet()) {
      if (key.source() == source) {
        items.add(
            new KeyToPath(
                PrometheusCredentialsSecret.dataKey(key),
                0440,
                key.path().substring(dir.length() + 1)));
      }
    }
    if (items.isEmpty()) {
      return;
    }
    volumes.add(
        new VolumeBuilder()
            .withName(volume)
            .withNewSecret()
            .withSecretName(PrometheusCredentialsSecret.name(plan.stack()))
            .withItems(items)
            .endSecret()
            .build());
    mounts.add(PodParts.mount(volume, dir, true));
  }

  private static PersistentVolumeClaim claim(VolumeClaimTemplate template) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(DATA_VOLUME)
        .withLabels(template.labels)
        .withAnnotations(template.annotations)
        .endMetadata()
        .withNewSpec()
        .withAccessModes(
            template.accessModes == null || template.accessModes.isEmpty()
                ? List.of("ReadWriteOnce")
                : template.accessModes)
        .withStorageClassName(template.storageClassName)
        .withNewResources()
        .addToRequests("storage", template.size)
        .endResources()
        .endSpec()
        .build();
  }

  /** Replicas of a shard on different nodes when the cluster has enough of them. */
  private static io.fabric8.kubernetes.api.model.Affinity spread(Map<String, String> selector) {
    return new AffinityBuilder()
        .withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100)
        .withNewPodAffinityTerm()
        .withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector()
        .withMatchLabels(selector)
        .endLabelSelector()
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }
}
