import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A stand-in Java service for InstrumentedAppsIT, run as {@code java App.java}: no OpenTelemetry
 * code of its own. GET / calls GET /inventory on itself with java.net.http.HttpClient (an
 * instrumented client) and answers 200, so one request gives a trace of a server span, a client
 * span and the inner server span. It listens on 127.0.0.1:$PORT.
 */
public final class App {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv("PORT"));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            switch (exchange.getRequestURI().getPath()) {
              case "/" -> {
                HttpResponse<String> inner =
                    client.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/inventory"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                respond(exchange, 200, "{\"inventory\": \"" + inner.body() + "\"}");
              }
              case "/inventory" -> respond(exchange, 200, "42");
              case "/healthz" -> respond(exchange, 200, "ok");
              default -> respond(exchange, 404, "not found");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
