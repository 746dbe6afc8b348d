package dev.vigil.reconcilers.grafana;

/**
 * What a Grafana builder left out, and why.
 *
 * @param subject what was left out, e.g. {@code shop/dashboards key checkout.json} or {@code
 *     TracingPipeline shop/traces}
 * @param message what is wrong; says what to fix
 */
public record ProvisioningProblem(String subject, String message) {
  /** {@code <subject>: <message>}, for conditions and Events. */
  public String describe() {
    return subject + ": " + message;
  }
}
