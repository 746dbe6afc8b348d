package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.Connectors;
import dev.vigil.reconcilers.collector.CollectorConfig.Exporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Processors;
import dev.vigil.reconcilers.collector.CollectorConfig.Receivers;
import dev.vigil.reconcilers.collector.CollectorConfig.SpanMetricsConnector;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Builds the {@link CollectorConfig} of a TracingPipeline's collectors (every pod of the gateway
 * Deployment or agent DaemonSet runs the same file), one section at a time: {@link
 * CollectorReceivers}, {@link CollectorProcessors} (with {@link K8sAttributesProcessor}), {@link
 * CollectorExporters}, {@link CollectorPipelines} (the {@code service} section and its extensions),
 * and the read access the file needs, {@link KubernetesAccessRules}. Pure: the same arguments give
 * an equal result.
 *
 * <p>Credentials are never written into the file: {@link Result#env()} says which Secret key each
 * referenced variable comes from, and {@link Result#mountedKeys()} lists the keys to mount at
 * {@link #path(MountedKey)}.
 *
 * <p>The collector refuses its whole configuration over one bad part, so what it would refuse is
 * checked here. An exporter or tail-sampling policy that cannot be rendered is left out and
 * reported in {@link Result#problems()}; a bad setting is replaced by its default and reported.
 * When no receiver or no exporter is left, {@link Result#config()} is null: there is nothing to
 * run, and the problems say why.
 */
public final class CollectorConfigBuilder {
  /** Where the collector container finds the Secret keys the file reads as files. */
  public static final String SECRETS_DIR = "/etc/otelcol/secrets";

  /** Port of the {@code health_check} extension. */
  public static final int HEALTH_PORT = 13133;

  /** Path of the {@code health_check} extension: 200 once the collector runs. */
  public static final String HEALTH_PATH = "/";

  /** Port of the collector's own metrics, in Prometheus format at {@code /metrics}. */
  public static final int METRICS_PORT = 8888;

  /** The variable an agent's {@code k8s_attributes} reads its node name from. */
  public static final String NODE_NAME_ENV = "K8S_NODE_NAME";

  /** What every server listens on inside the pod. */
  public static final String ANY_HOST = "0.0.0.0";

  private CollectorConfigBuilder() {}

  /**
   * The configuration and what the collector pods need for it.
   *
   * @param config the configuration, ready for {@link CollectorConfigRenderer}; null when no
   *     receiver or no exporter could be rendered (the problems say why)
   * @param mountedKeys every Secret key the configuration reads as a file, at {@link
   *     #path(MountedKey)}: exactly what the collector pods must mount. All are in the pipeline's
   *     namespace
   * @param env the environment variables the configuration references, by name: Secret keys ({@code
   *     secretKeyRef}) for headers, and in agent mode {@value #NODE_NAME_ENV} from {@code
   *     spec.nodeName}; exactly what the collector container must set
   * @param ports the ports the collector listens on, in a fixed order: the receivers (named {@code
   *     otlp-grpc}, {@code otlp-http}, {@code jaeger-grpc}, {@code jaeger-thrift}, the UDP {@code
   *     jaeger-compact} and {@code jaeger-binary}, {@code zipkin}), then {@code metrics} and {@code
   *     health}
   * @param kubernetesAccess the read access {@code k8s_attributes} needs, as rules for the
   *     pipeline's ClusterRole (get, list, watch): pods and namespaces, replicasets when a
   *     deployment or replicaset is extracted, jobs for a job or cronjob, nodes for {@code
   *     k8s.node.uid}. Empty when {@code k8s_attributes} is off
   * @param problems what was left out or replaced, and why, in spec order
   */
  public record Result(
      CollectorConfig config,
      SortedSet<MountedKey> mountedKeys,
      List<EnvVar> env,
      List<ListenPort> ports,
      List<PolicyRule> kubernetesAccess,
      List<ConfigProblem> problems) {
    public Result {
      mountedKeys = Collections.unmodifiableSortedSet(new TreeSet<>(mountedKeys));
      env = List.copyOf(env);
      ports = List.copyOf(ports);
      kubernetesAccess = List.copyOf(kubernetesAccess);
      problems = List.copyOf(problems);
    }

    /**
     * The collector feature gates the file needs, for the container's {@code --feature-gates}:
     * {@value CollectorSpanMetrics#FEATURE_GATE} when it derives span metrics; empty otherwise.
     */
    public List<String> featureGates() {
      return config != null && config.connectors() != null
          ? List.of(CollectorSpanMetrics.FEATURE_GATE)
          : List.of();
    }
  }

  /**
   * A port a server of the pod listens on.
   *
   * @param name the port's name for the container and Service (at most 15 characters)
   * @param port the number
   * @param protocol {@value #TCP} or {@value #UDP}, as Kubernetes spells it in container, Service
   *     and NetworkPolicy ports
   */
  public record ListenPort(String name, int port, String protocol) {
    public static final String TCP = "TCP";
    public static final String UDP = "UDP";

    /** A TCP port. */
    public ListenPort(String name, int port) {
      this(name, port, TCP);
    }

    public ListenPort {
      if (!protocol.equals(TCP) && !protocol.equals(UDP)) {
        throw new IllegalArgumentException("protocol " + protocol + " is neither TCP nor UDP");
      }
    }
  }

  /** Where the collector container finds a mounted Secret key. */
  public static String path(MountedKey key) {
    return SECRETS_DIR + "/" + key.relativePath();
  }

  /**
   * @throws IllegalArgumentException on a caller's mistake: a pipeline without namespace, name or
   *     spec
   */
  public static Result build(TracingPipeline pipeline, CollectorConfigInputs inputs) {
    if (pipeline.getMetadata() == null
        || pipeline.getMetadata().getNamespace() == null
        || pipeline.getMetadata().getName() == null
        || pipeline.getSpec() == null) {
      throw new IllegalArgumentException("TracingPipeline without namespace, name or spec");
    }
    TracingPipelineSpec spec = pipeline.getSpec();
    CollectorBuild build =
        new CollectorBuild(pipeline.getMetadata().getNamespace(), inputs.clusterWide());

    Receivers receivers = CollectorReceivers.build(spec.receivers, build);
    build.ports.add(new ListenPort("metrics", METRICS_PORT));
    build.ports.add(new ListenPort("health", HEALTH_PORT));
    Processors processors =
        CollectorProcessors.build(
            spec.processors, spec.mode == TracingPipelineSpec.Mode.agent, build);
    SortedMap<String, Exporter> exporters = CollectorExporters.build(pipeline, inputs, build);
    SpanMetricsConnector spanMetrics =
        CollectorSpanMetrics.connector(
            spec.spanMetrics,
            exporters.containsKey(CollectorExporters.JAEGER_BACKEND_EXPORTER)
                ? CollectorExporters.JAEGER_BACKEND_EXPORTER
                : null,
            build);
    if (spanMetrics != null) {
      processors =
          processors.withSpanMetricsFilter(CollectorSpanMetrics.filter(spec.spanMetrics, build));
    }

    CollectorConfig config = null;
    if (CollectorPipelines.receiverIds(receivers).isEmpty()) {
      build.problem(
          "spec.receivers", "no receiver is left: enable at least one; nothing is deployed");
    } else if (exporters.isEmpty()) {
      build.problem(
          "spec.exporters", "no exporter is left: fix the problems above; nothing is deployed");
    } else {
      config =
          new CollectorConfig(
              receivers,
              processors,
              exporters,
              spanMetrics == null ? null : new Connectors(spanMetrics),
              CollectorPipelines.extensions(),
              CollectorPipelines.service(receivers, processors, exporters, spanMetrics != null));
    }
    return new Result(
        config,
        build.mounted,
        List.copyOf(build.env.values()),
        build.ports,
        KubernetesAccessRules.of(processors.k8sAttributes(), inputs.clusterWide()),
        build.problems);
  }
}
