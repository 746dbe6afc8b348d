package dev.vigil.operator.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The webhooks' HTTPS paths: {@value #VALIDATE} for Vigil's kinds and {@value #MUTATE_PODS} for
 * pods. A POST of an AdmissionReview (at most {@value #MOST_BYTES} bytes, more than the API
 * server's own limit on an object) is answered with the review and its response; anything else with
 * a 4xx status.
 */
public final class AdmissionEndpoint implements HttpHandler {
  public static final String VALIDATE = "/validate";
  public static final String MUTATE_PODS = "/mutate-pods";
  static final int MOST_BYTES = 8 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Admission admission;

  public AdmissionEndpoint(Admission admission) {
    this.admission = admission;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Function<JsonNode, ObjectNode> answer =
          switch (path) {
            case VALIDATE -> admission::validate;
            case MUTATE_PODS -> admission::mutatePod;
            default -> null;
          };
      if (answer == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      JsonNode review;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MOST_BYTES + 1);
        if (body.length > MOST_BYTES) {
          exchange.sendResponseHeaders(413, -1);
          return;
        }
        review = JSON.readTree(body);
      } catch (IOException e) {
        byte[] text =
            ("not an AdmissionReview: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(400, text.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(text);
        }
        return;
      }
      if (review == null || !review.path("request").isObject()) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      byte[] response = JSON.writeValueAsBytes(answer.apply(review));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }
}
