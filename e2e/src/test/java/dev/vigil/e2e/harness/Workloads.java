package dev.vigil.e2e.harness;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Workload objects as the controllers that are not running here would leave them, for tests whose
 * subject reads a pod's owners (the collector's {@code k8s_attributes} names a pod's Deployment
 * from its ReplicaSet).
 */
public final class Workloads {
  private Workloads() {}

  /**
   * Creates a Deployment {@code app} (pods labelled {@code app: <app>}, container {@code app} of
   * image {@code shop/<app>:1}) and the ReplicaSet {@code <app>-<hash>} its controller would make,
   * owned by it and labelled {@code pod-template-hash: <hash>}; returns the ReplicaSet, to own
   * pods.
   */
  public static ReplicaSet deploymentReplicaSet(
      KubernetesClient admin, String namespace, String app, String hash) {
    PodTemplateSpec template =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("app", app)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("shop/" + app + ":1")
            .endContainer()
            .endSpec()
            .build();
    Deployment deployment =
        admin
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(app)
                    .withNamespace(namespace)
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", app)
                    .endSelector()
                    .withTemplate(template)
                    .endSpec()
                    .build())
            .create();
    return admin
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(app + "-" + hash)
                .withNamespace(namespace)
                .addToLabels("app", app)
                .addToLabels("pod-template-hash", hash)
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(app)
                        .withUid(deployment.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withNewSelector()
                .addToMatchLabels("app", app)
                .endSelector()
                .withTemplate(template)
                .endSpec()
                .build())
        .create();
  }

  /**
   * A stand-in app's pod, not yet created: one container {@code app} with a port named {@code
   * metrics}, on node {@code node-a}. The process it stands for runs in the test (see {@link
   * TestNetwork}); {@link #runningPod} gives it the address it listens on.
   */
  public static Pod standInApp(
      String namespace, String name, Map<String, String> labels, int port) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-a")
        .addNewContainer()
        .withName("app")
        .withImage("example/app:1")
        .addNewPort()
        .withName("metrics")
        .withContainerPort(port)
        .endPort()
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * Creates {@code pod} and gives it the status the kubelet reports for a running, ready pod at
   * {@code podIp} on a node at {@code hostIp} (no kubelet runs here).
   */
  public static Pod runningPod(KubernetesClient admin, Pod pod, String podIp, String hostIp) {
    admin.resource(pod).create();
    Pod created =
        admin
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    created.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(podIp)
            .addNewPodIP(podIp)
            .withHostIP(hostIp)
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    return admin
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .resource(created)
        .updateStatus();
  }
}
