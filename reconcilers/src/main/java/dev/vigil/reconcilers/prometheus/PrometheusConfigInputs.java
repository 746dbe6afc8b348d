package dev.vigil.reconcilers.prometheus;

import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.references.ValueLookup;
import dev.vigil.reconcilers.scope.Tenancy;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What {@link PrometheusConfigBuilder} needs besides the stack and its monitors: where Vigil's HTTP
 * service discovery is and how a shard authenticates to it, and what other parts of Vigil add to
 * the configuration (rule files, Alertmanagers).
 *
 * @param sdBaseUrl base URL of the operator's HTTP service discovery, e.g. {@code
 *     http://vigil.vigil-system.svc:8080}; job URLs are {@code <sdBaseUrl>/sd/v1/...}
 * @param sdTokenFile path, in the Prometheus container, of the per-stack token sent as {@code
 *     Authorization: Bearer} to the service discovery; Prometheus re-reads it on every request
 * @param sdCaFile path of the CA that signs the service discovery's certificate when {@code
 *     sdBaseUrl} is https, else null
 * @param ruleFiles rule file paths (globs allowed) for {@code rule_files}, in the order given
 * @param alertmanagers {@code host:port} of the Alertmanagers to send alerts to (API v2, http)
 * @param values reads the value of a Secret or ConfigMap key that Prometheus cannot read from a
 *     file (only an OAuth2 client ID today); must be a pure lookup, e.g. over an informer cache
 * @param keyExists whether a Secret or ConfigMap key the configuration would read as a file exists;
 *     a part referencing a missing key is left out and reported. Null: every key exists
 * @param tenancy which namespaces a stack's monitors may come from and reach, and whether monitors
 *     may name files. Null: {@link Tenancy#SINGLE_TEAM}
 */
public record PrometheusConfigInputs(
    String sdBaseUrl,
    String sdTokenFile,
    String sdCaFile,
    List<String> ruleFiles,
    List<String> alertmanagers,
    ValueLookup values,
    Predicate<MountedKey> keyExists,
    Tenancy tenancy) {

  public PrometheusConfigInputs {
    if (sdBaseUrl == null || !sdBaseUrl.matches("https?://[^/?#]+(/[^?#]*)?")) {
      throw new IllegalArgumentException(
          "sdBaseUrl must be an http(s) URL without query or fragment: " + sdBaseUrl);
    }
    if (sdTokenFile == null || sdTokenFile.isBlank()) {
      throw new IllegalArgumentException("sdTokenFile is required");
    }
    ruleFiles = ruleFiles == null ? List.of() : List.copyOf(ruleFiles);
    alertmanagers = alertmanagers == null ? List.of() : List.copyOf(alertmanagers);
    values = values == null ? key -> Optional.empty() : values;
    keyExists = keyExists == null ? key -> true : keyExists;
    tenancy = tenancy == null ? Tenancy.SINGLE_TEAM : tenancy;
  }

  /** Inputs with no rule files, no Alertmanager and no readable values. */
  public static PrometheusConfigInputs of(String sdBaseUrl, String sdTokenFile) {
    return new PrometheusConfigInputs(sdBaseUrl, sdTokenFile, null, null, null, null, null, null);
  }
}
