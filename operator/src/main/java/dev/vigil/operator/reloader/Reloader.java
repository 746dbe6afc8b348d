package dev.vigil.operator.reloader;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Prometheus's files equal to the API objects they come from, and reloads Prometheus after
 * they change. Every watch event schedules one sync on a single thread (events that arrive
 * meanwhile fold into the next sync): each source writes its files if their content differs, and if
 * any did, Prometheus is reloaded. An unchanged object writes nothing and reloads nothing.
 */
public final class Reloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);
  private static final Duration WRITE_RETRY = Duration.ofSeconds(5);

  private final List<ConfigSource> sources;
  private final ConfigFileWriter writer;
  private final PrometheusReload reload;
  private final ReloaderMetrics metrics;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "vigil-reloader");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean pending = new AtomicBoolean();
  // Touched by one thread at a time (the loop, or the caller of writeOnce).
  private final Map<ConfigSource, String> reportedMissing = new HashMap<>();
  private volatile boolean complete;
  // A file changed and Prometheus has not been told yet.
  private boolean reloadOwed;

  public Reloader(ReloaderConfig config, KubernetesClient client, ReloaderMetrics metrics) {
    this(sources(config, client), new ConfigFileWriter(), PrometheusReload.of(config), metrics);
  }

  Reloader(
      List<ConfigSource> sources,
      ConfigFileWriter writer,
      PrometheusReload reload,
      ReloaderMetrics metrics) {
    this.sources = List.copyOf(sources);
    this.writer = writer;
    this.reload = reload;
    this.metrics = metrics;
  }

  /** The config Secret's key first, then one directory per rule ConfigMap, sorted by name. */
  static List<ConfigSource> sources(ReloaderConfig config, KubernetesClient client) {
    List<ConfigSource> sources = new ArrayList<>();
    sources.add(
        new SecretKeyFile(
            client, config.namespace(), config.secret(), config.key(), config.output()));
    for (String name : config.configMaps()) {
      sources.add(
          new ConfigMapDirectory(client, config.namespace(), name, config.ruleDirectory(name)));
    }
    return sources;
  }

  /** Watches the objects and keeps the files and Prometheus up to date until {@link #close}. */
  public void start() {
    LOG.info("mirroring {}; reloading {}", sources, reload.url());
    sources.forEach(source -> source.start(this::changed));
    changed();
  }

  /**
   * The init container's job: waits until every object exists, writes the files, and returns
   * without reloading (Prometheus is not running yet).
   *
   * @return whether every file was written before the timeout
   */
  public boolean writeOnce(Duration timeout) throws InterruptedException {
    LOG.info("writing {} once (waiting up to {})", sources, timeout);
    Semaphore events = new Semaphore(0);
    sources.forEach(source -> source.start(events::release));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Pass pass = writeFiles();
      if (pass.complete()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.error("gave up after {}: {}", timeout, reportedMissing.values());
        return false;
      }
      // Wake up on the next event, or after a while to retry a failed write.
      events.tryAcquire(
          pass.failed() ? Math.min(left, WRITE_RETRY.toNanos()) : left, TimeUnit.NANOSECONDS);
      events.drainPermits();
    }
  }

  /** Ready once every object has been read and written at least once. */
  public boolean ready() {
    return complete;
  }

  private void changed() {
    if (pending.compareAndSet(false, true)) {
      loop.execute(this::sync);
    }
  }

  /** One pass on the loop thread: files first, then the reload they call for. */
  private void sync() {
    pending.set(false);
    Pass pass = writeFiles();
    if (pass.failed()) {
      loop.schedule(this::changed, WRITE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (reloadOwed) {
      reloadPrometheus();
    }
  }

  /**
   * What one pass over the sources found.
   *
   * @param complete every source was listed, present, and written (or already up to date)
   * @param failed some write failed with an error (retried later)
   */
  private record Pass(boolean complete, boolean failed) {}

  /** Brings the files of every listed source up to date. */
  private Pass writeFiles() {
    boolean all = true;
    boolean failed = false;
    for (ConfigSource source : sources) {
      if (!source.hasSynced()) {
        all = false; // Its first list sends an event when done.
        continue;
      }
      ConfigSource.Outcome outcome;
      try {
        outcome = source.writeTo(writer);
      } catch (IOException | RuntimeException e) {
        LOG.error("writing {} failed, retrying in {}: {}", source, WRITE_RETRY, e.toString());
        metrics.writeFailed();
        all = false;
        failed = true;
        continue;
      }
      switch (outcome.state()) {
        case WRITTEN -> {
          LOG.info("wrote {}", source);
          metrics.written();
          reloadOwed = true;
          noLongerMissing(source);
        }
        case UNCHANGED -> noLongerMissing(source);
        case MISSING -> {
          all = false;
          if (!outcome.detail().equals(reportedMissing.put(source, outcome.detail()))) {
            LOG.warn("{}; keeping the files as they are and waiting for it", outcome.detail());
          }
        }
      }
    }
    if (all) {
      complete = true;
    }
    return new Pass(all, failed);
  }

  private void noLongerMissing(ConfigSource source) {
    if (reportedMissing.remove(source) != null) {
      LOG.info("{} is present", source);
    }
  }

  private void reloadPrometheus() {
    PrometheusReload.Result result;
    try {
      result = reload.reload(pending::get);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (result.ok()) {
      reloadOwed = false;
      metrics.reloadSucceeded();
      LOG.info("reloaded Prometheus ({}, {} attempt(s))", result.message(), result.attempts());
    } else if (pending.get()) {
      // A newer event is queued: its sync reloads (reloadOwed stays set), so no failure yet.
      LOG.info("reload interrupted by a newer change: {}", result.message());
    } else {
      reloadOwed = false;
      metrics.reloadFailed();
      LOG.error(
          "RELOAD FAILED after {} attempt(s), Prometheus keeps its previous configuration: {}",
          result.attempts(),
          result.message());
    }
  }

  @Override
  public void close() {
    sources.forEach(ConfigSource::close);
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
