package dev.vigil.operator.reloader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.reloader.ReloadEndpointStub.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusReloadTest {
  static PrometheusReload reload(URI url, Duration timeout) {
    return new PrometheusReload(url, timeout, Duration.ofMillis(10), Duration.ofMillis(40));
  }

  @Test
  void postsOnceWhenPrometheusAccepts() throws Exception {
    try (var prometheus = new ReloadEndpointStub(new Answer(200, ""))) {
      var result = reload(prometheus.url(), Duration.ofSeconds(5)).reload(() -> false);
      assertThat(result.ok()).isTrue();
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(prometheus.calls()).containsExactly("POST");
    }
  }

  @Test
  void retriesNon2xxUntilPrometheusAccepts() throws Exception {
    try (var prometheus =
        new ReloadEndpointStub(
            new Answer(503, "Service Unavailable"),
            new Answer(503, "Service Unavailable"),
            new Answer(200, ""))) {
      var result = reload(prometheus.url(), Duration.ofSeconds(5)).reload(() -> false);
      assertThat(result.ok()).isTrue();
      assertThat(result.attempts()).isEqualTo(3);
    }
  }

  @Test
  void aRejectedConfigFailsWithPrometheusExplanationWhenTheTimeoutRunsOut() throws Exception {
    String why =
        "failed to reload config: couldn't load configuration (--config.file=\"p.yml\"): "
            + "parsing YAML file p.yml: not a valid duration string: \"banana\"";
    try (var prometheus = new ReloadEndpointStub(new Answer(500, why + "\n"))) {
      var result = reload(prometheus.url(), Duration.ofMillis(200)).reload(() -> false);
      assertThat(result.ok()).isFalse();
      assertThat(result.attempts()).isGreaterThan(1);
      assertThat(result.message()).isEqualTo("HTTP 500: " + why);
    }
  }

  @Test
  void retriesWhilePrometheusIsNotListeningYet() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var result =
        reload(URI.create("http://127.0.0.1:" + port + "/-/reload"), Duration.ofMillis(200))
            .reload(() -> false);
    assertThat(result.ok()).isFalse();
    assertThat(result.attempts()).isGreaterThan(1);
    assertThat(result.message()).contains("ConnectException");
  }

  @Test
  void stopsRetryingWhenANewerChangeWillBeReloaded() throws IOException, InterruptedException {
    try (var prometheus = new ReloadEndpointStub(new Answer(500, "bad"))) {
      var result = reload(prometheus.url(), Duration.ofSeconds(30)).reload(() -> true);
      assertThat(result.ok()).isFalse();
      assertThat(result.attempts()).isEqualTo(1);
    }
  }
}
