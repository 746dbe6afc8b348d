package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ThanosSpec;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.objects.PodParts;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.objects.Workload;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;

/**
 * Thanos Query over every shard of the stack: it finds each shard's sidecars through the DNS SRV
 * records of the shard's governing Service and deduplicates HA pairs on the replica label.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ThanosQueryDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class ThanosQueryDeployment
    extends ControlledDependentResource<Deployment, MonitoringStack> {
  static final String COMPONENT = "thanos-query";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;
  static final int HTTP_PORT = 10902;
  static final int GRPC_PORT = 10901;

  public ThanosQueryDeployment() {
    super(Deployment.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-thanos-query";
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Deployment desired(MonitoringStack stack, Context<MonitoringStack> context) {
    ThanosSpec thanos = stack.getSpec().thanos;
    ScraperPlan plan = ScraperPlan.of(context);
    List<String> args = new ArrayList<>();
    args.add("query");
    args.add("--http-address=:" + HTTP_PORT);
    args.add("--grpc-address=:" + GRPC_PORT);
    args.add("--query.replica-label=" + PrometheusConfigBuilder.REPLICA_LABEL);
    for (int shard : plan.runningShards()) {
      args.add(
          "--endpoint=dnssrv+_grpc._tcp."
              + PrometheusGoverningService.name(stack, shard)
              + "."
              + stack.getMetadata().getNamespace()
              + ".svc");
    }
    PodSpec pod =
        new PodSpecBuilder()
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(PodParts.nonRoot(PodParts.NOBODY).build())
            .addNewContainer()
            .withName("thanos-query")
            .withImage(thanos.image == null ? DeploymentSettings.THANOS_IMAGE : thanos.image)
            .withArgs(args)
            .addNewPort()
            .withName("http")
            .withContainerPort(HTTP_PORT)
            .endPort()
            .addNewPort()
            .withName("grpc")
            .withContainerPort(GRPC_PORT)
            .endPort()
            .withResources(DefaultResources.THANOS_QUERY.or(thanos.resources))
            .withReadinessProbe(PodParts.probeWithDefaults("/-/ready", HTTP_PORT, 5))
            .withSecurityContext(PodParts.restricted())
            .endContainer()
            .build();
    return Workload.of(stack, COMPONENT, name(stack)).deployment(replicas(stack), pod);
  }

  /** The Thanos Query pods the stack asks for. */
  static int replicas(MonitoringStack stack) {
    Integer replicas = stack.getSpec().thanos.queryReplicas;
    return replicas == null ? 1 : replicas;
  }
}
