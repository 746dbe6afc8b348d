package dev.vigil.operator.admission;

import java.net.URI;
import java.util.List;

/**
 * The admission webhooks' settings (docs/webhooks.md); they are served over HTTPS by every replica.
 *
 * @param port the HTTPS port
 * @param url {@code https://host:port} the API server dials when it reaches the operator outside a
 *     cluster (the operator then applies the webhook configurations itself); null: the Service
 * @param serviceNamespace namespace of the Service in front of every replica's webhook port
 * @param serviceName its name; it serves port 443
 * @param tlsSecretNamespace namespace of the Secret holding the serving certificate
 * @param tlsSecretName its name
 * @param certManager whether cert-manager issues the certificate and injects the CA; false: Vigil
 *     makes and renews both
 * @param openTelemetryAnnotations whether the OpenTelemetry operator's {@code
 *     instrumentation.opentelemetry.io/inject-*} annotations instrument pods too
 */
public record WebhookSettings(
    int port,
    String url,
    String serviceNamespace,
    String serviceName,
    String tlsSecretNamespace,
    String tlsSecretName,
    boolean certManager,
    boolean openTelemetryAnnotations) {
  /** The host names the serving certificate must carry. */
  public List<String> hosts() {
    if (url != null) {
      return List.of(URI.create(url).getHost());
    }
    String host = serviceName + "." + serviceNamespace + ".svc";
    return List.of(host, host + ".cluster.local");
  }

  /** Where the API server sends reviews. */
  WebhookConfigurations.Target target() {
    return new WebhookConfigurations.Target(url, serviceNamespace, serviceName, 443);
  }
}
