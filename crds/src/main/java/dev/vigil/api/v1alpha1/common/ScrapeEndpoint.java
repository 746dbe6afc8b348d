package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;
import java.util.Map;

/**
 * The fields a ServiceMonitor endpoint and a PodMonitor endpoint share: how to scrape a target once
 * it is found. Names and meaning are those of prometheus-operator's Endpoint and
 * PodMetricsEndpoint.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.interval) || !has(self.scrapeTimeout)"
            + " || !self.interval.matches('"
            + Patterns.CEL_COMPARABLE_DURATION
            + "') || !self.scrapeTimeout.matches('"
            + Patterns.CEL_COMPARABLE_DURATION
            + "') || duration(self.scrapeTimeout) <= duration(self.interval)",
    message = "scrapeTimeout must not be longer than interval: shorten scrapeTimeout")
@ValidationRule(
    value =
        "[has(self.basicAuth), has(self.authorization), has(self.oauth2),"
            + " has(self.bearerTokenSecret)].filter(x, x).size() <= 1",
    message =
        "set at most one of basicAuth, authorization, oauth2 and bearerTokenSecret on an endpoint")
public abstract class ScrapeEndpoint {
  @JsonPropertyDescription("HTTP path to scrape. Default: /metrics")
  @Size(max = 1024)
  public String path;

  @JsonPropertyDescription("HTTP scheme: http (default) or https.")
  public Scheme scheme;

  @JsonPropertyDescription("URL query parameters sent with every scrape.")
  public Map<String, List<String>> params;

  @JsonPropertyDescription(
      "How often to scrape, as a Prometheus duration (30s, 1m). Default: the stack's"
          + " scrapeInterval.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  @Size(max = 32)
  public String interval;

  @JsonPropertyDescription(
      "Timeout of one scrape, as a Prometheus duration; not longer than interval. Default: the"
          + " stack's scrapeTimeout.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  @Size(max = 32)
  public String scrapeTimeout;

  @JsonPropertyDescription(
      "Keep the target's labels when they clash with the labels Prometheus attaches. Default:"
          + " false.")
  public Boolean honorLabels;

  @JsonPropertyDescription("Use the timestamps the target exposes. Default: true (Prometheus's).")
  public Boolean honorTimestamps;

  @JsonPropertyDescription(
      "Mark series with explicit timestamps stale when they disappear. Default: false.")
  public Boolean trackTimestampsStaleness;

  @JsonPropertyDescription(
      "Relabeling applied to targets before scraping, after Vigil's standard relabeling. Sees"
          + " the __meta_kubernetes_* labels.")
  @Size(max = 100)
  public List<RelabelConfig> relabelings;

  @JsonPropertyDescription("Relabeling applied to scraped samples before they are stored.")
  @Size(max = 100)
  public List<RelabelConfig> metricRelabelings;

  @JsonPropertyDescription("TLS settings for the scrape.")
  public TLSConfig tlsConfig;

  @JsonPropertyDescription("Basic authentication for the scrape.")
  public BasicAuth basicAuth;

  @JsonPropertyDescription("Secret key holding a bearer token for the scrape.")
  public SecretKeySelector bearerTokenSecret;

  @JsonPropertyDescription("Authorization header for the scrape.")
  public SafeAuthorization authorization;

  @JsonPropertyDescription("OAuth 2.0 for the scrape.")
  public OAuth2 oauth2;

  @JsonPropertyDescription("Proxy URL for the scrape, e.g. http://proxy:8080.")
  @Pattern("^(http|https|socks5)://.+$")
  public String proxyUrl;

  @JsonPropertyDescription("Hosts, IPs and CIDRs that bypass the proxy, comma-separated.")
  public String noProxy;

  @JsonPropertyDescription("Use the proxy given by the environment (HTTP_PROXY, NO_PROXY).")
  public Boolean proxyFromEnvironment;

  @JsonPropertyDescription("Headers sent to the proxy on CONNECT, values from Secrets.")
  public Map<String, List<SecretKeySelector>> proxyConnectHeader;

  @JsonPropertyDescription("Follow HTTP 3xx redirects. Default: true.")
  public Boolean followRedirects;

  @JsonPropertyDescription("Allow HTTP/2 for the scrape. Default: true.")
  public Boolean enableHttp2;

  @JsonPropertyDescription(
      "Drop targets whose pod has finished (phase Succeeded or Failed). Default: true.")
  public Boolean filterRunning;

  /** URL schemes a target can be scraped with. */
  public enum Scheme {
    http,
    https,
    HTTP,
    HTTPS
  }
}
