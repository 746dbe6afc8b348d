package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.collector.CollectorSpanMetrics;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.objects.IngressPolicy;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * Who may reach the pipeline's Jaeger backend: the pipeline's own collectors on the OTLP ports
 * (they export there), the Grafana of any of Vigil's stacks on the HTTP query port (its Jaeger
 * datasource), with span metrics the Prometheus of any of Vigil's stacks on the span metrics port
 * (their {@code vigil/span-metrics} job), and the pipeline's additional peers on those and the gRPC
 * query port (a port-forward to the UI needs no rule: it enters the pod from the node).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = JaegerConfigMap.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class JaegerNetworkPolicy
    extends ControlledDependentResource<NetworkPolicy, TracingPipeline> {
  public JaegerNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** By name alone: deleting it when it is turned off must not need its settings. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TracingPipeline pipeline, Context<TracingPipeline> context) {
    return new ResourceID(
        CollectorPlan.jaegerName(pipeline), pipeline.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(TracingPipeline pipeline, Context<TracingPipeline> context) {
    return policy(pipeline);
  }

  /** The policy; pure. */
  static NetworkPolicy policy(TracingPipeline pipeline) {
    IngressPolicy policy =
        new IngressPolicy(
                CollectorPlan.jaegerName(pipeline),
                pipeline.getMetadata().getNamespace(),
                PipelineLabels.of(pipeline, PipelineLabels.JAEGER),
                PipelineLabels.selector(pipeline, PipelineLabels.JAEGER))
            .allow(
                List.of(
                    IngressPolicy.pods(
                        PipelineLabels.selector(pipeline, PipelineLabels.COLLECTOR))),
                JaegerConfigBuilder.OTLP_GRPC_PORT,
                JaegerConfigBuilder.OTLP_HTTP_PORT)
            .allow(
                List.of(
                    IngressPolicy.podsInAnyNamespace(StackLabels.anyStack(StackLabels.GRAFANA))),
                JaegerConfigBuilder.QUERY_HTTP_PORT);
    if (CollectorSpanMetrics.enabled(pipeline)) {
      policy.allow(
          List.of(IngressPolicy.podsInAnyNamespace(StackLabels.anyStack(StackLabels.PROMETHEUS))),
          JaegerConfigBuilder.SPAN_METRICS_PORT);
    }
    return policy
        .forAdditionalPeers(JaegerConfigBuilder.QUERY_GRPC_PORT)
        .build(pipeline.getSpec().networkPolicy);
  }
}
