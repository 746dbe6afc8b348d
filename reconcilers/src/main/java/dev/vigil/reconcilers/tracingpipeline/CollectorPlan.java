package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigInputs;
import dev.vigil.reconcilers.collector.CollectorConfigRenderer;
import dev.vigil.reconcilers.collector.CollectorNames;
import dev.vigil.reconcilers.collector.ConfigProblem;
import dev.vigil.reconcilers.digest.Sha256;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerConfigInputs;
import dev.vigil.reconcilers.jaeger.JaegerConfigRenderer;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a pipeline's objects are made from, computed once per reconcile by the pure renderers of
 * {@code collector} and {@code jaeger}: the collector's configuration and what its pod needs
 * (Secret keys as files, environment, ports, read access for k8s_attributes), and the Jaeger
 * backend's.
 *
 * @param clusterWide whether the pipeline is in a platform namespace: its collectors' read access
 *     is a ClusterRole; otherwise a Role in its namespace (docs/tenancy.md)
 * @param collector what the collector builder made; its config is null when nothing can run
 * @param collectorConfig the collector's configuration file, or null
 * @param jaeger what the Jaeger builder made; its config is null without a backend
 * @param jaegerConfig the backend's configuration file, or null
 */
public record CollectorPlan(
    TracingPipeline pipeline,
    boolean clusterWide,
    CollectorConfigBuilder.Result collector,
    String collectorConfig,
    JaegerConfigBuilder.Result jaeger,
    String jaegerConfig) {
  static final String CONTEXT_KEY = CollectorPlan.class.getName();
  public static final String IMAGE = "otel/opentelemetry-collector-contrib:0.160.0";
  public static final String JAEGER_IMAGE = "jaegertracing/jaeger:2.12.0";

  /**
   * @param client reads the Secret keys the pipeline references and the gateway pipeline it exports
   *     to, on demand (never cached)
   * @param stacks the query URL of the MonitoringStack the Jaeger backend's Monitor names
   */
  static CollectorPlan of(
      TracingPipeline pipeline,
      KubernetesClient client,
      JaegerConfigInputs.StackLookup stacks,
      Tenancy tenancy) {
    ReferencedValues values = new ReferencedValues(client);
    boolean clusterWide = tenancy.isPlatform(pipeline.getMetadata().getNamespace());
    CollectorConfigBuilder.Result collector =
        CollectorConfigBuilder.build(
            pipeline,
            new CollectorConfigInputs(
                values,
                (namespace, name) ->
                    Optional.ofNullable(
                        client
                            .resources(TracingPipeline.class)
                            .inNamespace(namespace)
                            .withName(name)
                            .get()),
                JaegerNames.collectorEndpoint(pipeline),
                clusterWide));
    JaegerConfigBuilder.Result jaeger =
        JaegerConfigBuilder.build(pipeline, new JaegerConfigInputs(stacks, clusterWide));
    return new CollectorPlan(
        pipeline,
        clusterWide,
        collector,
        collector.config() == null
            ? null
            : CollectorConfigRenderer.renderString(collector.config()),
        jaeger,
        jaeger.config() == null ? null : JaegerConfigRenderer.renderString(jaeger.config()));
  }

  static CollectorPlan of(Context<TracingPipeline> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, CollectorPlan.class);
  }

  /** Everything left out of either configuration, as "field: message". */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    collector.problems().stream().map(ConfigProblem::describe).forEach(problems::add);
    jaeger.problems().stream().map(ConfigProblem::describe).forEach(problems::add);
    return problems;
  }

  /** The Secret keys the collector reads as files, all in the pipeline's namespace. */
  List<MountedKey> mountedKeys() {
    return List.copyOf(collector.mountedKeys());
  }

  static boolean gateway(TracingPipeline pipeline) {
    return pipeline.getSpec().mode != TracingPipelineSpec.Mode.agent;
  }

  static String collectorName(TracingPipeline pipeline) {
    return CollectorNames.service(pipeline.getMetadata().getName());
  }

  static String jaegerName(TracingPipeline pipeline) {
    return JaegerNames.service(pipeline.getMetadata().getName());
  }

  /** A short hash of a configuration: in a pod annotation, it rolls the pods when it changes. */
  static String hash(String config) {
    return Sha256.shortHex(config);
  }
}
