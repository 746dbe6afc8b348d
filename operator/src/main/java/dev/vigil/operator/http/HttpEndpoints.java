package dev.vigil.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The operator's plain HTTP port: {@code /healthz} (the process serves), {@code /readyz} (informers
 * have synced) and {@code /metrics} (Prometheus text format), on an {@link HttpListener} of its
 * own. The reloader mode serves the same three paths with its own readiness and registry.
 */
public final class HttpEndpoints implements AutoCloseable {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpListener listener;

  /** With the {@linkplain HttpLimits#DEFAULT default limits}. */
  public HttpEndpoints(int port, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    this(port, HttpLimits.DEFAULT, ready, registry);
  }

  public HttpEndpoints(
      int port, HttpLimits limits, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    listener = HttpListener.plain("http", port, limits);
    listener.add("/healthz", exchange -> respond(exchange, 200, TEXT, "ok\n"));
    listener.add(
        "/readyz",
        exchange -> {
          boolean isReady = ready.getAsBoolean();
          respond(exchange, isReady ? 200 : 503, TEXT, isReady ? "ok\n" : "informers not synced\n");
        });
    listener.add(
        "/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
  }

  /** Serves another path prefix, e.g. HTTP service discovery when it shares this port. */
  public void add(String prefix, HttpHandler handler) {
    listener.add(prefix, handler);
  }

  public void start() {
    listener.start();
  }

  public int port() {
    return listener.port();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    listener.close();
  }
}
