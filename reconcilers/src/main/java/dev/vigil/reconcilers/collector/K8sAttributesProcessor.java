package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.K8sAttributesSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.AssociationSource;
import dev.vigil.reconcilers.collector.CollectorConfig.FieldExtract;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sAttributes;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sExtract;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sFilter;
import dev.vigil.reconcilers.collector.CollectorConfig.PodAssociation;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code k8s_attributes} processor: labels spans with their pod's metadata and chosen pod
 * labels, read from the API server with the collectors' ServiceAccount (the read access that takes
 * is {@link KubernetesAccessRules}'). An agent only watches its own node's pods, whose name it
 * reads from {@value CollectorConfigBuilder#NODE_NAME_ENV}.
 */
final class K8sAttributesProcessor {
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

  /**
   * Metadata read from objects outside any namespace (the node; the kube-system namespace for the
   * cluster's UID), which a tenant's collectors may not read.
   */
  static final Set<String> CLUSTER_SCOPED_METADATA = Set.of("k8s.node.uid", "k8s.cluster.uid");

  private K8sAttributesProcessor() {}

  /**
   * The processor, or null when {@code spec} turns it off (null: on, with the defaults). Metadata
   * the processor cannot extract is left out and reported. An agent's processor needs {@value
   * CollectorConfigBuilder#NODE_NAME_ENV}, which this adds to {@code build}.
   */
  static K8sAttributes build(K8sAttributesSpec spec, boolean agent, CollectorBuild build) {
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
          build.problem(
              "spec.processors.k8sAttributes.metadata",
              "\""
                  + name
                  + "\" is not metadata the k8s_attributes processor extracts; it is left out");
        }
      }
      metadata = chosen.isEmpty() ? DEFAULT_METADATA : List.copyOf(chosen);
    }
    if (!build.clusterWide) {
      List<String> namespaced = new ArrayList<>();
      for (String name : metadata) {
        if (CLUSTER_SCOPED_METADATA.contains(name)) {
          build.problem(
              "spec.processors.k8sAttributes.metadata",
              "\""
                  + name
                  + "\" needs cluster-wide read access, which only pipelines in the operator's"
                  + " platform namespaces get; it is left out");
        } else {
          namespaced.add(name);
        }
      }
      metadata = List.copyOf(namespaced);
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
    String namespace = build.clusterWide ? null : build.namespace;
    K8sFilter filter = namespace == null ? null : new K8sFilter(null, namespace);
    if (agent) {
      filter = new K8sFilter(CollectorConfigBuilder.NODE_NAME_ENV, namespace);
      build.env.put(
          CollectorConfigBuilder.NODE_NAME_ENV,
          new EnvVarBuilder()
              .withName(CollectorConfigBuilder.NODE_NAME_ENV)
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
            new PodAssociation(List.of(new AssociationSource("resource_attribute", "k8s.pod.ip"))),
            new PodAssociation(List.of(new AssociationSource("resource_attribute", "k8s.pod.uid"))),
            new PodAssociation(List.of(new AssociationSource("connection", null))));
    return new K8sAttributes(
        "serviceAccount", false, filter, new K8sExtract(metadata, labels), association);
  }
}
