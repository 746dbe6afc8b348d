package dev.vigil.operator.reloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.reloader.ReloadEndpointStub.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync loop, with an in-memory source instead of the API and a stub reload endpoint. */
class ReloaderTest {
  @TempDir Path dir;

  /** A source whose content the test sets; {@code null} means the object does not exist. */
  static final class FakeSource implements ConfigSource {
    final Path file;
    volatile String content;
    Runnable onChange;

    FakeSource(Path file, String content) {
      this.file = file;
      this.content = content;
    }

    void set(String newContent) {
      content = newContent;
      onChange.run();
    }

    @Override
    public void start(Runnable onChange) {
      this.onChange = onChange;
      onChange.run();
    }

    @Override
    public boolean hasSynced() {
      return onChange != null;
    }

    @Override
    public Outcome writeTo(ConfigFileWriter writer) throws IOException {
      String now = content;
      if (now == null) {
        return Outcome.missing("Secret test/config does not exist (yet)");
      }
      return Outcome.of(writer.write(file, now.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {}
  }

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  Reloader reloader(FakeSource source, ReloadEndpointStub prometheus, ReloaderMetrics metrics) {
    return new Reloader(
        List.of(source),
        new ConfigFileWriter(),
        new PrometheusReload(
            prometheus.url(), Duration.ofMillis(300), Duration.ofMillis(10), Duration.ofMillis(50)),
        metrics);
  }

  @Test
  void writesAndReloadsOnChangeAndDoesNothingWhenNothingChanged() throws Exception {
    Path file = dir.resolve("prometheus.yml");
    var source = new FakeSource(file, "global: {}\n");
    ReloaderMetrics metrics = new ReloaderMetrics(CLOCK);
    try (var prometheus = new ReloadEndpointStub(new Answer(200, ""));
        var reloader = reloader(source, prometheus, metrics)) {
      reloader.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> prometheus.calls().size() == 1);
      assertThat(file).hasContent("global: {}\n");
      assertThat(reloader.ready()).isTrue();

      source.set("global: {}\n"); // an update that changes nothing on disk, e.g. a label
      source.set("global: {}\n");
      Thread.sleep(300);
      assertThat(prometheus.calls()).hasSize(1);

      source.set("global: {scrape_interval: 15s}\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> prometheus.calls().size() == 2);
      assertThat(file).hasContent("global: {scrape_interval: 15s}\n");
      String text = metrics.scrape();
      assertThat(text)
          .contains("vigil_reloader_reloads_total 2.0")
          .contains("vigil_reloader_reload_failures_total 0.0")
          .contains("vigil_reloader_last_reload_successful 1.0")
          .contains("vigil_reloader_last_reload_success_timestamp_seconds 1.767323045E9")
          .contains("vigil_reloader_file_writes_total 2.0");
    }
  }

  @Test
  void aFileAlreadyUpToDateIsNeitherRewrittenNorReloaded() throws Exception {
    Path file = dir.resolve("prometheus.yml");
    new ConfigFileWriter().write(file, "global: {}\n".getBytes(StandardCharsets.UTF_8));
    var source = new FakeSource(file, "global: {}\n");
    try (var prometheus = new ReloadEndpointStub(new Answer(200, ""));
        var reloader = reloader(source, prometheus, new ReloaderMetrics(CLOCK))) {
      reloader.start();
      await().atMost(Duration.ofSeconds(5)).until(reloader::ready);
      Thread.sleep(200);
      assertThat(prometheus.calls()).isEmpty();
    }
  }

  @Test
  void aMissingSecretIsAwaitedAndAFailedReloadIsCounted() throws Exception {
    Path file = dir.resolve("prometheus.yml");
    var source = new FakeSource(file, null);
    ReloaderMetrics metrics = new ReloaderMetrics(CLOCK);
    try (var prometheus = new ReloadEndpointStub(new Answer(500, "failed to reload config"));
        var reloader = reloader(source, prometheus, metrics)) {
      reloader.start();
      Thread.sleep(200);
      assertThat(reloader.ready()).isFalse();
      assertThat(file).doesNotExist();

      source.set("not: [valid\n");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metrics.scrape().contains("vigil_reloader_reload_failures_total 1.0"));
      assertThat(metrics.scrape()).contains("vigil_reloader_last_reload_successful 0.0");
      assertThat(prometheus.calls().size()).isGreaterThan(1); // retried before giving up

      prometheus.answer(new Answer(200, ""));
      source.set("global: {}\n");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metrics.scrape().contains("vigil_reloader_last_reload_successful 1.0"));
    }
  }

  @Test
  void onceWaitsForTheObjectWritesAndNeverReloads() throws Exception {
    Path file = dir.resolve("prometheus.yml");
    var source = new FakeSource(file, null);
    try (var prometheus = new ReloadEndpointStub(new Answer(200, ""));
        var reloader = reloader(source, prometheus, new ReloaderMetrics(CLOCK))) {
      assertThat(reloader.writeOnce(Duration.ofMillis(100))).isFalse();
      Thread later =
          new Thread(
              () -> {
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
                source.set("global: {}\n");
              });
      later.start();
      assertThat(reloader.writeOnce(Duration.ofSeconds(5))).isTrue();
      assertThat(file).hasContent("global: {}\n");
      assertThat(prometheus.calls()).isEmpty();
    }
  }
}
