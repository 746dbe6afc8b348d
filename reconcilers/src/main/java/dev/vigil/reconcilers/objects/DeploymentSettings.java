package dev.vigil.reconcilers.objects;

import dev.vigil.reconcilers.scope.Tenancy;

/**
 * How the operator is deployed, as the objects it makes for a stack need to know it.
 *
 * @param serviceDiscoveryUrl base URL at which Prometheus pods reach the operator's HTTP service
 *     discovery, e.g. {@code http://vigil-operator.vigil-system.svc:8080}
 * @param operatorImage the operator's own image, run as the reloader sidecar of Prometheus pods
 * @param tenancy which namespaces are the platform's, and whether monitors may name files
 */
public record DeploymentSettings(
    String serviceDiscoveryUrl, String operatorImage, Tenancy tenancy) {
  /** The Prometheus image when a stack names none; the version Vigil renders and tests for. */
  public static final String PROMETHEUS_IMAGE = "quay.io/prometheus/prometheus:v3.16.0";

  /** The Thanos image when a stack names none. */
  public static final String THANOS_IMAGE = "quay.io/thanos/thanos:v0.39.2";

  public DeploymentSettings {
    if (serviceDiscoveryUrl == null || serviceDiscoveryUrl.isBlank()) {
      throw new IllegalArgumentException("serviceDiscoveryUrl is required");
    }
    if (operatorImage == null || operatorImage.isBlank()) {
      throw new IllegalArgumentException("operatorImage is required");
    }
    if (tenancy == null) {
      throw new IllegalArgumentException("tenancy is required");
    }
  }
}
