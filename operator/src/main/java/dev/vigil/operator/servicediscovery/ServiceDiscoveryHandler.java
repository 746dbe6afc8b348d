package dev.vigil.operator.servicediscovery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /sd/v1/{namespace}/{stack}/{shard}/{job}}: the http_sd answer for one job of one
 * shard. The job is one URL-encoded path segment (job names contain slashes).
 *
 * <p>Targets carry pod labels and annotations of the whole cluster, so only the stack's own
 * Prometheus may read them: the request must carry {@code Authorization: Bearer <token>} with the
 * stack's token, compared in constant time (401 without credentials, 403 with wrong ones).
 *
 * <p>Bodies are rendered once per target version and reused (plain and gzip), with a strong ETag so
 * an unchanged answer costs a 304.
 */
public final class ServiceDiscoveryHandler implements HttpHandler {
  public static final String PREFIX = "/sd/v1/";

  private final JobTargets targets;
  private final StackTokens tokens;
  private final ConcurrentHashMap<Key, Body> bodies = new ConcurrentHashMap<>();

  public ServiceDiscoveryHandler(JobTargets targets, StackTokens tokens) {
    this.targets = targets;
    this.tokens = tokens;
  }

  record Key(String namespace, String stack, int shard, String job) {}

  /** A rendered answer: plain and gzip bytes of one target version, and their ETag. */
  private record Body(long version, byte[] plain, byte[] gzip, String etag) {}

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
      Optional<JobTargets.Versioned> current =
          targets.targets(key.namespace(), key.stack(), key.shard(), key.job());
      if (current.isEmpty()) {
        send(exchange, 404, "no such stack, shard or job\n");
        return;
      }
      Body body = body(key, current.get());
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
      boolean gzip = acceptEncoding != null && acceptEncoding.contains("gzip");
      byte[] bytes = gzip ? body.gzip() : body.plain();
      if (gzip) {
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Body body(Key key, JobTargets.Versioned current) {
    return bodies.compute(
        key,
        (k, cached) ->
            cached != null && cached.version() == current.version() ? cached : render(current));
  }

  private static Body render(JobTargets.Versioned current) {
    byte[] plain = TargetGroupsJson.write(current.groups());
    return new Body(current.version(), plain, gzip(plain), etag(plain));
  }

  /** Forgets the cached answers of a stack that is gone. */
  public void forget(String namespace, String stack) {
    bodies.keySet().removeIf(k -> k.namespace().equals(namespace) && k.stack().equals(stack));
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

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] plain) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(plain);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
