package dev.vigil.reconcilers.objects;

import dev.vigil.reconcilers.scope.Tenancy;
import java.util.Optional;

/**
 * How the operator is deployed, as the objects it makes for a stack need to know it.
 *
 * @param serviceDiscoveryUrl base URL at which Prometheus pods reach the operator's HTTP service
 *     discovery, e.g. {@code http://vigil-operator.vigil-system.svc:8080}
 * @param operatorImage the operator's own image, run as the reloader sidecar of Prometheus pods
 * @param serviceDiscoveryCa when the operator serves service discovery over TLS with a certificate
 *     of its own: the CA bundle the shards are to trust, read at every reconcile (it follows the
 *     certificate's Secret); null when it does not (plain HTTP, or TLS ended by something else)
 * @param tenancy which namespaces are the platform's, and whether monitors may name files
 * @param operatorNamespace where the operator's pods run: a stack whose series Vigil reads admits
 *     them to its Prometheus in its NetworkPolicy
 */
public record DeploymentSettings(
    String serviceDiscoveryUrl,
    String operatorImage,
    ServiceDiscoveryCa serviceDiscoveryCa,
    Tenancy tenancy,
    String operatorNamespace) {
  /** The namespace the manifests and the chart install the operator in by default. */
  public static final String DEFAULT_OPERATOR_NAMESPACE = "vigil-system";

  /** The Prometheus image when a stack names none; the version Vigil renders and tests for. */
  public static final String PROMETHEUS_IMAGE = "quay.io/prometheus/prometheus:v3.16.0";

  /**
   * The Thanos image when a stack names none (sidecar and Query); the version e2e/tools builds and
   * ThanosIT runs on Vigil's arguments.
   */
  public static final String THANOS_IMAGE = "quay.io/thanos/thanos:v0.42.4";

  public DeploymentSettings {
    if (serviceDiscoveryUrl == null || serviceDiscoveryUrl.isBlank()) {
      throw new IllegalArgumentException("serviceDiscoveryUrl is required");
    }
    if (operatorImage == null || operatorImage.isBlank()) {
      throw new IllegalArgumentException("operatorImage is required");
    }
    if (serviceDiscoveryCa != null && !serviceDiscoveryUrl.startsWith("https://")) {
      throw new IllegalArgumentException(
          "a service discovery CA needs an https serviceDiscoveryUrl, got " + serviceDiscoveryUrl);
    }
    if (tenancy == null) {
      throw new IllegalArgumentException("tenancy is required");
    }
    if (operatorNamespace == null || operatorNamespace.isBlank()) {
      throw new IllegalArgumentException("operatorNamespace is required");
    }
  }

  /** The operator in {@link #DEFAULT_OPERATOR_NAMESPACE}. */
  public DeploymentSettings(
      String serviceDiscoveryUrl,
      String operatorImage,
      ServiceDiscoveryCa serviceDiscoveryCa,
      Tenancy tenancy) {
    this(
        serviceDiscoveryUrl,
        operatorImage,
        serviceDiscoveryCa,
        tenancy,
        DEFAULT_OPERATOR_NAMESPACE);
  }

  /** Service discovery without a CA of the operator's: plain HTTP, or TLS ended elsewhere. */
  public DeploymentSettings(String serviceDiscoveryUrl, String operatorImage, Tenancy tenancy) {
    this(serviceDiscoveryUrl, operatorImage, null, tenancy);
  }

  /** Whether the shards trust the operator's own CA bundle ({@link #serviceDiscoveryCa}). */
  public boolean serviceDiscoveryTls() {
    return serviceDiscoveryCa != null;
  }

  /** The CA bundle of the operator's service discovery certificate. */
  @FunctionalInterface
  public interface ServiceDiscoveryCa {
    /** PEM certificates; empty while the operator has no certificate (its Secret is missing). */
    Optional<String> pem();
  }
}
