package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.logpipeline.LogBackendsSpec;
import dev.vigil.api.v1alpha1.logpipeline.LogLimits;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec;
import dev.vigil.api.v1alpha1.logpipeline.LogSelection;
import dev.vigil.reconcilers.collector.CollectorConfig.Batch;
import dev.vigil.reconcilers.collector.CollectorConfig.DebugExporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Exporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Extensions;
import dev.vigil.reconcilers.collector.CollectorConfig.FileLogReceiver;
import dev.vigil.reconcilers.collector.CollectorConfig.FileStorage;
import dev.vigil.reconcilers.collector.CollectorConfig.HealthCheck;
import dev.vigil.reconcilers.collector.CollectorConfig.MemoryLimiter;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpExporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipeline;
import dev.vigil.reconcilers.collector.CollectorConfig.Pipelines;
import dev.vigil.reconcilers.collector.CollectorConfig.Processors;
import dev.vigil.reconcilers.collector.CollectorConfig.Receivers;
import dev.vigil.reconcilers.collector.CollectorConfig.SendingQueue;
import dev.vigil.reconcilers.collector.CollectorConfig.Service;
import dev.vigil.reconcilers.collector.CollectorConfig.Telemetry;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.ListenPort;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder.Result;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the {@link CollectorConfig} of a LogPipeline's node agents: the {@code filelog} receiver
 * on the node's pod log files ({@link LogFileOperators} reads each line), {@code k8s_attributes}
 * for the workload, labels and annotations ({@link LogMetadataProcessor}), a {@code filter} for the
 * pod selector, and one exporter per backend, each with a send queue on disk. Pure: the same
 * arguments give an equal result.
 *
 * <p>Which files: the kubelet writes {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/
 * <restart>.log}; namespace, pod and container names cannot hold {@code _} or {@code /}, so a glob
 * per selected namespace and container name selects exactly their files, and an unselected file is
 * never opened. Pod labels are not in the path: the pod selector is a filter after {@code
 * k8s_attributes}. No agent reads any LogPipeline agent's files.
 *
 * <p>Restarts: {@code filelog} keeps its read offsets, and every exporter its queue, in the {@code
 * file_storage} extension at {@value #STATE_DIR} (a host directory per pipeline), and starts new
 * files at their beginning. A stopped agent resumes where it stopped, neither losing nor repeating
 * lines (docs/logpipeline.md says what a crash can repeat).
 */
public final class LogAgentConfigBuilder {
  /** Where the agent container sees the node's pod logs (the host path is mounted here). */
  public static final String POD_LOGS_DIR = "/var/log/pods";

  /** Where the agent container keeps its checkpoints and queues (a host directory). */
  public static final String STATE_DIR = "/var/lib/otelcol/state";

  /** How every LogPipeline's agents' names start: their pods' log files are never read. */
  public static final String AGENTS_PREFIX = "vigil-logs-";

  /** The VictoriaLogs backend's exporter id. */
  static final String VICTORIA_LOGS_EXPORTER = "otlp_http/victoria_logs";

  /** Kubernetes fields VictoriaLogs keeps as the log stream: few values, and what users filter. */
  static final String STREAM_FIELDS = "k8s.namespace.name,k8s.pod.name,k8s.container.name";

  static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;
  static final int DEFAULT_MAX_QUEUED_BATCHES = 1000;

  /**
   * The most include globs an agent gets (namespaces times containers): it matches each against the
   * node's files on every poll, and the configuration must fit in a ConfigMap.
   */
  static final int MAX_GLOBS = 1000;

  /** The most namespaces an agent reads by name (a label selector may match many). */
  static final int MAX_NAMESPACE_GLOBS = 5000;

  private static final String STORAGE = "file_storage";

  private LogAgentConfigBuilder() {}

  /**
   * @throws IllegalArgumentException on a caller's mistake: a pipeline without namespace, name or
   *     spec
   */
  public static Result build(LogPipeline pipeline, LogAgentInputs inputs) {
    if (pipeline.getMetadata() == null
        || pipeline.getMetadata().getNamespace() == null
        || pipeline.getMetadata().getName() == null
        || pipeline.getSpec() == null) {
      throw new IllegalArgumentException("LogPipeline without namespace, name or spec");
    }
    LogPipelineSpec spec = pipeline.getSpec();
    CollectorBuild build =
        new CollectorBuild(pipeline.getMetadata().getNamespace(), inputs.clusterWide());
    build.ports.add(new ListenPort("metrics", CollectorConfigBuilder.METRICS_PORT));
    build.ports.add(new ListenPort("health", CollectorConfigBuilder.HEALTH_PORT));
    LogSelection selection = Objects.requireNonNullElseGet(spec.select, LogSelection::new);
    LogLimits limits = Objects.requireNonNullElseGet(spec.limits, LogLimits::new);
    int maxRecordBytes =
        Objects.requireNonNullElse(limits.maxRecordBytes, DEFAULT_MAX_RECORD_BYTES);
    int maxQueued = Objects.requireNonNullElse(limits.maxQueuedBatches, DEFAULT_MAX_QUEUED_BATCHES);

    if (inputs.namespaces() != null && inputs.namespaces().isEmpty()) {
      build.problem(
          "spec.select.namespaces",
          "selects no namespace now (a selector matching none, or every one excluded); nothing"
              + " is deployed until one is selected");
      return new Result(null, build.mounted, List.of(), build.ports, List.of(), build.problems);
    }
    if (inputs.namespaces() != null && inputs.namespaces().size() > MAX_NAMESPACE_GLOBS) {
      build.problem(
          "spec.select.namespaces",
          "selects "
              + inputs.namespaces().size()
              + " namespaces, more than the "
              + MAX_NAMESPACE_GLOBS
              + " an agent reads by name; select fewer, or every namespace (any: true) with"
              + " excludeNamespaces; nothing is deployed");
      return new Result(null, build.mounted, List.of(), build.ports, List.of(), build.problems);
    }
    // One glob per namespace and container, unless that makes too many: then the containers are
    // a filter on the records of every container of the selected namespaces.
    List<String> containers = names(selection.containers);
    boolean containersByGlob =
        containers.isEmpty()
            || (inputs.namespaces() == null ? 1 : inputs.namespaces().size()) * containers.size()
                <= MAX_GLOBS;
    FileLogReceiver filelog =
        new FileLogReceiver(
            include(inputs.namespaces(), containersByGlob ? containers : List.of()),
            exclude(inputs, selection),
            "beginning",
            true, // the container operator joins partial (P) lines only with the path
            false,
            maxRecordBytes,
            STORAGE,
            LogFileOperators.of(spec, maxRecordBytes, build));
    Processors processors =
        new Processors(
            new MemoryLimiter(
                CollectorProcessors.DEFAULT_CHECK_INTERVAL,
                CollectorProcessors.DEFAULT_LIMIT_PERCENTAGE,
                CollectorProcessors.DEFAULT_SPIKE_LIMIT_PERCENTAGE),
            LogMetadataProcessor.k8sAttributes(spec, build),
            null,
            null,
            LogMetadataProcessor.filter(
                selection.pods, containersByGlob ? List.of() : containers, build),
            new Batch(
                CollectorProcessors.DEFAULT_BATCH_TIMEOUT,
                CollectorProcessors.DEFAULT_SEND_BATCH_SIZE,
                null));
    SortedMap<String, Exporter> exporters = exporters(spec.backends, inputs, maxQueued, build);

    CollectorConfig config = null;
    if (exporters.isEmpty()) {
      build.problem(
          "spec.backends", "no backend is left: fix the problems above; nothing is deployed");
    } else {
      Receivers receivers = new Receivers(null, null, null, filelog);
      config =
          new CollectorConfig(
              receivers,
              processors,
              exporters,
              new Extensions(
                  new HealthCheck(
                      CollectorConfigBuilder.ANY_HOST + ":" + CollectorConfigBuilder.HEALTH_PORT,
                      CollectorConfigBuilder.HEALTH_PATH),
                  new FileStorage(STATE_DIR)),
              new Service(
                  List.of("health_check", STORAGE),
                  Telemetry.prometheus(
                      CollectorConfigBuilder.ANY_HOST, CollectorConfigBuilder.METRICS_PORT),
                  Pipelines.logs(
                      new Pipeline(
                          List.of("file_log"),
                          CollectorPipelines.processorIds(processors),
                          List.copyOf(exporters.keySet())))));
    }
    return new Result(
        config,
        build.mounted,
        List.copyOf(build.env.values()),
        build.ports,
        KubernetesAccessRules.of(processors.k8sAttributes(), inputs.clusterWide()),
        build.problems);
  }

  /**
   * A backend's name in the pipeline's status, from its exporter id: {@code victoriaLogs}, {@code
   * otlp/<name>}, {@code debug}.
   */
  public static String backendName(String exporterId) {
    if (exporterId.equals(VICTORIA_LOGS_EXPORTER)) {
      return "victoriaLogs";
    }
    if (exporterId.equals(DatadogIntake.ID)) {
      return "datadog";
    }
    if (exporterId.startsWith("otlp_grpc/") || exporterId.startsWith("otlp_http/")) {
      return "otlp/" + exporterId.substring(exporterId.indexOf('/') + 1);
    }
    return exporterId;
  }

  /** One glob per namespace and container; every namespace's when {@code namespaces} is null. */
  static List<String> include(Iterable<String> namespaces, List<String> containers) {
    List<String> podDirs = new ArrayList<>();
    if (namespaces == null) {
      podDirs.add(POD_LOGS_DIR + "/*_*_*");
    } else {
      namespaces.forEach(ns -> podDirs.add(POD_LOGS_DIR + "/" + ns + "_*_*"));
    }
    List<String> names = containers.isEmpty() ? List.of("*") : containers;
    List<String> globs = new ArrayList<>();
    for (String dir : podDirs) {
      for (String container : names) {
        globs.add(dir + "/" + container + "/*.log");
      }
    }
    return globs;
  }

  /** Names, sorted, without nulls or repeats; empty for none. */
  private static List<String> names(List<String> names) {
    return names == null
        ? List.of()
        : names.stream().filter(Objects::nonNull).distinct().sorted().toList();
  }

  /** Every agent's files, excluded namespaces (when reading all) and excluded containers. */
  private static List<String> exclude(LogAgentInputs inputs, LogSelection selection) {
    List<String> globs = new ArrayList<>();
    // Every pipeline's agents, not only this one's: two pipelines reading all namespaces would
    // otherwise read each other's logs (a debug backend's output, errors), each feeding the other.
    globs.add(POD_LOGS_DIR + "/" + inputs.agentsNamespace() + "_" + AGENTS_PREFIX + "*_*/*/*.log");
    if (inputs.namespaces() == null) {
      inputs
          .excludedNamespaces()
          .forEach(ns -> globs.add(POD_LOGS_DIR + "/" + ns + "_*_*/*/*.log"));
    }
    if (selection.excludeContainers != null) {
      selection.excludeContainers.stream()
          .filter(Objects::nonNull)
          .distinct()
          .sorted()
          .forEach(c -> globs.add(POD_LOGS_DIR + "/*_*_*/" + c + "/*.log"));
    }
    return globs;
  }

  private static SortedMap<String, Exporter> exporters(
      LogBackendsSpec backends, LogAgentInputs inputs, int maxQueued, CollectorBuild build) {
    LogBackendsSpec spec = Objects.requireNonNullElseGet(backends, LogBackendsSpec::new);
    SortedMap<String, Exporter> exporters = new TreeMap<>();
    if (spec.otlp != null) {
      CollectorExporters.otlpExporters(
          spec.otlp, "spec.backends.otlp", exporters, inputs.keyExists(), build);
    }
    if (inputs.victoriaLogs() != null) {
      exporters.put(
          VICTORIA_LOGS_EXPORTER,
          new OtlpExporter(
              inputs.victoriaLogs() + "/insert/opentelemetry",
              "gzip",
              null,
              Map.of("VL-Stream-Fields", STREAM_FIELDS)));
    }
    if (spec.datadog != null) {
      CollectorExporters.attempt(
          "spec.backends.datadog",
          exporters,
          inputs.keyExists(),
          build,
          refs ->
              Map.entry(
                  DatadogIntake.ID,
                  DatadogIntake.exporter(
                      spec.datadog, EnumSet.of(DatadogIntake.Signal.LOGS), refs)));
    }
    // Every network exporter queues on disk: a restarted agent sends what it had read.
    exporters.replaceAll(
        (id, exporter) ->
            exporter instanceof OtlpExporter otlp
                ? otlp.withSendingQueue(new SendingQueue(true, maxQueued, STORAGE))
                : exporter);
    if (spec.debug != null) {
      String verbosity = spec.debug.verbosity == null ? "basic" : spec.debug.verbosity.name();
      exporters.put("debug", new DebugExporter(verbosity));
    }
    return exporters;
  }
}
