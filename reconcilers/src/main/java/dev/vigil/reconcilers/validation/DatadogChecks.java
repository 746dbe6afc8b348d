package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.common.DatadogExporterSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the schema cannot check of a {@link DatadogExporterSpec}, for every kind that has one: the
 * API key names a Secret and a key, and an {@code endpoint} override is an absolute http(s) URL
 * with a host, below which the collector can append {@code /v1/traces} (no query, no fragment).
 */
final class DatadogChecks {
  private DatadogChecks() {}

  /** The problems of {@code spec} at {@code field}; none when it is null. */
  static List<String> problems(String field, DatadogExporterSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      return problems;
    }
    if (spec.apiKey == null
        || spec.apiKey.getName() == null
        || spec.apiKey.getName().isBlank()
        || spec.apiKey.getKey() == null
        || spec.apiKey.getKey().isBlank()) {
      problems.add(
          field + ".apiKey: name the Secret (name) and its key (key) holding the Datadog API key");
    }
    if (spec.endpoint != null) {
      String reason = endpointProblem(spec.endpoint);
      if (reason != null) {
        problems.add(field + ".endpoint \"" + spec.endpoint + "\" " + reason);
      }
    }
    return problems;
  }

  private static String endpointProblem(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      return "is not a URL: " + e.getReason();
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      return "must start with http:// or https://";
    }
    if (uri.getHost() == null) {
      return "has no host";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "is a base URL: /v1/traces is appended to it, so it takes no query or fragment";
    }
    return null;
  }
}
