package dev.vigil.reconcilers.injection;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload a pod belongs to, read from what the pod carries at admission, with no API call: its
 * controller owner reference and its {@code pod-template-hash} label. A Deployment's pods are owned
 * by a ReplicaSet named {@code <deployment>-<pod-template-hash>}; a CronJob's by a Job named {@code
 * <cronjob>-<scheduled time in minutes since 1970>} (as the CronJob controller names it; the
 * OpenTelemetry operator reads the Job's owner through the API instead). A Job named so by hand is
 * taken for a CronJob's.
 *
 * @param attributes the {@code k8s.<kind>.name} resource attributes, e.g. {@code
 *     k8s.deployment.name} and {@code k8s.replicaset.name}, in that order
 * @param serviceName the workload's name for {@code OTEL_SERVICE_NAME}: the Deployment,
 *     StatefulSet, DaemonSet, CronJob, Job or ReplicaSet; else the pod's name, or its generateName
 *     without the trailing dash; null when the pod has neither
 */
public record PodOwner(Map<String, String> attributes, String serviceName) {
  /** The label a Deployment's ReplicaSet puts on its pods. */
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";

  /** A CronJob's Job: its name, a dash, and the scheduled minute (8 or 9 digits until 3871). */
  private static final Pattern CRONJOB_JOB = Pattern.compile("^(.+)-([0-9]{8,9})$");

  public PodOwner {
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public static PodOwner of(ObjectMeta pod) {
    OwnerReference owner = controller(pod.getOwnerReferences());
    Map<String, String> attributes = new LinkedHashMap<>();
    String service = null;
    if (owner != null && owner.getKind() != null && owner.getName() != null) {
      String name = owner.getName();
      switch (owner.getKind()) {
        case "ReplicaSet" -> {
          String hash = pod.getLabels() == null ? null : pod.getLabels().get(POD_TEMPLATE_HASH);
          if (hash != null && !hash.isEmpty() && name.endsWith("-" + hash)) {
            service = name.substring(0, name.length() - hash.length() - 1);
            attributes.put("k8s.deployment.name", service);
          } else {
            service = name;
          }
          attributes.put("k8s.replicaset.name", name);
        }
        case "StatefulSet" -> {
          service = name;
          attributes.put("k8s.statefulset.name", name);
        }
        case "DaemonSet" -> {
          service = name;
          attributes.put("k8s.daemonset.name", name);
        }
        case "Job" -> {
          service = name;
          Matcher cron = CRONJOB_JOB.matcher(name);
          if (cron.matches()) {
            service = cron.group(1);
            attributes.put("k8s.cronjob.name", service);
          }
          attributes.put("k8s.job.name", name);
        }
        default -> {
          // An owner Vigil does not know (a ReplicationController, an Argo Rollout's ReplicaSet
          // is still a ReplicaSet): named after the pod below.
        }
      }
    }
    if (service == null) {
      service = podName(pod);
    }
    return new PodOwner(attributes, service);
  }

  /** The pod's name, or its generateName without the trailing dash, or null. */
  static String podName(ObjectMeta pod) {
    if (pod.getName() != null && !pod.getName().isEmpty()) {
      return pod.getName();
    }
    String generate = pod.getGenerateName();
    if (generate == null) {
      return null;
    }
    while (generate.endsWith("-") || generate.endsWith(".")) {
      generate = generate.substring(0, generate.length() - 1);
    }
    return generate.isEmpty() ? null : generate;
  }

  private static OwnerReference controller(List<OwnerReference> owners) {
    if (owners == null || owners.isEmpty()) {
      return null;
    }
    return owners.stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .findFirst()
        .orElse(owners.get(0));
  }
}
