package dev.vigil.operator.http;

import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;

/**
 * The operator's ports: {@code /healthz}, {@code /readyz} and {@code /metrics} on the plain HTTP
 * port ({@link HttpEndpoints}), and service discovery either on that port too (plain HTTP, the
 * default) or on a listener of its own, HTTPS when given a TLS context. Each listener has its own
 * threads and connection limit, so with a port of its own no service discovery client can touch the
 * probes at all.
 */
public final class OperatorPorts implements AutoCloseable {
  private final HttpEndpoints http;
  private final HttpListener serviceDiscovery;
  private final boolean tls;

  private OperatorPorts(HttpEndpoints http, HttpListener serviceDiscovery, boolean tls) {
    this.http = http;
    this.serviceDiscovery = serviceDiscovery;
    this.tls = tls;
  }

  /**
   * @param serviceDiscoveryPort service discovery's own port (0: any free one), or -1 to share
   *     {@code httpPort}
   * @param tls service discovery's TLS context, or null for plain HTTP; needs a port of its own
   * @param prefix the path prefix service discovery serves
   */
  public static OperatorPorts open(
      int httpPort,
      int serviceDiscoveryPort,
      SSLContext tls,
      HttpLimits limits,
      BooleanSupplier ready,
      PrometheusMeterRegistry registry,
      String prefix,
      HttpHandler handler)
      throws IOException {
    if (tls != null && serviceDiscoveryPort < 0) {
      throw new IllegalArgumentException("service discovery over TLS needs a port of its own");
    }
    HttpEndpoints http = new HttpEndpoints(httpPort, limits, ready, registry);
    HttpListener serviceDiscovery = null;
    if (serviceDiscoveryPort < 0) {
      http.add(prefix, handler);
    } else {
      try {
        serviceDiscovery =
            tls == null
                ? HttpListener.plain("sd", serviceDiscoveryPort, limits)
                : HttpListener.tls("sd", serviceDiscoveryPort, limits, tls);
      } catch (IOException | RuntimeException e) {
        http.close();
        throw e;
      }
      serviceDiscovery.add(prefix, handler);
    }
    return new OperatorPorts(http, serviceDiscovery, tls != null);
  }

  public void start() {
    http.start();
    if (serviceDiscovery != null) {
      serviceDiscovery.start();
    }
  }

  public int httpPort() {
    return http.port();
  }

  /** The port service discovery is served on: its own, or the HTTP port. */
  public int serviceDiscoveryPort() {
    return serviceDiscovery == null ? http.port() : serviceDiscovery.port();
  }

  /** For the start-up log line. */
  public String describe() {
    return "/healthz, /readyz and /metrics on port "
        + http.port()
        + ", service discovery "
        + (serviceDiscovery == null
            ? "on the same port"
            : (tls ? "over HTTPS" : "over HTTP") + " on port " + serviceDiscovery.port());
  }

  @Override
  public void close() {
    http.close();
    if (serviceDiscovery != null) {
      serviceDiscovery.close();
    }
  }
}
