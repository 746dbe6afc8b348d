package dev.vigil.reconcilers.prometheus;

import dev.vigil.reconcilers.httpclient.Authorization;
import dev.vigil.reconcilers.httpclient.HttpClient;
import dev.vigil.reconcilers.httpclient.TlsConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.HttpSdConfig;
import java.nio.charset.StandardCharsets;

/**
 * Where one shard of a stack reads the targets of each of its jobs: Vigil's HTTP service discovery
 * at {@code <baseUrl>/sd/v1/<stack namespace>/<stack name>/<shard>/<job name>}, every part one
 * percent-encoded path segment (job names contain {@code /}), authenticated with the stack's token.
 *
 * @param baseUrl the operator's service discovery base URL, without a trailing {@code /}
 * @param tokenFile file holding the stack's bearer token; Prometheus re-reads it on every request
 * @param caFile CA of the service discovery's certificate when {@code baseUrl} is https, else null
 */
public record HttpServiceDiscovery(
    String baseUrl,
    String stackNamespace,
    String stackName,
    int shard,
    String tokenFile,
    String caFile) {
  /**
   * How often a shard polls the service discovery for each job. Half of Prometheus's default (60s),
   * so new pods are scraped within about one default scrape interval (30s), while a shard with J
   * jobs makes only J/30 small requests a second. Prometheus uses it as the request timeout too.
   */
  public static final String REFRESH_INTERVAL = "30s";

  /** The key of the stack's token in its Secret, and where the shards' pods mount it. */
  public static final String TOKEN_KEY = "token";

  public static final String TOKEN_DIR = "/etc/prometheus/sd-token";
  public static final String TOKEN_FILE = TOKEN_DIR + "/" + TOKEN_KEY;

  /**
   * The key of the CA bundle in the stack's token Secret, when the operator serves service
   * discovery over TLS, and where the shards' pods find it (the token Secret's volume).
   */
  public static final String CA_KEY = "ca.crt";

  public static final String CA_FILE = TOKEN_DIR + "/" + CA_KEY;

  public HttpServiceDiscovery {
    baseUrl = baseUrl.replaceAll("/+$", "");
  }

  /** The URL a job reads its targets from. */
  public String url(String jobName) {
    return baseUrl
        + "/sd/v1/"
        + pathSegment(stackNamespace)
        + "/"
        + pathSegment(stackName)
        + "/"
        + shard
        + "/"
        + pathSegment(jobName);
  }

  /** The {@code http_sd_configs} entry of a job. */
  HttpSdConfig config(String jobName) {
    HttpClient client =
        new HttpClient(
            null,
            new Authorization("Bearer", tokenFile),
            null,
            caFile == null ? null : new TlsConfig(caFile, null, null, null, null, null, null),
            null,
            null,
            null,
            null,
            null);
    return new HttpSdConfig(url(jobName), REFRESH_INTERVAL, client);
  }

  /**
   * A path segment with every byte outside RFC 3986's unreserved set percent-encoded, so {@code
   * serviceMonitor/shop/checkout/0} is one segment: {@code serviceMonitor%2Fshop%2Fcheckout%2F0}.
   */
  public static String pathSegment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
