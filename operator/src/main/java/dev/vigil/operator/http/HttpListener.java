package dev.vigil.operator.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * One port of the operator's, on the JDK's own server, within {@link HttpLimits}: its own threads
 * (up to one per connection, so a request never queues behind a slow client, and never behind
 * another listener's clients), request and response timeouts, a connection limit. Plain HTTP or
 * TLS.
 */
public final class HttpListener implements AutoCloseable {
  /** Connections the kernel may hold for the accepting thread, which takes them at once. */
  static final int BACKLOG = 256;

  /** Threads kept when idle; more start as connections need them, and end after a minute idle. */
  static final int CORE_THREADS = 2;

  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private HttpListener(String name, HttpServer server, HttpLimits limits) {
    this.server = server;
    AtomicInteger threads = new AtomicInteger();
    // No queue: each connection the server hands over gets a thread, up to the connection limit
    // (which the server enforces first, so the pool is never full for a connection it accepted).
    executor =
        new ThreadPoolExecutor(
            CORE_THREADS,
            limits.maxConnections(),
            1,
            TimeUnit.MINUTES,
            new SynchronousQueue<>(),
            r -> {
              Thread thread = new Thread(r, "vigil-" + name + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
  }

  /** A plain HTTP listener on {@code port} of every address (0: any free port). */
  public static HttpListener plain(String name, int port, HttpLimits limits) throws IOException {
    HttpLimits.install(limits);
    return new HttpListener(name, HttpServer.create(new InetSocketAddress(port), BACKLOG), limits);
  }

  /**
   * A TLS listener on {@code port}: TLS 1.2 and 1.3 only, no client certificates; the certificate
   * is whatever {@code tls}'s key managers hand out at each handshake (see {@link
   * ServingCertificate}).
   */
  public static HttpListener tls(String name, int port, HttpLimits limits, SSLContext tls)
      throws IOException {
    HttpLimits.install(limits);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(port), BACKLOG);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            parameters.setNeedClientAuth(false);
            params.setSSLParameters(parameters);
          }
        });
    return new HttpListener(name, server, limits);
  }

  /** Serves a path prefix. */
  public void add(String prefix, HttpHandler handler) {
    server.createContext(prefix, handler);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
