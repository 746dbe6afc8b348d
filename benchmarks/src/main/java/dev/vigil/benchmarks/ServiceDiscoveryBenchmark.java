package dev.vigil.benchmarks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.vigil.operator.servicediscovery.JobTargets;
import dev.vigil.operator.servicediscovery.ServiceDiscoveryHandler;
import dev.vigil.reconcilers.discovery.DiscoveryIndex;
import dev.vigil.reconcilers.discovery.TargetGroup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The HTTP SD handler alone: the answer for {@link DiscoveryFixture#ALL_PODS_JOB}, a job of 10,000
 * pod targets with their {@code __meta_kubernetes_*} labels, served by the operator's {@link
 * ServiceDiscoveryHandler} on one shard with {@code Accept-Encoding: gzip}, as Prometheus asks,
 * from fixed groups ({@link Fixed}: no sharding, no relabeling). The exchange is in memory (no
 * sockets), so the figure is the handler's own cost: render, gzip, ETag. {@link
 * TargetEngineBenchmark} measures the real path, from the target engine's shards to the rendered
 * bodies.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ServiceDiscoveryBenchmark implements BenchmarkFigures {
  private static final String NAMESPACE = "monitoring";
  private static final String STACK = "main";
  static final byte[] TOKEN = "benchmark-token".getBytes(StandardCharsets.UTF_8);

  private List<TargetGroup> groups;
  private long version = 1;
  private ServiceDiscoveryHandler handler;
  private ServiceDiscoveryHandler backgroundHandler;

  @Setup
  public void discover() {
    DiscoveryFixture fixture = new DiscoveryFixture();
    DiscoveryIndex index = new DiscoveryIndex(fixture.trimmedSnapshot());
    index.setJobs(fixture.jobs);
    groups = index.groups(DiscoveryFixture.ALL_PODS_JOB);
    if (groups.size() != 10_000) {
      throw new IllegalStateException("expected 10,000 targets, got " + groups.size());
    }
    handler =
        new ServiceDiscoveryHandler(
            new Fixed(() -> new JobTargets.Versioned(version, groups)),
            (ns, stack) -> Optional.of(TOKEN));
    backgroundHandler =
        new ServiceDiscoveryHandler(
            new Fixed(() -> new JobTargets.Versioned(version, groups)),
            (ns, stack) -> Optional.of(TOKEN),
            true);
  }

  @TearDown
  public void stopRenderer() {
    backgroundHandler.close();
  }

  /**
   * The targets changed since the last poll and the handler renders on request (JSON, gzip) before
   * sending: the cost of one render of the job.
   */
  @Benchmark
  public long changedTargetsRenderedOnRequest() throws IOException {
    version++;
    return serve(handler, DiscoveryFixture.ALL_PODS_JOB, true);
  }

  /**
   * The targets changed since the last poll, as the operator runs it: the request is answered from
   * the last rendered body, and rendering the new one is the background thread's work (measured by
   * {@link TargetEngineBenchmark#podChangeToEveryAffectedBody}).
   */
  @Benchmark
  @PerformanceTarget("< 20 ms")
  public long changedTargets() throws IOException {
    version++;
    return serve(backgroundHandler, DiscoveryFixture.ALL_PODS_JOB, true);
  }

  /** Unchanged targets, no {@code If-None-Match}: the cached gzip body is sent again. */
  @Benchmark
  @PerformanceTarget("< 20 ms")
  public long unchangedTargets() throws IOException {
    return serve(handler, DiscoveryFixture.ALL_PODS_JOB, true);
  }

  @Override
  public List<ResultTable.Row> figures() {
    try {
      discover();
      long plain = serve(handler, DiscoveryFixture.ALL_PODS_JOB, false);
      long gzip = serve(handler, DiscoveryFixture.ALL_PODS_JOB, true);
      String params = "targets=" + groups.size();
      return List.of(
          new ResultTable.Row(
              "ServiceDiscoveryBenchmark: body size, plain",
              params,
              String.format(Locale.ROOT, "%.1f", plain / 1024.0),
              "KiB"),
          new ResultTable.Row(
              "ServiceDiscoveryBenchmark: body size, gzip",
              params,
              String.format(Locale.ROOT, "%.1f", gzip / 1024.0),
              "KiB"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One GET of a job on shard 0; the number of body bytes sent. */
  static long serve(ServiceDiscoveryHandler handler, String job, boolean gzip) throws IOException {
    return serve(handler, NAMESPACE, STACK, 0, job, gzip);
  }

  /** One GET of a job of a stack's shard, with the benchmark's token; the body bytes sent. */
  static long serve(
      ServiceDiscoveryHandler handler,
      String namespace,
      String stack,
      int shard,
      String job,
      boolean gzip)
      throws IOException {
    Exchange exchange =
        new Exchange(
            ServiceDiscoveryHandler.PREFIX
                + namespace
                + "/"
                + stack
                + "/"
                + shard
                + "/"
                + URLEncoder.encode(job, StandardCharsets.UTF_8),
            gzip);
    handler.handle(exchange);
    if (exchange.status != 200) {
      throw new IllegalStateException("HTTP " + exchange.status + " for " + job);
    }
    return exchange.body.count;
  }

  /**
   * A handler holding the rendered body of every job of an index (one shard), as the operator's
   * holds them once every job has been polled.
   */
  static final class BodyCache {
    final ServiceDiscoveryHandler handler;

    private BodyCache(ServiceDiscoveryHandler handler) {
      this.handler = handler;
    }

    static BodyCache renderAll(DiscoveryIndex index) {
      ServiceDiscoveryHandler handler =
          new ServiceDiscoveryHandler(
              new JobTargets() {
                @Override
                public Optional<Versioned> targets(
                    String namespace, String stack, int shard, String job) {
                  return Optional.of(new Versioned(index.version(job), index.groups(job)));
                }

                @Override
                public void onChange(ChangeListener listener) {}
              },
              (ns, stack) -> Optional.of(TOKEN));
      try {
        for (String job : index.jobNames()) {
          serve(handler, job, true);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return new BodyCache(handler);
    }
  }

  /**
   * Every job of every stack and shard answers with the same groups; a request always sees the
   * current version, so the handler renders on request (nothing is told of changes).
   */
  static final class Fixed implements JobTargets {
    private final java.util.function.Supplier<Versioned> current;

    Fixed(java.util.function.Supplier<Versioned> current) {
      this.current = current;
    }

    @Override
    public Optional<Versioned> targets(String namespace, String stack, int shard, String job) {
      return Optional.of(current.get());
    }

    @Override
    public void onChange(ChangeListener listener) {}
  }

  /** Counts what is written and keeps nothing. */
  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /** A GET with the stack's token, answered into a {@link CountingStream}. */
  private static final class Exchange extends HttpExchange {
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final CountingStream body = new CountingStream();
    private int status = -1;

    Exchange(String path, boolean gzip) {
      this.uri = URI.create(path);
      requestHeaders.set("Authorization", "Bearer " + new String(TOKEN, StandardCharsets.UTF_8));
      if (gzip) {
        requestHeaders.set("Accept-Encoding", "gzip");
      }
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return "GET";
    }

    @Override
    public HttpContext getHttpContext() {
      return null;
    }

    @Override
    public void close() {}

    @Override
    public InputStream getRequestBody() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public OutputStream getResponseBody() {
      return body;
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
      status = code;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }

    @Override
    public void setAttribute(String name, Object value) {}

    @Override
    public void setStreams(InputStream i, OutputStream o) {}

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }
}
