package dev.vigil.operator.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One request at a time on a new loopback connection, as the kubelet probes: connect, send, read to
 * the end; how long it took and the status. Gives up after {@link #GIVE_UP_MILLIS}.
 */
final class Probe {
  static final int GIVE_UP_MILLIS = 3_000;

  private final String name;
  private final int port;
  private final String request;
  private final Supplier<SSLSocketFactory> tls;
  private final List<long[]> samples = new ArrayList<>(); // {nanos, status}

  /**
   * @param tls a new client's TLS for each request (no session to resume, as Prometheus's), which
   *     checks the name 127.0.0.1; null for plain HTTP
   */
  Probe(String name, int port, String path, List<String> headers, Supplier<SSLSocketFactory> tls) {
    this.name = name;
    this.port = port;
    this.tls = tls;
    StringBuilder text = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    headers.forEach(h -> text.append(h).append("\r\n"));
    this.request = text.append("Connection: close\r\n\r\n").toString();
  }

  String name() {
    return name;
  }

  /** Sends the request once and notes the outcome. */
  void once() {
    long started = System.nanoTime();
    int status = -1;
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", port), GIVE_UP_MILLIS);
      plain.setSoTimeout(GIVE_UP_MILLIS);
      Socket socket = plain;
      if (tls != null) {
        SSLSocket secure = (SSLSocket) tls.get().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        socket = secure;
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      byte[] buffer = new byte[16384];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (head.size() < 64) {
          head.write(buffer, 0, Math.min(n, 64));
        }
      }
      String line = head.toString(StandardCharsets.US_ASCII);
      if (line.startsWith("HTTP/1.1 ")) {
        status = Integer.parseInt(line.substring(9, 12));
      }
    } catch (IOException | RuntimeException e) {
      status = -1;
    }
    synchronized (samples) {
      samples.add(new long[] {System.nanoTime() - started, status});
    }
  }

  /** One request before the measurement: a running operator has served its paths before. */
  void warmUp() {
    once();
    synchronized (samples) {
      samples.clear();
    }
  }

  int count() {
    synchronized (samples) {
      return samples.size();
    }
  }

  int answered(int status) {
    synchronized (samples) {
      return (int) samples.stream().filter(s -> s[1] == status).count();
    }
  }

  /** The latency at a quantile (0.5, 0.99, 1.0), in milliseconds. */
  double millisAt(double quantile) {
    List<Long> nanos = new ArrayList<>();
    synchronized (samples) {
      samples.forEach(s -> nanos.add(s[0]));
    }
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    nanos.sort(null);
    int index = (int) Math.ceil(quantile * nanos.size()) - 1;
    return nanos.get(Math.max(0, Math.min(index, nanos.size() - 1)))
        / (double) TimeUnit.MILLISECONDS.toNanos(1);
  }
}
