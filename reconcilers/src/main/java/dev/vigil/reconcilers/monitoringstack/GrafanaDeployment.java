package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.GrafanaSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.grafana.GrafanaProvisioning;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.objects.Workload;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;

/**
 * Grafana, provisioned by Vigil: datasources and the dashboard provider from {@link
 * GrafanaProvisioningConfigMap}, dashboards from {@link GrafanaDashboardsConfigMap}s (Grafana
 * re-reads them on its own), admin credentials from a Secret through the environment. A hash of the
 * datasources in the pod template restarts Grafana when they change, as it only reads them at
 * start.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = GrafanaDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class GrafanaDeployment extends ControlledDependentResource<Deployment, MonitoringStack> {
  static final String COMPONENT = StackLabels.GRAFANA;
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;
  public static final String IMAGE = "grafana/grafana:12.3.0";
  static final int PORT = 3000;

  /** The grafana user of Grafana's image. */
  static final long USER = 472L;

  static final String CONFIG_HASH = "monitoring.vigil.dev/datasources-hash";

  public GrafanaDeployment() {
    super(Deployment.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-grafana";
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Deployment desired(MonitoringStack stack, Context<MonitoringStack> context) {
    return deployment(GrafanaPlan.of(context));
  }

  /** The Deployment; pure. */
  static Deployment deployment(GrafanaPlan plan) {
    MonitoringStack stack = plan.stack();
    GrafanaSpec spec = stack.getSpec().grafana;
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("provisioning")
            .withNewConfigMap()
            .withName(GrafanaProvisioningConfigMap.name(stack))
            .withItems(
                new KeyToPath(
                    GrafanaProvisioningConfigMap.DATASOURCES_KEY,
                    null,
                    "datasources/" + GrafanaProvisioningConfigMap.DATASOURCES_KEY),
                new KeyToPath(
                    GrafanaProvisioningConfigMap.DASHBOARDS_KEY,
                    null,
                    "dashboards/" + GrafanaProvisioningConfigMap.DASHBOARDS_KEY))
            .endConfigMap()
            .build());
    mounts.add(PodParts.mount("provisioning", "/etc/grafana/provisioning", true));
    for (int i = 0; i < plan.dashboards().size(); i++) {
      String volume = "dashboards-" + i;
      volumes.add(
          new VolumeBuilder()
              .withName(volume)
              .withNewConfigMap()
              .withName(GrafanaDashboardsConfigMap.name(stack, i))
              .endConfigMap()
              .build());
      mounts.add(
          PodParts.mount(
              volume, GrafanaProvisioning.dashboardFolder(GrafanaPlan.FOLDERS.get(i)), true));
    }
    var claim = spec.storage == null ? null : spec.storage.volumeClaimTemplate;
    volumes.add(
        claim != null
            ? new VolumeBuilder()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName(GrafanaVolumeClaim.name(stack))
                .endPersistentVolumeClaim()
                .build()
            : new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    mounts.add(PodParts.mount("data", "/var/lib/grafana", false));
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    mounts.add(PodParts.mount("tmp", "/tmp", false));

    List<EnvVar> env = new ArrayList<>();
    env.add(secretEnv("GF_SECURITY_ADMIN_USER", stack, GrafanaAdminSecret.USER_KEY));
    env.add(secretEnv("GF_SECURITY_ADMIN_PASSWORD", stack, GrafanaAdminSecret.PASSWORD_KEY));
    env.add(value("GF_PATHS_PROVISIONING", "/etc/grafana/provisioning"));
    env.add(value("GF_AUTH_ANONYMOUS_ENABLED", "false"));
    env.add(value("GF_ANALYTICS_REPORTING_ENABLED", "false"));
    env.add(value("GF_ANALYTICS_CHECK_FOR_UPDATES", "false"));
    env.addAll(pluginEnv(plan.plugins()));

    PodSpec pod =
        new PodSpecBuilder()
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(PodParts.nonRoot(USER).withFsGroup(USER).build())
            .addNewContainer()
            .withName("grafana")
            .withImage(spec.image == null ? IMAGE : spec.image)
            .withEnv(env)
            .addNewPort()
            .withName("http")
            .withContainerPort(PORT)
            .endPort()
            .withResources(DefaultResources.GRAFANA.or(spec.resources))
            .withVolumeMounts(mounts)
            .withReadinessProbe(PodParts.probe("/api/health", PORT, 10, 3))
            .withLivenessProbe(PodParts.probe("/api/health", PORT, 10, 6))
            .withSecurityContext(PodParts.restricted())
            .endContainer()
            .withVolumes(volumes)
            .build();
    // One pod at a time: a second would open the same SQLite database on the volume.
    return Workload.of(stack, COMPONENT, name(stack))
        .withPodAnnotation(CONFIG_HASH, plan.datasourcesHash())
        .recreatedDeployment(pod);
  }

  /**
   * Grafana's plugin installs at start. Without plugins to add, {@code
   * GF_PLUGINS_PREINSTALL_DISABLED} keeps Grafana from downloading anything. With some (the
   * VictoriaLogs plugin, once a log data source is provisioned), {@code GF_PLUGINS_PREINSTALL}
   * (Grafana 11.5 and later) lists them; Grafana installs them in the background from grafana.com
   * (its default preinstall set too, since {@code preinstall_disabled} would turn every install
   * off) and skips those the image already has.
   */
  static List<EnvVar> pluginEnv(List<String> plugins) {
    return plugins.isEmpty()
        ? List.of(value("GF_PLUGINS_PREINSTALL_DISABLED", "true"))
        : List.of(value("GF_PLUGINS_PREINSTALL", String.join(",", plugins)));
  }

  private static EnvVar secretEnv(String name, MonitoringStack stack, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(GrafanaAdminSecret.inUse(stack))
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
