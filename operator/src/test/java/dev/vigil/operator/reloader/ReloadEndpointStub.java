package dev.vigil.operator.reloader;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Prometheus's {@code POST /-/reload} as a test double on the JDK's HTTP server: it answers the
 * queued statuses in order (then the last one forever) and records the methods it was called with.
 */
final class ReloadEndpointStub implements AutoCloseable {
  /** One answer: status and body. */
  record Answer(int status, String body) {}

  private final HttpServer server;
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final List<String> calls = new ArrayList<>();

  ReloadEndpointStub(Answer... answers) throws IOException {
    this.answers.addAll(List.of(answers));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/-/reload",
        exchange -> {
          Answer answer;
          synchronized (this) {
            calls.add(exchange.getRequestMethod());
            answer = this.answers.size() > 1 ? this.answers.poll() : this.answers.peek();
          }
          byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
          exchange.close();
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/-/reload");
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  synchronized void answer(Answer... next) {
    answers.clear();
    answers.addAll(List.of(next));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
