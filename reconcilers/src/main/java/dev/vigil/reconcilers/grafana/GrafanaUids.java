package dev.vigil.reconcilers.grafana;

import dev.vigil.reconcilers.digest.Sha256;
import java.util.regex.Pattern;

/**
 * The stable UIDs of the data sources Vigil provisions, in one place: dashboards and links between
 * data sources refer to them, so they never change while the stack and its pipelines exist.
 *
 * <p>A UID is {@code vigil-<namespace>_<name>-<kind>}: the underscore cannot occur in a Kubernetes
 * name, so two objects never share a UID (namespace {@code a-b} name {@code c} and namespace {@code
 * a} name {@code b-c} differ). Grafana accepts at most {@value #MAX_LENGTH} characters of {@code
 * [a-zA-Z0-9_-]}; a longer UID, or one with a dot in a name, becomes {@code
 * vigil-<namespace>_<name>} cut short, then {@code -<hash>-<kind>}, where the hash is the first 10
 * hex digits of the SHA-256 of {@code <kind>/<namespace>/<name>}.
 */
public final class GrafanaUids {
  /** The longest UID Grafana accepts, for data sources and dashboards alike. */
  public static final int MAX_LENGTH = 40;

  static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_-]{1," + MAX_LENGTH + "}");

  private GrafanaUids() {}

  /** The stack's Prometheus (or Thanos Query) data source. */
  public static String prometheus(String namespace, String stack) {
    return uid("prometheus", namespace, stack);
  }

  /** The stack's Alertmanager data source. */
  public static String alertmanager(String namespace, String stack) {
    return uid("alertmanager", namespace, stack);
  }

  /** The Jaeger data source of a TracingPipeline's backend. */
  public static String jaeger(String namespace, String pipeline) {
    return uid("jaeger", namespace, pipeline);
  }

  /**
   * The VictoriaLogs data source of a LogPipeline's backend: {@code
   * vigil-<namespace>_<pipeline>-victorialogs}, hashed as the others when longer than 40.
   */
  public static String victoriaLogs(String namespace, String pipeline) {
    return uid("victorialogs", namespace, pipeline);
  }

  /** Whether Grafana accepts a UID: 1 to 40 letters, digits, {@code -} or {@code _}. */
  public static boolean valid(String uid) {
    return uid != null && VALID.matcher(uid).matches();
  }

  static String uid(String kind, String namespace, String name) {
    String plain = "vigil-" + namespace + "_" + name + "-" + kind;
    if (valid(plain)) {
      return plain;
    }
    String hash = Sha256.hex(kind + "/" + namespace + "/" + name).substring(0, 10);
    String suffix = "-" + hash + "-" + kind;
    String safe = ("vigil-" + namespace + "_" + name).replaceAll("[^a-zA-Z0-9_-]", "-");
    return safe.substring(0, Math.min(safe.length(), MAX_LENGTH - suffix.length())) + suffix;
  }
}
