package dev.vigil.reconcilers.httpclient;

/**
 * The HTTP client settings Prometheus inlines into scrape, service discovery and remote write
 * configs (prometheus/common's {@code HTTPClientConfig}).
 */
public record HttpClient(
    BasicAuth basicAuth,
    Authorization authorization,
    OAuth2 oauth2,
    TlsConfig tlsConfig,
    String proxyUrl,
    String noProxy,
    Boolean proxyFromEnvironment,
    Boolean followRedirects,
    Boolean enableHttp2) {
  public static final HttpClient NONE =
      new HttpClient(null, null, null, null, null, null, null, null, null);
}
