package dev.vigil.reconcilers.status;

/**
 * What a reconciler found the Ready condition of a valid object to be.
 *
 * @param status {@link Conditions#TRUE}, {@link Conditions#FALSE} or {@link Conditions#UNKNOWN}
 * @param reason a CamelCase reason
 * @param message what it means and, when not ready, what to do
 */
public record Readiness(String status, String reason, String message) {
  public static Readiness ready(String reason, String message) {
    return new Readiness(Conditions.TRUE, reason, message);
  }

  public static Readiness notReady(String reason, String message) {
    return new Readiness(Conditions.FALSE, reason, message);
  }

  public static Readiness unknown(String reason, String message) {
    return new Readiness(Conditions.UNKNOWN, reason, message);
  }
}
