package dev.vigil.operator.servicediscovery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /sd/v1/{namespace}/{stack}/{shard}/{job}}: the http_sd answer for one job of one
 * shard. The job is one URL-encoded path segment (job names contain slashes).
 *
 * <p>Targets carry pod labels and annotations of the whole cluster, so only the stack's own
 * Prometheus may read them: the request must carry {@code Authorization: Bearer <token>} with the
 * stack's token, compared in constant time (401 without credentials, 403 with wrong ones).
 *
 * <p>Bodies are rendered once per target version and kept gzipped (Prometheus always asks for gzip;
 * the JSON of 10,000 targets is about 19 MiB, gzipped 1 MiB), with a strong ETag so an unchanged
 * answer costs a 304.
 *
 * <p>With {@code renderInBackground}, a request never waits for a render once its job has been
 * served: after the targets change, the previous answer is served until a background thread has
 * rendered the new one (every {@link #REFRESH_PERIOD}). Prometheus polls every 30 seconds, so this
 * adds at most a fraction of a second to how stale an answer can be, and keeps a big job's answer
 * in microseconds instead of the tens of milliseconds a render of 10,000 targets takes. The thread
 * looks only at the answers {@link JobTargets} said may have changed, and renders only those whose
 * version did: an idle refresh costs nothing.
 *
 * <p>Requests run on many threads (one per connection): at most {@link #RENDERS} render at once, a
 * request that waited {@link #RENDER_WAIT} for its turn is answered 503 (Prometheus keeps the
 * targets it has and asks again at its next refresh). A client that does not take gzip gets the
 * answer unzipped as it is sent, never whole in memory.
 */
public final class ServiceDiscoveryHandler implements HttpHandler, AutoCloseable {
  public static final String PREFIX = "/sd/v1/";
  private static final Logger LOG = LoggerFactory.getLogger(ServiceDiscoveryHandler.class);
  static final Duration REFRESH_PERIOD = Duration.ofMillis(200);

  /**
   * Answers rendered at once on request threads, at most. Requests are many threads (one per
   * connection, see {@code HttpListener}); rendering a big job takes tens of milliseconds and tens
   * of MiB, so a burst of first requests (every shard after the operator restarts) renders a few at
   * a time, within the heap, and leaves CPU to the probes.
   */
  static final int RENDERS = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** How long a request waits for a render permit before it is answered 503. */
  static final Duration RENDER_WAIT = Duration.ofSeconds(10);

  private final Semaphore renders;
  private final Duration renderWait;

  private final JobTargets targets;
  private final StackTokens tokens;
  private final RenderedBodies<Key, Body> bodies = new RenderedBodies<>();
  private final Gzip gzip = new Gzip();

  /** Answers that may have changed since the last refresh, cached or not. */
  private final Set<Key> changed = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService renderer;

  /**
   * ETags are "epoch-version": target versions restart when the operator does, the epoch makes sure
   * an ETag from a previous process never matches.
   */
  private final String epoch = Long.toHexString(new SecureRandom().nextLong());

  /** Renders on request only: every answer is current (tests, benchmarks). */
  public ServiceDiscoveryHandler(JobTargets targets, StackTokens tokens) {
    this(targets, tokens, false);
  }

  public ServiceDiscoveryHandler(
      JobTargets targets, StackTokens tokens, boolean renderInBackground) {
    this(targets, tokens, renderInBackground, RENDERS, RENDER_WAIT);
  }

  /** With {@code renders} render permits, waited for {@code renderWait} (tests). */
  ServiceDiscoveryHandler(
      JobTargets targets,
      StackTokens tokens,
      boolean renderInBackground,
      int renders,
      Duration renderWait) {
    this.targets = targets;
    this.tokens = tokens;
    this.renders = new Semaphore(renders);
    this.renderWait = renderWait;
    targets.onChange(
        (namespace, stack, job, shards) -> {
          for (int shard = 0; shard < shards; shard++) {
            changed.add(new Key(namespace, stack, shard, job));
          }
        });
    if (renderInBackground) {
      renderer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "vigil-sd-render");
                thread.setDaemon(true);
                return thread;
              });
      renderer.scheduleWithFixedDelay(
          this::refresh,
          REFRESH_PERIOD.toMillis(),
          REFRESH_PERIOD.toMillis(),
          TimeUnit.MILLISECONDS);
    } else {
      renderer = null;
    }
  }

  record Key(String namespace, String stack, int shard, String job) {}

  /** A rendered answer: the gzip bytes of one target version, and its ETag. */
  private record Body(long version, byte[] gzip, String etag) implements RenderedBodies.Versioned {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "only GET is allowed\n");
        return;
      }
      Optional<Key> parsed = parse(exchange.getRequestURI().getRawPath());
      if (parsed.isEmpty()) {
        send(exchange, 404, "expected " + PREFIX + "{namespace}/{stack}/{shard}/{job}\n");
        return;
      }
      Key key = parsed.get();
      Optional<byte[]> token = tokens.tokenOf(key.namespace(), key.stack());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil\"");
        send(exchange, 401, "a bearer token is required\n");
        return;
      }
      byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      if (token.isEmpty() || !MessageDigest.isEqual(token.get(), presented)) {
        send(exchange, 403, "this token may not read the targets of this stack\n");
        return;
      }
      if (!targets.placementKnown(key.namespace(), key.stack())) {
        exchange.getResponseHeaders().set("Retry-After", "5");
        send(exchange, 503, "reading where the stack's shards scrape each target; try again\n");
        return;
      }
      Optional<JobTargets.Versioned> current =
          targets.targets(key.namespace(), key.stack(), key.shard(), key.job());
      if (current.isEmpty()) {
        send(exchange, 404, "no such stack, shard or job\n");
        return;
      }
      Body body;
      try {
        body = body(key, current.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        body = null;
      }
      if (body == null) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        send(exchange, 503, "busy rendering other answers; try again\n");
        return;
      }
      exchange.getResponseHeaders().set("ETag", body.etag());
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
      String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
      if (body.etag().equals(ifNoneMatch)) {
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      String acceptEncoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
      if (acceptEncoding != null && acceptEncoding.contains("gzip")) {
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        exchange.sendResponseHeaders(200, body.gzip().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body.gzip());
        }
      } else {
        // Unzipped as it is sent: a client that does not take gzip (and never reads) holds a
        // few KiB, not the whole answer, which is tens of MiB for a big job.
        exchange.sendResponseHeaders(200, plainLength(body.gzip()));
        try (OutputStream out = exchange.getResponseBody();
            GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.gzip()))) {
          in.transferTo(out);
        }
      }
    }
  }

  /**
   * The answer to a request: the cached body when it may be served, else one rendered now, on this
   * request's thread, once a render permit is free; null when none was within {@link #RENDER_WAIT},
   * or the test's wait.
   */
  private Body body(Key key, JobTargets.Versioned current) throws InterruptedException {
    Body cached = bodies.get(key);
    if (cached != null && (cached.version() == current.version() || renderer != null)) {
      return cached; // current, or the background renderer brings it up to date shortly
    }
    if (!renders.tryAcquire(renderWait.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    try {
      cached = bodies.get(key);
      if (cached != null && cached.version() == current.version()) {
        return cached; // rendered by a request that held a permit before this one
      }
      Body rendered = render(current);
      bodies.put(key, rendered);
      // A change told while this was rendered found nothing cached to refresh: look again.
      Optional<JobTargets.Versioned> now =
          targets.targets(key.namespace(), key.stack(), key.shard(), key.job());
      if (now.isPresent() && now.get().version() != rendered.version()) {
        changed.add(key);
      }
      return rendered;
    } finally {
      renders.release();
    }
  }

  /**
   * Re-renders the cached answers told changed whose version did; forgets those of vanished jobs.
   * The background thread runs it every {@link #REFRESH_PERIOD}; tests and benchmarks call it.
   */
  public void refresh() {
    for (Key key : List.copyOf(changed)) {
      changed.remove(key);
      Body cached = bodies.get(key);
      if (cached == null) {
        continue; // never asked for: rendered on the first request
      }
      try {
        Optional<JobTargets.Versioned> current =
            targets.targets(key.namespace(), key.stack(), key.shard(), key.job());
        if (current.isEmpty()) {
          bodies.remove(key);
        } else if (cached.version() != current.get().version()) {
          bodies.put(key, render(current.get()));
        }
      } catch (RuntimeException e) {
        LOG.warn("rendering the targets of {} failed", key, e);
      }
    }
  }

  /** The body of an answer: the one a request already holds for its version, else rendered. */
  private Body render(JobTargets.Versioned current) {
    Body shared = bodies.ofVersion(current.version());
    if (shared != null) {
      return shared;
    }
    return new Body(
        current.version(),
        gzip.compress(TargetGroupsJson.write(current.groups())),
        "\"" + epoch + "-" + Long.toHexString(current.version()) + "\"");
  }

  @Override
  public void close() {
    if (renderer != null) {
      renderer.shutdownNow();
    }
    gzip.close();
  }

  /** Forgets the cached answers of a stack that is gone. */
  public void forget(String namespace, String stack) {
    bodies.removeIf(k -> k.namespace().equals(namespace) && k.stack().equals(stack));
  }

  static Optional<Key> parse(String rawPath) {
    if (rawPath == null || !rawPath.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = rawPath.substring(PREFIX.length()).split("/", -1);
    if (parts.length != 4 || parts[0].isEmpty() || parts[1].isEmpty() || parts[3].isEmpty()) {
      return Optional.empty();
    }
    int shard;
    try {
      shard = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (shard < 0) {
      return Optional.empty();
    }
    return Optional.of(new Key(parts[0], parts[1], shard, decodeSegment(parts[3])));
  }

  /** Percent-decoding of a path segment: unlike a query string, '+' means itself. */
  private static String decodeSegment(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The length of what a gzip member holds: its trailer's last four bytes (under 4 GiB). */
  static long plainLength(byte[] gzip) {
    int n = gzip.length;
    return (gzip[n - 4] & 0xffL)
        | (gzip[n - 3] & 0xffL) << 8
        | (gzip[n - 2] & 0xffL) << 16
        | (gzip[n - 1] & 0xffL) << 24;
  }
}
