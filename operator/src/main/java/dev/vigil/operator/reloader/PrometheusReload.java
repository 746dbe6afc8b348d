package dev.vigil.operator.reloader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Prometheus to reload its configuration: {@code POST /-/reload} (served when Prometheus runs
 * with {@code --web.enable-lifecycle}). Connection errors and non-2xx answers are retried with
 * exponential backoff until a deadline, because Prometheus may still be starting; a configuration
 * Prometheus rejects also answers non-2xx, and its response body (which says why) is logged.
 */
public final class PrometheusReload {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusReload.class);
  private static final int MAX_BODY = 2000;

  /**
   * The outcome of one reload.
   *
   * @param ok Prometheus answered 2xx
   * @param attempts how many requests were sent
   * @param message the last answer or error, for logs and tests
   */
  public record Result(boolean ok, int attempts, String message) {}

  private final URI url;
  private final Duration timeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final HttpClient http;

  /**
   * @param url the reload endpoint
   * @param timeout how long to keep retrying before the reload counts as failed
   * @param initialBackoff the wait after the first failed attempt; doubled after each further one
   * @param maxBackoff the longest wait between attempts
   */
  public PrometheusReload(URI url, Duration timeout, Duration initialBackoff, Duration maxBackoff) {
    this.url = url;
    this.timeout = timeout;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public static PrometheusReload of(ReloaderConfig config) {
    return new PrometheusReload(
        config.reloadUrl(), config.reloadTimeout(), Duration.ofMillis(250), Duration.ofSeconds(5));
  }

  /**
   * POSTs the reload URL until Prometheus answers 2xx, the deadline passes, or {@code superseded}
   * says a newer change will be reloaded anyway.
   */
  public Result reload(BooleanSupplier superseded) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration backoff = initialBackoff;
    int attempts = 0;
    while (true) {
      attempts++;
      String failure;
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 == 2) {
          return new Result(true, attempts, "HTTP " + response.statusCode());
        }
        failure = "HTTP " + response.statusCode() + ": " + trim(response.body());
      } catch (IOException e) {
        failure =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || superseded.getAsBoolean()) {
        return new Result(false, attempts, failure);
      }
      LOG.warn(
          "reload {} failed (attempt {}): {}; retrying in {} ms",
          url,
          attempts,
          failure,
          backoff.toMillis());
      Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, left / 1_000_000)));
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
    }
  }

  public URI url() {
    return url;
  }

  private static String trim(String body) {
    String text = body.strip();
    return text.length() <= MAX_BODY ? text : text.substring(0, MAX_BODY) + "...";
  }
}
