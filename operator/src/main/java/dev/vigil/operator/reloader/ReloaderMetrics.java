package dev.vigil.operator.reloader;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the reloader did, for {@code /metrics}: {@code vigil_reloader_reloads_total}, {@code
 * vigil_reloader_reload_failures_total}, {@code vigil_reloader_last_reload_successful} (1 or 0),
 * {@code vigil_reloader_last_reload_success_timestamp_seconds}, {@code
 * vigil_reloader_file_writes_total} and {@code vigil_reloader_write_errors_total}.
 */
public final class ReloaderMetrics {
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final Counter reloads;
  private final Counter failures;
  private final Counter writes;
  private final Counter writeErrors;
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private final AtomicLong lastSuccessful = new AtomicLong(1);

  public ReloaderMetrics(Clock clock) {
    this.clock = clock;
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    reloads =
        Counter.builder("vigil.reloader.reloads")
            .description("Reloads requested after the files changed, successful or not")
            .register(registry);
    failures =
        Counter.builder("vigil.reloader.reload.failures")
            .description("Reloads that still failed when their retries ran out")
            .register(registry);
    writes =
        Counter.builder("vigil.reloader.file.writes")
            .description("Objects whose content was written to disk because it changed")
            .register(registry);
    writeErrors =
        Counter.builder("vigil.reloader.write.errors")
            .description("Failed attempts to write the files")
            .register(registry);
    Gauge.builder(
            "vigil.reloader.last.reload.success.timestamp.seconds",
            lastSuccessMillis,
            ms -> ms.get() / 1000.0)
        .description("When Prometheus last accepted a reload (Unix seconds; 0: never)")
        .register(registry);
    Gauge.builder("vigil.reloader.last.reload.successful", lastSuccessful, AtomicLong::get)
        .description("1 if the last reload succeeded (or none was needed yet), else 0")
        .register(registry);
  }

  void reloadSucceeded() {
    reloads.increment();
    lastSuccessful.set(1);
    lastSuccessMillis.set(clock.millis());
  }

  void reloadFailed() {
    reloads.increment();
    failures.increment();
    lastSuccessful.set(0);
  }

  void written() {
    writes.increment();
  }

  void writeFailed() {
    writeErrors.increment();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, as served on {@code /metrics}. */
  public String scrape() {
    return registry.scrape();
  }
}
