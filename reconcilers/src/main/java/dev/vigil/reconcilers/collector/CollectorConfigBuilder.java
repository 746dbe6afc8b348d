package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.BatchSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ExportersSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.GatewayReference;
import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.K8sAttributesSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.MemoryLimiterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.OtlpExporterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ProcessorsSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiverPort;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiversSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.SamplingSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.AssociationSource;
import dev.vigil.reconcilers.collector.CollectorConfig.Batch;
import dev.vigil.reconcilers.collector.CollectorConfig.DebugExporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Endpoint;
import dev.vigil.reconcilers.collector.CollectorConfig.Exporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Extensions;
import dev.vigil.reconcilers.collector.CollectorConfig.FieldExtract;
import dev.vigil.reconcilers.collector.CollectorConfig.HealthCheck;
import dev.vigil.reconcilers.collector.CollectorConfig.JaegerProtocols;
import dev.vigil.reconcilers.collector.CollectorConfig.JaegerReceiver;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sAttributes;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sExtract;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sFilter;
import dev.vigil.reconcilers.collector.CollectorConfig.MemoryLimiter;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpExporter;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpProtocols;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpReceiver;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipeline;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipelines;
import dev.vigil.reconcilers.collector.CollectorConfig.PodAssociation;
import dev.vigil.reconcilers.collector.CollectorConfig.Policy;
import dev.vigil.reconcilers.collector.CollectorConfig.ProbabilisticSampler;
import dev.vigil.reconcilers.collector.CollectorConfig.Processors;
import dev.vigil.reconcilers.collector.CollectorConfig.Receivers;
import dev.vigil.reconcilers.collector.CollectorConfig.Service;
import dev.vigil.reconcilers.collector.CollectorConfig.TailSampling;
import dev.vigil.reconcilers.collector.CollectorConfig.Telemetry;
import dev.vigil.reconcilers.collector.CollectorConfig.Tls;
import dev.vigil.reconcilers.collector.CollectorConfig.ZipkinReceiver;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds the {@link CollectorConfig} of a TracingPipeline's collectors (every pod of the gateway
 * Deployment or agent DaemonSet runs the same file). Pure: the same arguments give an equal result.
 *
 * <ul>
 *   <li><b>Receivers</b> listen on {@code 0.0.0.0} at the spec's ports: {@code otlp} (gRPC 4317,
 *       HTTP 4318, on unless turned off), {@code jaeger} (gRPC 14250, Thrift HTTP 14268) and {@code
 *       zipkin} (9411) once their block is present.
 *   <li><b>Processors</b> always run in this order: {@code memory_limiter} (on unless turned off),
 *       {@code k8s_attributes} (on unless turned off; an agent only watches its own node's pods,
 *       through {@value #NODE_NAME_ENV}), {@code probabilistic_sampler} or {@code tail_sampling},
 *       {@code batch} (always on).
 *   <li><b>Exporters</b>, by id: {@code otlp_grpc/<name>} or {@code otlp_http/<name>} per {@code
 *       exporters.otlp[]} entry; {@code otlp_grpc/jaeger_backend} to the pipeline's own Jaeger
 *       ({@link CollectorNames#jaegerService}, port {@value JaegerConfigBuilder#OTLP_GRPC_PORT}, no
 *       TLS inside the cluster); {@code otlp_grpc/gateway_pipeline} (or {@code
 *       otlp_http/gateway_pipeline} when the gateway only takes OTLP HTTP) to the gateway
 *       pipeline's Service ({@link CollectorNames#collectorService}); {@code debug}. User exporter
 *       names are DNS labels, which cannot hold the {@code _} of Vigil's own ids, so they never
 *       collide.
 *   <li>The {@code health_check} extension on {@value #HEALTH_PORT} (path {@value #HEALTH_PATH}),
 *       for the probes, and the collector's own metrics for Prometheus on {@value #METRICS_PORT}.
 * </ul>
 *
 * <p>Credentials are never written into the file. A header taken from a Secret is an {@code
 * ${env:VIGIL_OTLP_<EXPORTER>_HEADER_<HEADER>}} reference, and {@link Result#env()} says which
 * Secret key each variable comes from; TLS material is a file at {@link #path(MountedKey)}, and
 * {@link Result#mountedKeys()} lists the keys to mount there. Literal header values (which the spec
 * stores in plain text) are written with {@code $} doubled, so they are never expanded.
 *
 * <p>The collector refuses its whole configuration over one bad part, so what it would refuse is
 * checked here. An exporter or tail-sampling policy that cannot be rendered (a missing Secret key,
 * an unknown or unreachable gateway pipeline, a policy without its settings, ...) is left out and
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

  static final String JAEGER_BACKEND_EXPORTER = "otlp_grpc/jaeger_backend";
  static final String GATEWAY_EXPORTER = "gateway_pipeline";

  static final String DEFAULT_CHECK_INTERVAL = "1s";
  static final int DEFAULT_LIMIT_PERCENTAGE = 80;
  static final int DEFAULT_SPIKE_LIMIT_PERCENTAGE = 25;
  static final String DEFAULT_BATCH_TIMEOUT = "200ms";
  static final int DEFAULT_SEND_BATCH_SIZE = 8192;
  static final String DEFAULT_DECISION_WAIT = "30s";

  /** What {@code k8s_attributes} adds when the spec names nothing. */
  static final List<String> DEFAULT_METADATA =
      List.of(
          "k8s.namespace.name",
          "k8s.pod.name",
          "k8s.pod.uid",
          "k8s.deployment.name",
          "k8s.node.name",
          "k8s.pod.start_time");

  /**
   * The metadata {@code k8s_attributes} can extract (collector 0.160; it refuses any other name).
   * Most need read access to pods only; deployment names need replicasets, job and cronjob names
   * need jobs, {@code k8s.node.uid} needs nodes, {@code k8s.cluster.uid} needs namespaces.
   */
  static final Set<String> SUPPORTED_METADATA =
      Set.of(
          "k8s.namespace.name",
          "k8s.pod.name",
          "k8s.pod.uid",
          "k8s.pod.hostname",
          "k8s.pod.ip",
          "k8s.pod.start_time",
          "k8s.deployment.name",
          "k8s.deployment.uid",
          "k8s.replicaset.name",
          "k8s.replicaset.uid",
          "k8s.daemonset.name",
          "k8s.daemonset.uid",
          "k8s.statefulset.name",
          "k8s.statefulset.uid",
          "k8s.job.name",
          "k8s.job.uid",
          "k8s.cronjob.name",
          "k8s.cronjob.uid",
          "k8s.node.name",
          "k8s.node.uid",
          "k8s.container.name",
          "container.id",
          "container.image.name",
          "container.image.tag",
          "container.image.repo_digests",
          "k8s.cluster.uid",
          "service.namespace",
          "service.name",
          "service.version",
          "service.instance.id");

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final Pattern EXPORTER_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

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
   *     otlp-grpc}, {@code otlp-http}, {@code jaeger-grpc}, {@code jaeger-thrift}, {@code zipkin}),
   *     then {@code metrics} and {@code health}
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
  }

  /**
   * A port a server of the pod listens on.
   *
   * @param name the port's name for the container and Service (at most 15 characters)
   * @param port the number
   */
  public record ListenPort(String name, int port) {}

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
    return new Build(pipeline, inputs).run();
  }

  /** The state of one build. */
  private static final class Build {
    final TracingPipeline pipeline;
    final TracingPipelineSpec spec;
    final String namespace;
    final CollectorConfigInputs inputs;
    final SortedSet<MountedKey> mounted = new TreeSet<>();
    final SortedMap<String, EnvVar> env = new TreeMap<>();
    final List<ListenPort> ports = new ArrayList<>();
    final List<ConfigProblem> problems = new ArrayList<>();

    Build(TracingPipeline pipeline, CollectorConfigInputs inputs) {
      this.pipeline = pipeline;
      this.spec = pipeline.getSpec();
      this.namespace = pipeline.getMetadata().getNamespace();
      this.inputs = inputs;
    }

    Result run() {
      List<String> receiverIds = new ArrayList<>();
      Receivers receivers = receivers(receiverIds);
      ports.add(new ListenPort("metrics", METRICS_PORT));
      ports.add(new ListenPort("health", HEALTH_PORT));

      List<String> processorIds = new ArrayList<>();
      Processors processors = processors(processorIds);

      SortedMap<String, Exporter> exporters = exporters();
      CollectorConfig config = null;
      if (receiverIds.isEmpty()) {
        problem("spec.receivers", "no receiver is left: enable at least one; nothing is deployed");
      } else if (exporters.isEmpty()) {
        problem(
            "spec.exporters", "no exporter is left: fix the problems above; nothing is deployed");
      } else {
        config =
            new CollectorConfig(
                receivers,
                processors,
                exporters,
                new Extensions(new HealthCheck(ANY_HOST + ":" + HEALTH_PORT, HEALTH_PATH)),
                new Service(
                    List.of("health_check"),
                    Telemetry.prometheus(ANY_HOST, METRICS_PORT),
                    new Pipelines(
                        new Pipeline(receiverIds, processorIds, List.copyOf(exporters.keySet())))));
      }
      return new Result(
          config,
          mounted,
          List.copyOf(env.values()),
          ports,
          kubernetesAccess(processors.k8sAttributes()),
          problems);
    }

    private static List<PolicyRule> kubernetesAccess(K8sAttributes processor) {
      if (processor == null) {
        return List.of();
      }
      List<String> metadata = processor.extract().metadata();
      List<PolicyRule> rules = new ArrayList<>();
      rules.add(
          readRule(
              "",
              metadata.contains("k8s.node.uid")
                  ? List.of("namespaces", "nodes", "pods")
                  : List.of("namespaces", "pods")));
      if (metadata.stream()
          .anyMatch(m -> m.startsWith("k8s.deployment.") || m.startsWith("k8s.replicaset."))) {
        rules.add(readRule("apps", List.of("replicasets")));
      }
      if (metadata.stream()
          .anyMatch(m -> m.startsWith("k8s.job.") || m.startsWith("k8s.cronjob."))) {
        rules.add(readRule("batch", List.of("jobs")));
      }
      return rules;
    }

    private static PolicyRule readRule(String apiGroup, List<String> resources) {
      return new PolicyRuleBuilder()
          .withApiGroups(apiGroup)
          .withResources(resources)
          .withVerbs("get", "list", "watch")
          .build();
    }

    // ---- receivers ----

    private Receivers receivers(List<String> ids) {
      ReceiversSpec spec = Objects.requireNonNullElseGet(this.spec.receivers, ReceiversSpec::new);
      Set<Integer> used = new HashSet<>(List.of(METRICS_PORT, HEALTH_PORT));
      Integer otlpGrpc =
          port(spec.otlpGrpc, true, ReceiversSpec.OTLP_GRPC_PORT, "otlpGrpc", "otlp-grpc", used);
      Integer otlpHttp =
          port(spec.otlpHttp, true, ReceiversSpec.OTLP_HTTP_PORT, "otlpHttp", "otlp-http", used);
      Integer jaegerGrpc =
          port(
              spec.jaegerGrpc,
              false,
              ReceiversSpec.JAEGER_GRPC_PORT,
              "jaegerGrpc",
              "jaeger-grpc",
              used);
      Integer jaegerThrift =
          port(
              spec.jaegerThriftHttp,
              false,
              ReceiversSpec.JAEGER_THRIFT_HTTP_PORT,
              "jaegerThriftHttp",
              "jaeger-thrift",
              used);
      Integer zipkin =
          port(spec.zipkin, false, ReceiversSpec.ZIPKIN_PORT, "zipkin", "zipkin", used);

      OtlpReceiver otlp = null;
      if (otlpGrpc != null || otlpHttp != null) {
        otlp = new OtlpReceiver(new OtlpProtocols(endpoint(otlpGrpc), endpoint(otlpHttp)));
        ids.add("otlp");
      }
      JaegerReceiver jaeger = null;
      if (jaegerGrpc != null || jaegerThrift != null) {
        jaeger =
            new JaegerReceiver(new JaegerProtocols(endpoint(jaegerGrpc), endpoint(jaegerThrift)));
        ids.add("jaeger");
      }
      ZipkinReceiver zipkinReceiver = null;
      if (zipkin != null) {
        zipkinReceiver = new ZipkinReceiver(ANY_HOST + ":" + zipkin);
        ids.add("zipkin");
      }
      return new Receivers(otlp, jaeger, zipkinReceiver);
    }

    /** The port of an enabled receiver, or null. */
    private Integer port(
        ReceiverPort spec,
        boolean onByDefault,
        int standard,
        String field,
        String name,
        Set<Integer> used) {
      boolean on = spec == null ? onByDefault : !Boolean.FALSE.equals(spec.enabled);
      if (!on) {
        return null;
      }
      int port = spec == null || spec.port == null ? standard : spec.port;
      if (port < 1 || port > 65535) {
        problem("spec.receivers." + field + ".port", port + " is not a port; the receiver is off");
        return null;
      }
      if (!used.add(port)) {
        problem(
            "spec.receivers." + field + ".port",
            "port "
                + port
                + " is already taken (by another receiver, or the collector's metrics "
                + METRICS_PORT
                + " or health "
                + HEALTH_PORT
                + "); the receiver is off");
        return null;
      }
      ports.add(new ListenPort(name, port));
      return port;
    }

    private static Endpoint endpoint(Integer port) {
      return port == null ? null : new Endpoint(ANY_HOST + ":" + port);
    }

    // ---- processors ----

    private Processors processors(List<String> ids) {
      ProcessorsSpec spec =
          Objects.requireNonNullElseGet(this.spec.processors, ProcessorsSpec::new);
      MemoryLimiter memoryLimiter = memoryLimiter(spec.memoryLimiter);
      if (memoryLimiter != null) {
        ids.add("memory_limiter");
      }
      K8sAttributes k8sAttributes = k8sAttributes(spec.k8sAttributes);
      if (k8sAttributes != null) {
        ids.add("k8s_attributes");
      }
      ProbabilisticSampler probabilistic = null;
      TailSampling tail = null;
      SamplingSpec sampling = spec.sampling;
      if (sampling != null) {
        if (sampling.tail != null) {
          if (sampling.probabilisticPercentage != null) {
            problem(
                "spec.processors.sampling",
                "set exactly one of probabilisticPercentage or tail; probabilisticPercentage is"
                    + " ignored");
          }
          tail = tailSampling(sampling.tail);
        } else if (sampling.probabilisticPercentage != null) {
          double percentage = sampling.probabilisticPercentage;
          if (percentage >= 0 && percentage <= 100) {
            probabilistic = new ProbabilisticSampler(percentage);
          } else {
            problem(
                "spec.processors.sampling.probabilisticPercentage",
                percentage + " is not between 0 and 100; every trace is kept");
          }
        }
      }
      if (probabilistic != null) {
        ids.add("probabilistic_sampler");
      }
      if (tail != null) {
        ids.add("tail_sampling");
      }
      Batch batch = batch(Objects.requireNonNullElseGet(spec.batch, BatchSpec::new));
      ids.add("batch");
      return new Processors(memoryLimiter, k8sAttributes, probabilistic, tail, batch);
    }

    private MemoryLimiter memoryLimiter(MemoryLimiterSpec spec) {
      if (spec != null && Boolean.FALSE.equals(spec.enabled)) {
        return null;
      }
      spec = Objects.requireNonNullElseGet(spec, MemoryLimiterSpec::new);
      String field = "spec.processors.memoryLimiter";
      String interval =
          duration(spec.checkInterval, DEFAULT_CHECK_INTERVAL, field + ".checkInterval");
      int limit = Objects.requireNonNullElse(spec.limitPercentage, DEFAULT_LIMIT_PERCENTAGE);
      if (limit < 1 || limit > 100) {
        problem(
            field + ".limitPercentage",
            limit + " is not between 1 and 100; using " + DEFAULT_LIMIT_PERCENTAGE);
        limit = DEFAULT_LIMIT_PERCENTAGE;
      }
      // The collector needs the spike headroom below the limit: a default never breaks that
      // (under a low limit it takes the collector's own default, a fifth of the limit).
      int defaultSpike =
          limit > DEFAULT_SPIKE_LIMIT_PERCENTAGE ? DEFAULT_SPIKE_LIMIT_PERCENTAGE : limit / 5;
      int spike = Objects.requireNonNullElse(spec.spikeLimitPercentage, defaultSpike);
      if (spike < 0 || spike >= limit) {
        problem(
            field + ".spikeLimitPercentage",
            spike + " must be lower than limitPercentage " + limit + "; using " + defaultSpike);
        spike = defaultSpike;
      }
      return new MemoryLimiter(interval, limit, spike == 0 ? null : spike);
    }

    private K8sAttributes k8sAttributes(K8sAttributesSpec spec) {
      if (spec != null && Boolean.FALSE.equals(spec.enabled)) {
        return null;
      }
      spec = Objects.requireNonNullElseGet(spec, K8sAttributesSpec::new);
      List<String> metadata = DEFAULT_METADATA;
      if (spec.metadata != null && !spec.metadata.isEmpty()) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : spec.metadata) {
          if (SUPPORTED_METADATA.contains(name)) {
            chosen.add(name);
          } else {
            problem(
                "spec.processors.k8sAttributes.metadata",
                "\""
                    + name
                    + "\" is not metadata the k8s_attributes processor extracts; it is left out");
          }
        }
        metadata = chosen.isEmpty() ? DEFAULT_METADATA : List.copyOf(chosen);
      }
      List<FieldExtract> labels = new ArrayList<>();
      if (spec.podLabels != null) {
        // Sorted, blanks dropped: the schema refuses them, an object that skipped it may not.
        spec.podLabels.stream()
            .filter(key -> key != null && !key.isBlank())
            .distinct()
            .sorted()
            .forEach(key -> labels.add(new FieldExtract("k8s.pod.labels." + key, key, "pod")));
      }
      K8sFilter filter = null;
      if (this.spec.mode == TracingPipelineSpec.Mode.agent) {
        filter = new K8sFilter(NODE_NAME_ENV);
        env.put(
            NODE_NAME_ENV,
            new EnvVarBuilder()
                .withName(NODE_NAME_ENV)
                .withNewValueFrom()
                .withNewFieldRef()
                .withApiVersion("v1") // as the API server stores it: see PodParts.mount
                .withFieldPath("spec.nodeName")
                .endFieldRef()
                .endValueFrom()
                .build());
      }
      // Spans name their pod by IP (set by an SDK or an agent) or arrive from it directly.
      List<PodAssociation> association =
          List.of(
              new PodAssociation(
                  List.of(new AssociationSource("resource_attribute", "k8s.pod.ip"))),
              new PodAssociation(
                  List.of(new AssociationSource("resource_attribute", "k8s.pod.uid"))),
              new PodAssociation(List.of(new AssociationSource("connection", null))));
      return new K8sAttributes(
          "serviceAccount", false, filter, new K8sExtract(metadata, labels), association);
    }

    private TailSampling tailSampling(TailSamplingSpec spec) {
      String field = "spec.processors.sampling.tail";
      String wait = duration(spec.decisionWait, DEFAULT_DECISION_WAIT, field + ".decisionWait");
      List<Policy> policies = new ArrayList<>();
      Set<String> names = new HashSet<>();
      List<TailSamplingPolicy> specs = spec.policies == null ? List.of() : spec.policies;
      for (int i = 0; i < specs.size(); i++) {
        TailSamplingPolicy policy = specs.get(i);
        String policyField = field + ".policies[" + i + "]";
        if (policy == null || policy.name == null || policy.name.isEmpty()) {
          problem(policyField, "a name is required; the policy is left out");
          continue;
        }
        if (!names.add(policy.name)) {
          problem(
              policyField,
              "the name \"" + policy.name + "\" is used twice; this policy is left out");
          continue;
        }
        try {
          policies.add(TailSamplingPolicies.policy(policy));
        } catch (Unrenderable e) {
          problem(
              policyField + " (" + policy.name + ")", e.getMessage() + "; the policy is left out");
        }
      }
      if (policies.isEmpty()) {
        problem(field, "no policy can be rendered; tail sampling is off and every trace is kept");
        return null;
      }
      return new TailSampling(wait, spec.numTraces, spec.expectedNewTracesPerSec, policies);
    }

    private Batch batch(BatchSpec spec) {
      String field = "spec.processors.batch";
      String timeout = duration(spec.timeout, DEFAULT_BATCH_TIMEOUT, field + ".timeout");
      int size = Objects.requireNonNullElse(spec.sendBatchSize, DEFAULT_SEND_BATCH_SIZE);
      if (size < 1) {
        problem(
            field + ".sendBatchSize", size + " is not positive; using " + DEFAULT_SEND_BATCH_SIZE);
        size = DEFAULT_SEND_BATCH_SIZE;
      }
      Integer max = spec.sendBatchMaxSize;
      if (max != null && max != 0 && max < size) {
        problem(
            field + ".sendBatchMaxSize",
            max + " is lower than sendBatchSize " + size + "; batches are not limited");
        max = null;
      }
      return new Batch(timeout, size, max == null || max == 0 ? null : max);
    }

    // ---- exporters ----

    private SortedMap<String, Exporter> exporters() {
      ExportersSpec spec = Objects.requireNonNullElseGet(this.spec.exporters, ExportersSpec::new);
      SortedMap<String, Exporter> exporters = new TreeMap<>();
      Set<String> names = new HashSet<>();
      List<OtlpExporterSpec> otlp = spec.otlp == null ? List.of() : spec.otlp;
      for (int i = 0; i < otlp.size(); i++) {
        OtlpExporterSpec exporter = otlp.get(i);
        String field = "spec.exporters.otlp[" + i + "]";
        attempt(
            field,
            exporters,
            refs -> {
              if (exporter == null
                  || exporter.name == null
                  || !EXPORTER_NAME.matcher(exporter.name).matches()
                  || exporter.name.length() > 32) {
                throw new Unrenderable(
                    "name \""
                        + (exporter == null ? null : exporter.name)
                        + "\" must be a lower-case DNS label of at most 32 characters");
              }
              if (!names.add(exporter.name)) {
                throw new Unrenderable("the name \"" + exporter.name + "\" is used twice");
              }
              return otlpExporter(exporter, field, refs);
            });
      }
      JaegerBackendSpec jaeger = spec.jaeger;
      if (jaeger != null && !Boolean.FALSE.equals(jaeger.enabled)) {
        String host =
            CollectorNames.serviceHost(
                CollectorNames.jaegerService(pipeline.getMetadata().getName()), namespace);
        exporters.put(
            JAEGER_BACKEND_EXPORTER,
            new OtlpExporter(
                host + ":" + JaegerConfigBuilder.OTLP_GRPC_PORT, null, Tls.INSECURE, null));
      }
      if (spec.gateway != null) {
        attempt("spec.exporters.gateway", exporters, refs -> gatewayExporter(spec.gateway));
      }
      if (spec.debug != null) {
        String verbosity = spec.debug.verbosity == null ? "basic" : spec.debug.verbosity.name();
        exporters.put("debug", new DebugExporter(verbosity));
      }
      return exporters;
    }

    /** Builds one exporter: all of it with its Secret references, or nothing and a problem. */
    private void attempt(
        String field,
        SortedMap<String, Exporter> exporters,
        Function<SecretRefs, Map.Entry<String, Exporter>> build) {
      SecretRefs refs = new SecretRefs();
      try {
        Map.Entry<String, Exporter> built = build.apply(refs);
        for (String name : refs.env.keySet()) {
          if (env.containsKey(name)) {
            throw new Unrenderable(
                "its environment variable " + name + " is already used by another exporter");
          }
        }
        exporters.put(built.getKey(), built.getValue());
        mounted.addAll(refs.files);
        env.putAll(refs.env);
      } catch (Unrenderable e) {
        problem(field, e.getMessage() + "; the exporter is left out");
      }
    }

    private Map.Entry<String, Exporter> otlpExporter(
        OtlpExporterSpec spec, String field, SecretRefs refs) {
      boolean http = spec.protocol == OtlpExporterSpec.Protocol.http;
      String id = (http ? "otlp_http/" : "otlp_grpc/") + spec.name;
      if (spec.endpoint == null || spec.endpoint.isBlank()) {
        throw new Unrenderable("an endpoint is required");
      }
      if (http && !spec.endpoint.matches("https?://[^\\s]+")) {
        throw new Unrenderable(
            "endpoint \"" + spec.endpoint + "\" of an http exporter must be an http(s):// URL");
      }
      if (spec.endpoint.matches("(?s).*\\s.*")) {
        throw new Unrenderable("endpoint \"" + spec.endpoint + "\" contains white space");
      }
      boolean insecure = Boolean.TRUE.equals(spec.insecure);
      OtlpExporterSpec.OtlpTlsSpec tlsSpec = spec.tls;
      Tls tls = null;
      if (tlsSpec != null) {
        if (insecure
            && (tlsSpec.ca != null
                || tlsSpec.cert != null
                || tlsSpec.key != null
                || tlsSpec.serverName != null
                || tlsSpec.insecureSkipVerify != null)) {
          throw new Unrenderable("insecure: true sends without TLS; remove it or the tls block");
        }
        if ((tlsSpec.cert == null) != (tlsSpec.key == null)) {
          throw new Unrenderable(
              "tls: a client certificate (cert) needs its key, and the other way round");
        }
        tls =
            new Tls(
                null,
                tlsSpec.ca == null ? null : refs.file(tlsSpec.ca, "tls.ca"),
                tlsSpec.cert == null ? null : refs.file(tlsSpec.cert, "tls.cert"),
                tlsSpec.key == null ? null : refs.file(tlsSpec.key, "tls.key"),
                tlsSpec.serverName,
                tlsSpec.insecureSkipVerify);
      } else if (insecure) {
        if (http) {
          if (spec.endpoint.startsWith("https://")) {
            throw new Unrenderable(
                "insecure: true with an https:// endpoint: an http exporter's URL scheme decides;"
                    + " use http:// to send without TLS");
          }
        } else {
          tls = Tls.INSECURE;
        }
      }
      SortedMap<String, String> headers = new TreeMap<>();
      Set<String> seen = new HashSet<>();
      List<OtlpExporterSpec.HeaderSpec> headerSpecs =
          spec.headers == null ? List.of() : spec.headers;
      for (int i = 0; i < headerSpecs.size(); i++) {
        OtlpExporterSpec.HeaderSpec header = headerSpecs.get(i);
        String headerField = "headers[" + i + "]";
        if (header == null || header.name == null || !HEADER_NAME.matcher(header.name).matches()) {
          throw new Unrenderable(
              headerField
                  + ": \""
                  + (header == null ? null : header.name)
                  + "\" is not an HTTP header name");
        }
        if (!seen.add(header.name.toLowerCase(Locale.ROOT))) {
          throw new Unrenderable(headerField + ": header " + header.name + " is set twice");
        }
        if ((header.value == null) == (header.valueFrom == null)) {
          throw new Unrenderable(headerField + ": set exactly one of value or valueFrom");
        }
        if (header.value != null) {
          headers.put(header.name, header.value.replace("$", "$$"));
        } else {
          String variable = headerVariable(spec.name, header.name);
          headers.put(
              header.name, refs.env(variable, header.valueFrom, headerField + ".valueFrom"));
        }
      }
      String compression = spec.compression == null ? null : spec.compression.name();
      return Map.entry(id, new OtlpExporter(spec.endpoint, compression, tls, headers));
    }

    private Map.Entry<String, Exporter> gatewayExporter(GatewayReference reference) {
      String gatewayNamespace = Objects.requireNonNullElse(reference.namespace, namespace);
      if (reference.name == null || reference.name.isEmpty()) {
        throw new Unrenderable("name is required");
      }
      String described = gatewayNamespace + "/" + reference.name;
      if (reference.name.equals(pipeline.getMetadata().getName())
          && gatewayNamespace.equals(namespace)) {
        throw new Unrenderable("names this pipeline itself");
      }
      Optional<TracingPipeline> found = inputs.pipelines().find(gatewayNamespace, reference.name);
      if (found.isEmpty()) {
        throw new Unrenderable("TracingPipeline " + described + " does not exist");
      }
      TracingPipelineSpec gateway = found.get().getSpec();
      if (gateway == null || gateway.mode != TracingPipelineSpec.Mode.gateway) {
        throw new Unrenderable(
            "TracingPipeline " + described + " is not in gateway mode; agents have no Service");
      }
      ReceiversSpec receivers =
          Objects.requireNonNullElseGet(gateway.receivers, ReceiversSpec::new);
      String host =
          CollectorNames.serviceHost(
              CollectorNames.collectorService(reference.name), gatewayNamespace);
      if (receivers.otlpGrpc == null || !Boolean.FALSE.equals(receivers.otlpGrpc.enabled)) {
        int port = receiverPort(receivers.otlpGrpc, ReceiversSpec.OTLP_GRPC_PORT);
        return Map.entry(
            "otlp_grpc/" + GATEWAY_EXPORTER,
            new OtlpExporter(host + ":" + port, null, Tls.INSECURE, null));
      }
      if (receivers.otlpHttp == null || !Boolean.FALSE.equals(receivers.otlpHttp.enabled)) {
        int port = receiverPort(receivers.otlpHttp, ReceiversSpec.OTLP_HTTP_PORT);
        return Map.entry(
            "otlp_http/" + GATEWAY_EXPORTER,
            new OtlpExporter("http://" + host + ":" + port, null, null, null));
      }
      throw new Unrenderable("TracingPipeline " + described + " accepts no OTLP");
    }

    private static int receiverPort(ReceiverPort spec, int standard) {
      return spec == null || spec.port == null ? standard : spec.port;
    }

    // ---- helpers ----

    private String duration(String value, String fallback, String field) {
      if (value == null || value.isEmpty()) {
        return fallback;
      }
      if (!GoDurations.isPositive(value)) {
        problem(field, "\"" + value + "\" is not a positive Go duration; using " + fallback);
        return fallback;
      }
      return value;
    }

    private void problem(String field, String message) {
      problems.add(new ConfigProblem(field, message));
    }

    /** The Secret keys one exporter reads; kept only when the exporter is. */
    private final class SecretRefs {
      final SortedSet<MountedKey> files = new TreeSet<>();
      final SortedMap<String, EnvVar> env = new TreeMap<>();

      /** The path of a mounted Secret key. */
      String file(SecretKeySelector selector, String field) {
        MountedKey key = key(selector, field);
        files.add(key);
        return path(key);
      }

      /** An {@code ${env:...}} reference to a Secret key exposed as a variable. */
      String env(String variable, SecretKeySelector selector, String field) {
        MountedKey key = key(selector, field);
        if (env.containsKey(variable)) {
          throw new Unrenderable(field + ": two headers map to variable " + variable);
        }
        env.put(
            variable,
            new EnvVarBuilder()
                .withName(variable)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(key.name())
                .withKey(key.key())
                .endSecretKeyRef()
                .endValueFrom()
                .build());
        return "${env:" + variable + "}";
      }

      private MountedKey key(SecretKeySelector selector, String field) {
        MountedKey key;
        try {
          key = MountedKey.secret(namespace, selector.getName(), selector.getKey());
        } catch (IllegalArgumentException e) {
          throw new Unrenderable(field + ": " + e.getMessage());
        }
        if (!inputs.keyExists().test(key)) {
          throw new Unrenderable(field + ": " + key.describe() + " does not exist");
        }
        return key;
      }
    }
  }

  /**
   * {@code VIGIL_OTLP_<EXPORTER>_HEADER_<HEADER>}: upper case, every other character than a letter
   * or digit turned into {@code _}.
   */
  static String headerVariable(String exporter, String header) {
    return "VIGIL_OTLP_" + variablePart(exporter) + "_HEADER_" + variablePart(header);
  }

  private static String variablePart(String s) {
    return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
