package dev.vigil.reconcilers.httpclient;

import java.net.URI;
import java.net.URISyntaxException;

/** Whether a URL a tool will be configured to call is one it can call. */
public final class HttpUrls {
  private HttpUrls() {}

  /** Whether {@code url} is an absolute {@code http} or {@code https} URL with a host. */
  public static boolean isAbsoluteHttp(String url) {
    if (url == null || url.isBlank()) {
      return false;
    }
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
