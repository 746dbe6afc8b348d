package dev.vigil.reconcilers.prometheus;

import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec.ServiceDiscoveryRole;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.relabel.RelabelRule;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code relabel_configs} Vigil puts before a monitor's own relabelings, so that targets get
 * the labels prometheus-operator gives them ({@code job}, {@code namespace}, {@code service},
 * {@code pod}, {@code container}, {@code endpoint}, ...). The sequence is prometheus-operator's
 * (PROMETHEUS-COMPAT.md §4, {@code generateServiceMonitorConfig} / {@code
 * generatePodMonitorConfig}) minus the steps Vigil's discovery has already applied to the targets
 * it serves:
 *
 * <ul>
 *   <li>the selector keep/drop rules (ServiceMonitor step 2, PodMonitor step 3): only objects that
 *       match the selector are served;
 *   <li>the port keep rules (ServiceMonitor step 3, PodMonitor step 4): only the endpoint's port is
 *       served;
 *   <li>{@code filterRunning} (ServiceMonitor step 5, PodMonitor step 2): pods in phase Succeeded
 *       or Failed are not served unless the endpoint sets {@code filterRunning: false};
 *   <li>sharding (step 10): each shard is served only its own targets, so no {@code hashmod}.
 * </ul>
 *
 * Everything else is emitted in prometheus-operator's order, so a monitor's relabelings see the
 * same labels they would see under prometheus-operator.
 */
final class StandardRelabelings {
  static final String META = "__meta_kubernetes_";
  static final String TMP_JOB_NAME = "__tmp_prometheus_job_name";

  private StandardRelabelings() {}

  /** The rules of a ServiceMonitor endpoint's job, before the endpoint's own relabelings. */
  static List<RelabelRule> serviceMonitor(ServiceMonitor monitor, Endpoint endpoint) {
    var spec = monitor.getSpec();
    // Targets carry the label family of the role prometheus-operator would use for the monitor.
    String family =
        spec.serviceDiscoveryRole == ServiceDiscoveryRole.EndpointSlice
            ? "endpointslice"
            : "endpoint";
    List<RelabelRule> rules = new ArrayList<>();
    // 1. The job name as configured, before anything can change the job label.
    rules.add(RelabelRule.copy("job", TMP_JOB_NAME));
    // 4. node / pod from the address's target, then namespace, service, pod, container.
    List<String> target =
        List.of(META + family + "_address_target_kind", META + family + "_address_target_name");
    rules.add(RelabelRule.replace(target, "Node;(.*)", "node"));
    rules.add(RelabelRule.replace(target, "Pod;(.*)", "pod"));
    rules.add(RelabelRule.copy(META + "namespace", "namespace"));
    rules.add(RelabelRule.copy(META + "service_name", "service"));
    rules.add(RelabelRule.copy(META + "pod_name", "pod"));
    rules.add(RelabelRule.copy(META + "pod_container_name", "container"));
    // 6. Service labels, then pod labels, copied onto the targets.
    for (String label : nullToEmpty(spec.targetLabels)) {
      rules.add(copyNonEmpty(META + "service_label_" + sanitize(label), sanitize(label)));
    }
    addPodTargetLabels(rules, spec.podTargetLabels);
    // 7. job = the Service's name, or the value of its jobLabel label.
    rules.add(RelabelRule.copy(META + "service_name", "job"));
    if (notEmpty(spec.jobLabel)) {
      rules.add(copyNonEmpty(META + "service_label_" + sanitize(spec.jobLabel), "job"));
    }
    // 8. endpoint = the port as the monitor names it.
    String port = notEmpty(endpoint.port) ? endpoint.port : portString(endpoint.targetPort);
    if (port != null) {
      rules.add(RelabelRule.set("endpoint", port));
    }
    // 9. The endpoint's own relabelings, then the enforced namespace label, follow (ScrapeJobs).
    return rules;
  }

  /** The rules of a PodMonitor endpoint's job, before the endpoint's own relabelings. */
  static List<RelabelRule> podMonitor(PodMonitor monitor, PodMetricsEndpoint endpoint) {
    var spec = monitor.getSpec();
    List<RelabelRule> rules = new ArrayList<>();
    // 1. The job name as configured.
    rules.add(RelabelRule.copy("job", TMP_JOB_NAME));
    // 5. namespace, container, pod.
    rules.add(RelabelRule.copy(META + "namespace", "namespace"));
    rules.add(RelabelRule.copy(META + "pod_container_name", "container"));
    rules.add(RelabelRule.copy(META + "pod_name", "pod"));
    // 6. Pod labels copied onto the targets.
    addPodTargetLabels(rules, spec.podTargetLabels);
    // 7. job = <namespace>/<name>, or the value of the pod's jobLabel label.
    rules.add(
        RelabelRule.set(
            "job", monitor.getMetadata().getNamespace() + "/" + monitor.getMetadata().getName()));
    if (notEmpty(spec.jobLabel)) {
      rules.add(copyNonEmpty(META + "pod_label_" + sanitize(spec.jobLabel), "job"));
    }
    // 8. endpoint = the port by name; prometheus-operator sets none for portNumber.
    String port = notEmpty(endpoint.port) ? endpoint.port : portString(endpoint.targetPort);
    if (port != null) {
      rules.add(RelabelRule.set("endpoint", port));
    }
    // 9. The endpoint's own relabelings, then the enforced namespace label, follow (ScrapeJobs).
    return rules;
  }

  /**
   * The rules both annotation jobs start with: keep annotated objects (discovery serves only those;
   * the keep rule makes the job correct on its own), then take {@code prometheus.io/scheme} and
   * {@code /path} when set.
   */
  private static List<RelabelRule> scrapeSchemeAndPath(String annotation) {
    List<RelabelRule> rules = new ArrayList<>();
    rules.add(keep(annotation + "scrape", "true"));
    rules.add(RelabelRule.replace(List.of(annotation + "scheme"), "(https?)", "__scheme__"));
    rules.add(RelabelRule.replace(List.of(annotation + "path"), "(.+)", "__metrics_path__"));
    return rules;
  }

  /**
   * The job for pods annotated {@code prometheus.io/scrape: "true"}, the conventional way (the
   * {@code kubernetes-pods} job of Prometheus's example configuration and Helm chart): {@code
   * prometheus.io/scheme}, {@code /path} and {@code /port} override scheme, path and port. Targets
   * carry role {@code pod} labels. Pod labels are not all copied ({@code labelmap}) because that
   * turns every pod label, {@code pod-template-hash} included, into a series label.
   */
  static List<RelabelRule> annotatedPods() {
    String annotation = META + "pod_annotation_prometheus_io_";
    List<RelabelRule> rules = scrapeSchemeAndPath(annotation);
    // The annotated port on the pod IP; IPv6 addresses need brackets.
    List<String> portAndIp = List.of(annotation + "port", META + "pod_ip");
    rules.add(
        new RelabelRule(
            portAndIp,
            null,
            "(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})",
            null,
            "__address__",
            "[$2]:$1",
            null));
    rules.add(
        new RelabelRule(
            portAndIp, null, "(\\d+);((([0-9]+?)(\\.|$)){4})", null, "__address__", "$2:$1", null));
    rules.add(RelabelRule.copy(META + "namespace", "namespace"));
    rules.add(RelabelRule.copy(META + "pod_name", "pod"));
    rules.add(RelabelRule.copy(META + "pod_container_name", "container"));
    rules.add(RelabelRule.copy(META + "pod_node_name", "node"));
    return rules;
  }

  /**
   * The job for the endpoints of Services annotated {@code prometheus.io/scrape: "true"}, the
   * conventional way ({@code kubernetes-service-endpoints}). Targets carry role {@code endpoints}
   * labels, as for a ServiceMonitor.
   */
  static List<RelabelRule> annotatedServices() {
    String annotation = META + "service_annotation_prometheus_io_";
    List<RelabelRule> rules = scrapeSchemeAndPath(annotation);
    // The annotated port replaces the endpoint's port; IPv6 addresses keep their brackets.
    rules.add(
        new RelabelRule(
            List.of("__address__", annotation + "port"),
            null,
            "(.+?)(?::\\d+)?;(\\d+)",
            null,
            "__address__",
            "$1:$2",
            null));
    rules.add(RelabelRule.copy(META + "namespace", "namespace"));
    rules.add(RelabelRule.copy(META + "service_name", "service"));
    rules.add(RelabelRule.copy(META + "pod_name", "pod"));
    rules.add(RelabelRule.copy(META + "pod_container_name", "container"));
    rules.add(RelabelRule.copy(META + "pod_node_name", "node"));
    return rules;
  }

  /**
   * The job of pods the stack runs itself (node-exporter, kube-state-metrics): {@code job} is the
   * component, as dashboards expect; with {@code instanceIsNode} the instance is the node's name,
   * as kube-prometheus does for node-exporter.
   */
  static List<RelabelRule> ownPods(String component, boolean instanceIsNode) {
    List<RelabelRule> rules = new ArrayList<>();
    rules.add(RelabelRule.set("job", component));
    rules.add(RelabelRule.copy(META + "namespace", "namespace"));
    rules.add(RelabelRule.copy(META + "pod_name", "pod"));
    rules.add(RelabelRule.copy(META + "pod_container_name", "container"));
    rules.add(RelabelRule.copy(META + "pod_node_name", "node"));
    if (instanceIsNode) {
      rules.add(RelabelRule.copy(META + "pod_node_name", "instance"));
    }
    return rules;
  }

  /**
   * A monitor's or remote write's own rules, as written but with the action lower-cased as
   * Prometheus wants.
   *
   * @throws PartLeftOut when a regex does not compile: Prometheus would refuse the whole file
   */
  static List<RelabelRule> userRules(String field, List<RelabelConfig> rules) {
    List<String> problems = RelabelValidator.problems(field, rules);
    if (!problems.isEmpty()) {
      throw new PartLeftOut(String.join("; ", problems));
    }
    List<RelabelRule> out = new ArrayList<>();
    for (RelabelConfig rule : nullToEmpty(rules)) {
      out.add(
          new RelabelRule(
              rule.sourceLabels,
              rule.separator,
              rule.regex,
              rule.modulus,
              rule.targetLabel,
              rule.replacement,
              rule.action == null ? null : rule.action.prometheusName()));
    }
    return out;
  }

  /**
   * A label name as Prometheus's Kubernetes discovery writes it: every character outside {@code
   * [a-zA-Z0-9_]} becomes {@code _}.
   */
  static String sanitize(String name) {
    return name.replaceAll("[^a-zA-Z0-9_]", "_");
  }

  private static void addPodTargetLabels(List<RelabelRule> rules, List<String> labels) {
    for (String label : nullToEmpty(labels)) {
      rules.add(copyNonEmpty(META + "pod_label_" + sanitize(label), sanitize(label)));
    }
  }

  /** {@code target} = the source label's value, only when it is not empty. */
  private static RelabelRule copyNonEmpty(String source, String target) {
    return RelabelRule.replace(List.of(source), "(.+)", target);
  }

  private static RelabelRule keep(String source, String regex) {
    return new RelabelRule(List.of(source), null, regex, null, null, null, "keep");
  }

  private static String portString(IntOrString port) {
    if (port == null) {
      return null;
    }
    return port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
