package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.logpipeline.LogMetadata;
import dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.AssociationSource;
import dev.vigil.reconcilers.collector.CollectorConfig.FieldExtract;
import dev.vigil.reconcilers.collector.CollectorConfig.Filter;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sAttributes;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sExtract;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sFilter;
import dev.vigil.reconcilers.collector.CollectorConfig.PodAssociation;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a log agent adds from the API server, and the pod selector it applies with it. The {@code
 * container} operator already names the namespace, pod, uid and container from the file's path;
 * {@code k8s_attributes} adds the workload (deployment, statefulset, daemonset, job, cronjob), the
 * node, and the pod labels and annotations asked for, for the pods of the agent's own node (the pod
 * is found by its uid). The pod selector is a {@code filter} on those labels, since a log file's
 * path does not carry them.
 */
final class LogMetadataProcessor {
  static final List<String> METADATA =
      List.of(
          "k8s.deployment.name",
          "k8s.statefulset.name",
          "k8s.daemonset.name",
          "k8s.cronjob.name",
          "k8s.job.name",
          "k8s.node.name");

  static final String LABEL_PREFIX = "k8s.pod.labels.";

  /** How long an agent waits for its pod and workload caches at start before it gives up. */
  static final String WAIT_FOR_METADATA = "30s";

  static final String ANNOTATION_PREFIX = "k8s.pod.annotations.";

  private LogMetadataProcessor() {}

  static K8sAttributes k8sAttributes(LogPipelineSpec spec, CollectorBuild build) {
    LogMetadata metadata = Objects.requireNonNullElseGet(spec.metadata, LogMetadata::new);
    SortedSet<String> labels = keys(metadata.podLabels);
    if (spec.select != null && spec.select.pods != null) {
      labels.addAll(selectorKeys(spec.select.pods));
    }
    List<FieldExtract> labelFields =
        labels.stream().map(k -> new FieldExtract(LABEL_PREFIX + k, k, "pod")).toList();
    List<FieldExtract> annotationFields =
        keys(metadata.podAnnotations).stream()
            .map(k -> new FieldExtract(ANNOTATION_PREFIX + k, k, "pod"))
            .toList();
    build.env.put(
        CollectorConfigBuilder.NODE_NAME_ENV,
        new EnvVarBuilder()
            .withName(CollectorConfigBuilder.NODE_NAME_ENV)
            .withNewValueFrom()
            .withNewFieldRef()
            .withApiVersion("v1")
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .build());
    return new K8sAttributes(
        "serviceAccount",
        false,
        new K8sFilter(
            CollectorConfigBuilder.NODE_NAME_ENV, build.clusterWide ? null : build.namespace),
        new K8sExtract(METADATA, labelFields, annotationFields),
        List.of(
            new PodAssociation(
                List.of(new AssociationSource("resource_attribute", "k8s.pod.uid")))),
        // An agent starting on a node reads the backlog of every file at once: without the
        // pods and workloads in its cache those records would leave without them.
        true,
        WAIT_FOR_METADATA);
  }

  /**
   * A {@code filter} dropping every record whose pod's labels do not match {@code selector}, or
   * whose container is not one of {@code containers} (when the containers could not be globs); null
   * when neither applies.
   */
  static Filter filter(LabelSelector selector, List<String> containers, CollectorBuild build) {
    List<String> conditions = new ArrayList<>();
    String pods = selector == null ? null : podCondition(selector, build);
    if (pods != null) {
      conditions.add(pods);
    }
    if (!containers.isEmpty()) {
      conditions.add(
          "not ("
              + containers.stream()
                  .map(c -> "resource.attributes[\"k8s.container.name\"] == " + ottlString(c))
                  .collect(Collectors.joining(" or "))
              + ")");
    }
    return conditions.isEmpty() ? null : Filter.logs(conditions);
  }

  /** The condition dropping records of pods {@code selector} does not match; null: none. */
  private static String podCondition(LabelSelector selector, CollectorBuild build) {
    List<String> terms = new ArrayList<>();
    Map<String, String> labels =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    new TreeSet<>(labels.keySet())
        .forEach(k -> terms.add(label(k) + " == " + ottlString(labels.get(k))));
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      String attr = label(r.getKey());
      switch (Objects.requireNonNullElse(r.getOperator(), "")) {
        case "In" ->
            terms.add(
                "("
                    + values.stream()
                        .map(v -> attr + " == " + ottlString(v))
                        .collect(Collectors.joining(" or "))
                    + ")");
        case "NotIn" ->
            terms.add(
                "("
                    + attr
                    + " == nil or ("
                    + values.stream()
                        .map(v -> attr + " != " + ottlString(v))
                        .collect(Collectors.joining(" and "))
                    + "))");
        case "Exists" -> terms.add(attr + " != nil");
        case "DoesNotExist" -> terms.add(attr + " == nil");
        default ->
            build.problem(
                "spec.select.pods.matchExpressions[" + i + "].operator",
                "\"" + r.getOperator() + "\" is not In, NotIn, Exists or DoesNotExist; ignored");
      }
    }
    if (terms.isEmpty()) {
      return null; // an empty selector selects every pod
    }
    return "not (" + String.join(" and ", terms) + ")";
  }

  private static SortedSet<String> keys(List<String> keys) {
    SortedSet<String> sorted = new TreeSet<>();
    if (keys != null) {
      keys.stream().filter(k -> k != null && !k.isBlank()).forEach(sorted::add);
    }
    return sorted;
  }

  private static SortedSet<String> selectorKeys(LabelSelector selector) {
    SortedSet<String> keys = new TreeSet<>();
    if (selector.getMatchLabels() != null) {
      keys.addAll(selector.getMatchLabels().keySet());
    }
    if (selector.getMatchExpressions() != null) {
      selector.getMatchExpressions().stream()
          .map(LabelSelectorRequirement::getKey)
          .filter(Objects::nonNull)
          .forEach(keys::add);
    }
    return keys;
  }

  private static String label(String key) {
    return "resource.attributes[" + ottlString(LABEL_PREFIX + key) + "]";
  }

  /** An OTTL string literal. */
  static String ottlString(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
