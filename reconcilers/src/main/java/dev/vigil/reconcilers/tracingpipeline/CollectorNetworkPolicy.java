package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.IngressPolicy;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * Who may reach the pipeline's collectors: any pod of the cluster on the receivers' ports
 * (applications, and agents exporting to a gateway, live in any namespace), the Prometheus pods of
 * any of Vigil's stacks on the metrics port (every stack scrapes the collectors of the namespaces
 * its monitors come from), and the pipeline's additional peers on both. The health port is for the
 * kubelet's probes only.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = CollectorConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class CollectorNetworkPolicy
    extends ControlledDependentResource<NetworkPolicy, TracingPipeline> {
  public CollectorNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.collectorName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return policy(pipeline, CollectorPlan.of(context).collector().ports());
  }

  /** The policy for collectors listening on {@code ports}; pure. */
  static NetworkPolicy policy(
      TracingPipeline pipeline, List<CollectorConfigBuilder.ListenPort> ports) {
    IngressPolicy policy =
        new IngressPolicy(
            CollectorPlan.collectorName(pipeline),
            pipeline.getMetadata().getNamespace(),
            PipelineLabels.of(pipeline, PipelineLabels.COLLECTOR),
            PipelineLabels.selector(pipeline, PipelineLabels.COLLECTOR));
    List<NetworkPolicyPort> receivers =
        ports.stream()
            .filter(CollectorPods::receiver)
            .map(p -> IngressPolicy.port(p.port(), p.protocol()))
            .toList();
    if (!receivers.isEmpty()) {
      policy.allowClients(List.of(IngressPolicy.anyPod()), receivers);
    }
    int[] metrics =
        ports.stream()
            .filter(p -> p.name().equals(StackDiscoveryJobs.OTEL_COLLECTOR_PORT))
            .mapToInt(CollectorConfigBuilder.ListenPort::port)
            .toArray();
    if (metrics.length > 0) {
      policy.allow(
          List.of(IngressPolicy.podsInAnyNamespace(StackLabels.anyStack(StackLabels.PROMETHEUS))),
          metrics);
    }
    return policy.build(pipeline.getSpec().networkPolicy);
  }
}
