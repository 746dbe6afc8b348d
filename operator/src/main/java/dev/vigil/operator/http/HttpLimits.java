package dev.vigil.operator.http;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a slow, stuck or hostile client may cost a listener of the operator.
 *
 * <p>The JDK's server reads a request (TLS handshake, request line, headers) on a thread of its
 * executor, blocking, and writes the response the same way: a client that sends its headers a byte
 * at a time, or never reads its answer, holds a thread. {@link HttpListener} therefore runs up to
 * {@code maxConnections} threads, so that no request ever waits for one, and the JDK closes a
 * connection that has not delivered its request within {@code requestTimeout}, or not taken its
 * response within {@code responseTimeout}. Connections beyond {@code maxConnections} are closed as
 * they are accepted.
 *
 * <p>The JDK takes these limits from system properties it reads once per process, when its first
 * server starts ({@link #install}); they hold for every listener of the process alike.
 *
 * @param requestTimeout how long a connection has, from the first byte of a request (or from being
 *     accepted, if it sends nothing), to deliver the whole request; the JDK counts whole seconds
 * @param responseTimeout how long writing a whole response may take
 * @param maxConnections open connections per listener, idle keep-alive ones included; also the most
 *     threads a listener runs
 */
public record HttpLimits(Duration requestTimeout, Duration responseTimeout, int maxConnections) {
  /**
   * Generous for the clients the operator has: the kubelet and Prometheus send a request in well
   * under a millisecond and read a 1 MiB answer in a few.
   */
  public static final HttpLimits DEFAULT =
      new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 512);

  /** How long a keep-alive connection may wait for its next request (the JDK's default). */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(HttpLimits.class);
  private static HttpLimits installed;

  public HttpLimits {
    requireWholeSeconds("requestTimeout", requestTimeout);
    requireWholeSeconds("responseTimeout", responseTimeout);
    if (maxConnections < 16) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 16, got " + maxConnections);
    }
  }

  private static void requireWholeSeconds(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero() || value.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          name + " must be a positive number of whole seconds, got " + value);
    }
  }

  /**
   * Sets the JDK server's system properties to these limits. They take effect only if no JDK server
   * has started in this process yet: the JDK reads them once. Later calls with other limits change
   * nothing and are logged.
   */
  static synchronized void install(HttpLimits limits) {
    if (installed != null) {
      if (!installed.equals(limits)) {
        LOG.warn(
            "HTTP limits {} asked for after {} took effect; the JDK reads them once per process",
            limits,
            installed);
      }
      return;
    }
    installed = limits;
    System.setProperty(
        "sun.net.httpserver.maxReqTime", Long.toString(limits.requestTimeout().toSeconds()));
    System.setProperty(
        "sun.net.httpserver.maxRspTime", Long.toString(limits.responseTimeout().toSeconds()));
    System.setProperty("sun.net.httpserver.idleInterval", Long.toString(IDLE_TIMEOUT.toSeconds()));
    // How often idle connections, and accepted ones that sent nothing, are looked at: every 10 s
    // by default, which would let a silent connection outlive the request timeout by that much.
    System.setProperty("sun.net.httpserver.clockTick", "1000");
    // How often connections are checked against the request and response timeouts (the default).
    System.setProperty("sun.net.httpserver.timerMillis", "1000");
    System.setProperty("jdk.httpserver.maxConnections", Integer.toString(limits.maxConnections()));
    // The server writes a response's headers and its body apart; with Nagle's algorithm on, the
    // body waits for the client to acknowledge the headers, which a client on a kept-alive
    // connection delays by up to 40 ms (Linux's delayed ACK): every HTTP SD answer and admission
    // review took about 40 ms more than its work (the scale harness's 8 threads of GETs idled).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }
}
