package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogAgentSpec;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.logpipeline.LogSelection;
import dev.vigil.api.v1alpha1.logpipeline.VictoriaLogsSpec;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigRenderer;
import dev.vigil.reconcilers.collector.ConfigProblem;
import dev.vigil.reconcilers.collector.LogAgentConfigBuilder;
import dev.vigil.reconcilers.collector.LogAgentInputs;
import dev.vigil.reconcilers.digest.Sha256;
import dev.vigil.reconcilers.discovery.LabelSelection;
import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.references.ReferencedValues;
import dev.vigil.reconcilers.victorialogs.VictoriaLogsNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a pipeline's objects are made from, computed once per reconcile: the namespaces it reads,
 * the agents' configuration (by the pure {@link LogAgentConfigBuilder}) and what their pod needs,
 * and the credentials the agents need, copied from the pipeline's namespace into theirs.
 *
 * @param agentsNamespace where the agents run
 * @param clusterWide whether the pipeline is in a platform namespace: it may read any namespace,
 *     and its agents' read access is a ClusterRole; otherwise its own namespace only, with a Role
 * @param namespaces the namespaces read; null: every namespace but {@code excludedNamespaces}
 * @param agent what the builder made; its config is null when nothing can run
 * @param agentConfig the agents' configuration file, or null
 * @param credentials the agents' copy of every Secret key the configuration reads, by {@link
 *     #credentialKey} (base64, as a Secret's data); empty when it reads none
 * @param scopeProblems what the pipeline asked for beyond its reach, as "field: message"
 * @param values the Secret keys read, for the reconciler to watch
 * @param agentSpec the agents' settings as the pipeline may have them: a tenant's pipeline keeps
 *     only {@code nodeSelector} and {@code tolerations}, since the agents run as root with the
 *     node's directories mounted, in a namespace the tenant cannot reach (its own image, host
 *     paths, priority or resources there would be the platform's to give)
 */
record LogPlan(
    LogPipeline pipeline,
    String agentsNamespace,
    boolean clusterWide,
    SortedSet<String> namespaces,
    SortedSet<String> excludedNamespaces,
    CollectorConfigBuilder.Result agent,
    String agentConfig,
    SortedMap<String, String> credentials,
    List<String> scopeProblems,
    ReferencedValues values,
    LogAgentSpec agentSpec) {
  static final String CONTEXT_KEY = LogPlan.class.getName();
  static final String AGENT_IMAGE = "otel/opentelemetry-collector-contrib:0.160.0";
  static final String VICTORIA_LOGS_IMAGE = "victoriametrics/victoria-logs:v1.52.2";
  static final int VICTORIA_LOGS_PORT = VictoriaLogsNames.PORT;

  /** The longest agent name: its pods add a 6-character suffix to it, within 63. */
  static final int MAX_AGENT_NAME = 52;

  /**
   * @param allNamespaces the namespaces that exist, from the reconciler's informer
   */
  static LogPlan of(
      LogPipeline pipeline,
      ReferencedValues values,
      Collection<Namespace> allNamespaces,
      String agentsNamespace,
      boolean clusterWide) {
    String own = pipeline.getMetadata().getNamespace();
    LogSelection selection =
        Objects.requireNonNullElseGet(pipeline.getSpec().select, LogSelection::new);
    SortedSet<String> excluded = new TreeSet<>();
    if (selection.excludeNamespaces != null) {
      selection.excludeNamespaces.stream().filter(Objects::nonNull).forEach(excluded::add);
    }
    List<String> scopeProblems = new ArrayList<>();
    SortedSet<String> namespaces = new TreeSet<>();
    LogSelection.LogNamespaces asked = selection.namespaces;
    boolean reachesBeyond =
        asked != null
            && (Boolean.TRUE.equals(asked.any)
                || asked.selector != null
                || (asked.matchNames != null
                    && asked.matchNames.stream().anyMatch(n -> !own.equals(n))));
    if (asked == null || !clusterWide) {
      namespaces.add(own);
      if (!clusterWide && reachesBeyond) {
        scopeProblems.add(
            "spec.select.namespaces: "
                + own
                + " is not one of the operator's platform namespaces, so the pipeline collects"
                + " the logs of "
                + own
                + " only; the other namespaces are ignored");
      }
    } else if (Boolean.TRUE.equals(asked.any)) {
      namespaces = null;
    } else {
      if (asked.matchNames != null) {
        asked.matchNames.stream().filter(Objects::nonNull).forEach(namespaces::add);
      }
      if (asked.selector != null) {
        LabelSelection selector = LabelSelection.of(asked.selector);
        for (Namespace namespace : allNamespaces) {
          if (selector.matches(namespace.getMetadata().getLabels())) {
            namespaces.add(namespace.getMetadata().getName());
          }
        }
      }
    }
    if (namespaces != null) {
      namespaces.removeAll(excluded);
    }
    LogAgentSpec agentSpec =
        Objects.requireNonNullElseGet(pipeline.getSpec().agent, LogAgentSpec::new);
    if (!clusterWide) {
      List<String> ignored = new ArrayList<>();
      if (agentSpec.image != null) {
        ignored.add("image");
      }
      if (agentSpec.podLogsPath != null) {
        ignored.add("podLogsPath");
      }
      if (agentSpec.stateHostPath != null) {
        ignored.add("stateHostPath");
      }
      if (agentSpec.priorityClassName != null) {
        ignored.add("priorityClassName");
      }
      if (agentSpec.resources != null) {
        ignored.add("resources");
      }
      if (!ignored.isEmpty()) {
        scopeProblems.add(
            "spec.agent: "
                + String.join(", ", ignored)
                + " of a tenant's pipeline are ignored: its agents run as root with the node's"
                + " directories mounted, so the platform's defaults apply");
      }
      LogAgentSpec kept = new LogAgentSpec();
      kept.nodeSelector = agentSpec.nodeSelector;
      kept.tolerations = agentSpec.tolerations;
      agentSpec = kept;
    }
    String name = agentName(pipeline);
    boolean victoriaLogs = victoriaLogs(pipeline) != null;
    CollectorConfigBuilder.Result agent =
        LogAgentConfigBuilder.build(
            pipeline,
            new LogAgentInputs(
                namespaces,
                excluded,
                agentsNamespace,
                name,
                victoriaLogs ? victoriaLogsUrl(pipeline) : null,
                values,
                clusterWide));
    SortedMap<String, String> credentials = new TreeMap<>();
    for (MountedKey key : agent.mountedKeys()) {
      values.encoded(key).ifPresent(v -> credentials.put(credentialKey(key), v));
    }
    for (EnvVar env : agent.env()) {
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        MountedKey key =
            MountedKey.secret(
                own,
                env.getValueFrom().getSecretKeyRef().getName(),
                env.getValueFrom().getSecretKeyRef().getKey());
        values.encoded(key).ifPresent(v -> credentials.put(credentialKey(key), v));
      }
    }
    return new LogPlan(
        pipeline,
        agentsNamespace,
        clusterWide,
        namespaces,
        excluded,
        agent,
        agent.config() == null ? null : CollectorConfigRenderer.renderString(agent.config()),
        credentials,
        scopeProblems,
        values,
        agentSpec);
  }

  static LogPlan of(Context<LogPipeline> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, LogPlan.class);
  }

  /** Everything left out or ignored, as "field: message". */
  List<String> problems() {
    List<String> problems = new ArrayList<>(scopeProblems);
    agent.problems().stream().map(ConfigProblem::describe).forEach(problems::add);
    return problems;
  }

  /**
   * The agents' environment: Secret keys come from the agents' copy, {@link #credentialsName}, in
   * their own namespace.
   */
  List<EnvVar> agentEnv() {
    List<EnvVar> env = new ArrayList<>();
    for (EnvVar var : agent.env()) {
      if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
        MountedKey key =
            MountedKey.secret(
                pipeline.getMetadata().getNamespace(),
                var.getValueFrom().getSecretKeyRef().getName(),
                var.getValueFrom().getSecretKeyRef().getKey());
        env.add(
            new EnvVarBuilder()
                .withName(var.getName())
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(credentialsName(pipeline))
                .withKey(credentialKey(key))
                .endSecretKeyRef()
                .endValueFrom()
                .build());
      } else {
        env.add(var);
      }
    }
    return env;
  }

  /** The agents' configuration and credentials, hashed: in a pod annotation it rolls the agents. */
  String podHash() {
    StringBuilder all = new StringBuilder(agentConfig == null ? "" : agentConfig);
    credentials.forEach((k, v) -> all.append('\n').append(k).append('=').append(v));
    return Sha256.shortHex(all.toString());
  }

  /**
   * {@code vigil-logs-<namespace>-<name>}, cut and given a hash of both when longer than {@value
   * #MAX_AGENT_NAME} (or two pipelines' dashes would line up to one name).
   */
  static String agentName(LogPipeline pipeline) {
    String namespace = pipeline.getMetadata().getNamespace();
    String name = pipeline.getMetadata().getName();
    String readable = LogAgentConfigBuilder.AGENTS_PREFIX + namespace + "-" + name;
    String hash = "-" + Sha256.hex(namespace + "/" + name).substring(0, 8);
    if (readable.length() + hash.length() <= MAX_AGENT_NAME) {
      return readable + hash;
    }
    return readable.substring(0, MAX_AGENT_NAME - hash.length()).replaceAll("-+$", "") + hash;
  }

  static String credentialsName(LogPipeline pipeline) {
    return agentName(pipeline) + "-credentials";
  }

  /** {@code <secret>_<key>}: a Secret's name cannot hold {@code _}, so the first one splits. */
  static String credentialKey(MountedKey key) {
    return key.name() + "_" + key.key();
  }

  static VictoriaLogsSpec victoriaLogs(LogPipeline pipeline) {
    return VictoriaLogsNames.spec(pipeline);
  }

  static String victoriaLogsName(LogPipeline pipeline) {
    return VictoriaLogsNames.service(pipeline.getMetadata().getName());
  }

  /** The in-cluster base URL of the pipeline's VictoriaLogs. */
  static String victoriaLogsUrl(LogPipeline pipeline) {
    return VictoriaLogsNames.url(pipeline);
  }
}
