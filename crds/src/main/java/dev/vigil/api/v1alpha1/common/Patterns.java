package dev.vigil.api.v1alpha1.common;

/** Regular expressions the CRD schemas use for string fields. */
public final class Patterns {
  /** A Prometheus duration: units y, w, d, h, m, s, ms, largest first, e.g. {@code 1h30m}. */
  public static final String PROMETHEUS_DURATION =
      "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$";

  /** A non-empty Prometheus duration (a scrape interval of 0 makes no sense). */
  public static final String NON_ZERO_PROMETHEUS_DURATION =
      "^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$";

  /** A Go duration, as the OpenTelemetry Collector and Jaeger read them, e.g. {@code 200ms}. */
  public static final String GO_DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

  /** A Prometheus storage size for retention, e.g. {@code 512MB}, {@code 50GiB}. */
  public static final String BYTE_SIZE =
      "^(0|([0-9]+(\\.[0-9]+)?(B|KB|MB|GB|TB|PB|EB|KiB|MiB|GiB|TiB|PiB|EiB)))$";

  /** A Prometheus label name. */
  public static final String LABEL_NAME = "^[a-zA-Z_][a-zA-Z0-9_]*$";

  /**
   * The sub-expression CEL rules use to decide a duration can be compared with CEL's {@code
   * duration()}, which reads Go durations only (no d, w or y units).
   */
  public static final String CEL_COMPARABLE_DURATION = "^([0-9]+(ms|s|m|h))+$";

  private Patterns() {}
}
