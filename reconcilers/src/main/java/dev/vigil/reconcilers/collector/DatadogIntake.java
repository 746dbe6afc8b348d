package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.common.DatadogExporterSpec;
import dev.vigil.api.v1alpha1.common.DatadogExporterSpec.Site;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpExporter;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Datadog's OTLP intake as an {@value #ID} exporter: the collector's own {@code datadog} exporter
 * cannot be built into the collector Vigil runs, so spans (and, for the kinds that send them, logs
 * and metrics) go to Datadog's documented OTLP HTTP endpoints instead, in protobuf,
 * gzip-compressed.
 *
 * <p>The endpoints are those Datadog documents for each site ({@code otlp_trace_endpoint}, {@code
 * otlp_logs_endpoint} and {@code otlp_metrics_endpoint} in the site table of its documentation):
 * {@code https://otlp.<site>/v1/traces}, {@code /v1/logs} and {@code /v1/metrics}; see <a
 * href="https://docs.datadoghq.com/opentelemetry/setup/otlp_ingest/">Datadog OTLP Intake
 * Endpoint</a> and its traces, logs and metrics pages. The US1-FED site ({@code ddog-gov.com}) has
 * none, so {@link Site} does not offer it.
 *
 * <p>Headers: {@code dd-api-key}, an {@code ${env:}} reference to {@value #API_KEY_VARIABLE}, set
 * from the Secret key (never the value: the file is a ConfigMap); and {@code dd-protocol: otlp},
 * which Datadog's OTLP logs intake asked for (its current pages no longer list it; the intake
 * accepts it on every signal). A missing Secret key makes the exporter unrenderable: it is left out
 * and reported, as any exporter is.
 */
public final class DatadogIntake {
  /**
   * The exporter's component id: a user's OTLP exporter names are DNS labels, which cannot hold the
   * {@code _}, so {@code otlp: [{name: datadog}]} never takes its place.
   */
  public static final String ID = "otlp_http/datadog_intake";

  /** The variable the pod sets from {@code apiKey}. */
  public static final String API_KEY_VARIABLE = "VIGIL_DATADOG_API_KEY";

  /** The header carrying the API key. */
  public static final String API_KEY_HEADER = "dd-api-key";

  /** The compression Datadog's intake takes, and the collector's default for otlp_http. */
  static final String COMPRESSION = "gzip";

  /** What a collector sends to the intake; each has its own path. */
  public enum Signal {
    TRACES,
    LOGS,
    METRICS;

    /** {@code /v1/traces}, {@code /v1/logs} or {@code /v1/metrics}. */
    public String path() {
      return "/v1/" + name().toLowerCase(Locale.ROOT);
    }
  }

  private DatadogIntake() {}

  /**
   * The site's documented intake URL for {@code signal}, e.g. {@code
   * https://otlp.datadoghq.eu/v1/logs}.
   */
  public static String endpoint(Site site, Signal signal) {
    return "https://otlp." + site.domain() + signal.path();
  }

  /**
   * The exporter sending {@code signals} (the others' endpoints stay unset) to the site's intake,
   * or below {@code spec.endpoint} when it is set. Adds the API key's variable to {@code refs}.
   *
   * @throws Unrenderable when the API key is missing or its Secret key does not exist, or the
   *     endpoint is not an http(s) URL
   */
  static OtlpExporter exporter(
      DatadogExporterSpec spec, Set<Signal> signals, SecretReferences refs) {
    if (spec.apiKey == null) {
      throw new Unrenderable("apiKey is required: name the Secret key holding the API key");
    }
    String base = null;
    if (spec.endpoint != null) {
      if (!spec.endpoint.matches("https?://[^\\s?#]+")) {
        throw new Unrenderable(
            "endpoint \""
                + spec.endpoint
                + "\" must be an http(s):// base URL without query or fragment");
      }
      base = spec.endpoint.replaceAll("/+$", "");
    }
    Site site = Objects.requireNonNullElse(spec.site, Site.US1);
    SortedMap<String, String> headers = new TreeMap<>();
    headers.put(API_KEY_HEADER, refs.env(API_KEY_VARIABLE, spec.apiKey, "apiKey"));
    headers.put("dd-protocol", "otlp");
    return new OtlpExporter(
        null,
        url(site, base, signals, Signal.TRACES),
        url(site, base, signals, Signal.LOGS),
        url(site, base, signals, Signal.METRICS),
        COMPRESSION,
        null,
        headers,
        null);
  }

  private static String url(Site site, String base, Set<Signal> signals, Signal signal) {
    if (!signals.contains(signal)) {
      return null;
    }
    return base == null ? endpoint(site, signal) : base + signal.path();
  }
}
