package dev.vigil.reconcilers.objects;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Deployment or DaemonSet around one component's pods: its name, namespace and labels, the
 * labels selecting its pods, and its pods' labels and annotations. The caller gives the pod spec;
 * everything around it is the same for every component.
 */
public final class Workload {
  private final String name;
  private final String namespace;
  private final Map<String, String> labels;
  private final Map<String, String> selector;
  private final Map<String, String> podAnnotations;

  /**
   * A workload named {@code name} in {@code namespace}.
   *
   * @param labels the labels of the workload and of its pods
   * @param selector the labels selecting its pods: never changes for a given object, as the API
   *     server refuses to change it
   */
  public Workload(
      String name, String namespace, Map<String, String> labels, Map<String, String> selector) {
    this(name, namespace, labels, selector, Map.of());
  }

  private Workload(
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, String> selector,
      Map<String, String> podAnnotations) {
    this.name = name;
    this.namespace = namespace;
    this.labels = labels;
    this.selector = selector;
    this.podAnnotations = podAnnotations;
  }

  /**
   * A component of a stack, in the stack's namespace: labelled by {@link StackLabels#of}, its pods
   * selected by stack and component.
   */
  public static Workload of(MonitoringStack stack, String component, String name) {
    return new Workload(
        name,
        stack.getMetadata().getNamespace(),
        StackLabels.of(stack, component),
        StackLabels.selector(stack, component, null));
  }

  /**
   * The same workload with one more annotation on its pods: a hash of a file the server reads only
   * at start rolls the pods when the file changes.
   */
  public Workload withPodAnnotation(String key, String value) {
    Map<String, String> annotations = new LinkedHashMap<>(podAnnotations);
    annotations.put(key, value);
    return new Workload(name, namespace, labels, selector, annotations);
  }

  /** The pods' template: the workload's labels, the annotations given, and the spec. */
  public PodTemplateSpec template(PodSpec pod) {
    ObjectMetaBuilder metadata = new ObjectMetaBuilder().withLabels(labels);
    if (!podAnnotations.isEmpty()) {
      metadata.withAnnotations(podAnnotations);
    }
    return new PodTemplateSpecBuilder().withMetadata(metadata.build()).withSpec(pod).build();
  }

  /** A Deployment of {@code replicas} pods, replaced by a rolling update. */
  public Deployment deployment(int replicas, PodSpec pod) {
    return deployment(replicas, null, pod);
  }

  /**
   * A Deployment of one pod, stopped before its replacement starts: for a server that keeps its
   * data in files, which a second pod would open at the same time.
   */
  public Deployment recreatedDeployment(PodSpec pod) {
    return deployment(1, "Recreate", pod);
  }

  private Deployment deployment(int replicas, String strategy, PodSpec pod) {
    DeploymentSpecBuilder spec =
        new DeploymentSpecBuilder()
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withTemplate(template(pod));
    if (strategy != null) {
      spec.withNewStrategy().withType(strategy).endStrategy();
    }
    return new DeploymentBuilder().withMetadata(metadata()).withSpec(spec.build()).build();
  }

  /** A DaemonSet: one pod on every node the pod spec lets it run on. */
  public DaemonSet daemonSet(PodSpec pod) {
    return new DaemonSetBuilder()
        .withMetadata(metadata())
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withTemplate(template(pod))
        .endSpec()
        .build();
  }

  private ObjectMeta metadata() {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .build();
  }
}
