package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.ThanosSpec;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;

/**
 * Thanos Query over every shard of the stack: it finds each shard's sidecars through the DNS SRV
 * records of the shard's governing Service and deduplicates HA pairs on the replica label.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ThanosQueryDeployment.SELECTOR))
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
    for (int shard = 0; shard < plan.shards(); shard++) {
      args.add(
          "--endpoint=dnssrv+_grpc._tcp."
              + PrometheusGoverningService.name(stack, shard)
              + "."
              + stack.getMetadata().getNamespace()
              + ".svc");
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withReplicas(thanos.queryReplicas == null ? 1 : thanos.queryReplicas)
        .withNewSelector()
        .withMatchLabels(StackLabels.selector(stack, COMPONENT, null))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(65534L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
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
        .withResources(thanos.resources)
        .withReadinessProbe(
            new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/-/ready")
                .withNewPort(HTTP_PORT)
                .endHttpGet()
                .withPeriodSeconds(5)
                .build())
        .withNewSecurityContext()
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
