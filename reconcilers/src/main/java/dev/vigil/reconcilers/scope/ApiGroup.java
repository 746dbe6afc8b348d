package dev.vigil.reconcilers.scope;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The API groups whose objects a stack takes in: Vigil's own kinds, and prometheus-operator's
 * ServiceMonitors, PodMonitors and PrometheusRules, which the operator reads into Vigil's types and
 * which keep their {@code apiVersion} (that is how they are told apart everywhere).
 */
public enum ApiGroup {
  VIGIL("monitoring.vigil.dev"),
  PROMETHEUS_OPERATOR("monitoring.coreos.com");

  private final String group;

  ApiGroup(String group) {
    this.group = group;
  }

  public String group() {
    return group;
  }

  /** The group of an object's {@code apiVersion}; Vigil's when it is not prometheus-operator's. */
  public static ApiGroup of(HasMetadata object) {
    String apiVersion = object.getApiVersion();
    return apiVersion != null && apiVersion.startsWith(PROMETHEUS_OPERATOR.group + "/")
        ? PROMETHEUS_OPERATOR
        : VIGIL;
  }
}
