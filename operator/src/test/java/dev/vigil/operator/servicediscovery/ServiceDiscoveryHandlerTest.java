package dev.vigil.operator.servicediscovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.operator.http.HttpLimits;
import dev.vigil.operator.http.HttpListener;
import dev.vigil.reconcilers.discovery.TargetGroup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceDiscoveryHandlerTest {
  static final String JOB = "serviceMonitor/shop/checkout/0";
  static final byte[] TOKEN = "s3cret-token".getBytes(StandardCharsets.UTF_8);
  static final byte[] OTHER_TOKEN = "other-stack".getBytes(StandardCharsets.UTF_8);

  final AtomicReference<JobTargets.Versioned> current =
      new AtomicReference<>(
          new JobTargets.Versioned(
              1,
              List.of(
                  new TargetGroup(
                      List.of("10.0.0.1:8080"),
                      new TreeMap<>(
                          Map.of(
                              "__meta_kubernetes_namespace", "shop",
                              "__meta_kubernetes_pod_name", "checkout-0"))))));
  final HttpClient http = HttpClient.newHttpClient();
  HttpServer server;

  @BeforeEach
  void start() throws IOException {
    JobTargets targets =
        new Targets(
            (ns, stack, shard, job) ->
                ns.equals("monitoring")
                    && stack.equals("platform")
                    && shard == 1
                    && job.equals(JOB));
    StackTokens tokens =
        (ns, stack) ->
            switch (stack) {
              case "platform" -> Optional.of(TOKEN);
              case "other" -> Optional.of(OTHER_TOKEN);
              default -> Optional.empty();
            };
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        ServiceDiscoveryHandler.PREFIX, new ServiceDiscoveryHandler(targets, tokens));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  HttpRequest.Builder request(String stack, int shard, String job) {
    return HttpRequest.newBuilder(
        URI.create(
            "http://127.0.0.1:%d/sd/v1/monitoring/%s/%d/%s"
                .formatted(
                    server.getAddress().getPort(),
                    stack,
                    shard,
                    URLEncoder.encode(job, StandardCharsets.UTF_8))));
  }

  HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpRequest.Builder bearer(HttpRequest.Builder request, byte[] token) {
    return request.header("Authorization", "Bearer " + new String(token, StandardCharsets.UTF_8));
  }

  @Test
  void servesTheJobsTargetsAsHttpSdJson() throws Exception {
    HttpResponse<byte[]> response = send(bearer(request("platform", 1, JOB), TOKEN));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "[{\"targets\":[\"10.0.0.1:8080\"],\"labels\":{\"__meta_kubernetes_namespace\":\"shop\","
                + "\"__meta_kubernetes_pod_name\":\"checkout-0\"}}]");
  }

  @Test
  void refusesMissingAndForeignTokens() throws Exception {
    HttpResponse<byte[]> none = send(request("platform", 1, JOB));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(send(bearer(request("platform", 1, JOB), OTHER_TOKEN)).statusCode()).isEqualTo(403);
    assertThat(send(bearer(request("platform", 1, JOB), "s3cret-tokeN".getBytes())).statusCode())
        .isEqualTo(403);
    assertThat(send(request("platform", 1, JOB).header("Authorization", "Basic eDp5")).statusCode())
        .isEqualTo(401);
    // A stack without a token (not reconciled yet) refuses everyone.
    assertThat(send(bearer(request("unknown", 1, JOB), TOKEN)).statusCode()).isEqualTo(403);
  }

  @Test
  void unknownJobsAndPathsAre404AndOnlyGetIsAllowed() throws Exception {
    assertThat(send(bearer(request("platform", 1, "podMonitor/shop/x/0"), TOKEN)).statusCode())
        .isEqualTo(404);
    assertThat(send(bearer(request("platform", 0, JOB), TOKEN)).statusCode()).isEqualTo(404);
    HttpRequest.Builder badPath =
        HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:"
                    + server.getAddress().getPort()
                    + "/sd/v1/monitoring/platform/x/j"));
    assertThat(send(bearer(badPath, TOKEN)).statusCode()).isEqualTo(404);
    assertThat(
            send(bearer(request("platform", 1, JOB), TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(405);
  }

  @Test
  void etagGives304UntilTheTargetsChange() throws Exception {
    HttpResponse<byte[]> first = send(bearer(request("platform", 1, JOB), TOKEN));
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> again =
        send(bearer(request("platform", 1, JOB), TOKEN).header("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    current.set(new JobTargets.Versioned(2, List.of()));
    HttpResponse<byte[]> changed =
        send(bearer(request("platform", 1, JOB), TOKEN).header("If-None-Match", etag));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(new String(changed.body(), StandardCharsets.UTF_8)).isEqualTo("[]");
    assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
  }

  @Test
  void inBackgroundModeAChangeIsServedOnceRenderedWithoutARequestWaiting() throws Exception {
    Targets targets = new Targets((ns, stack, shard, job) -> true);
    StackTokens tokens = (ns, stack) -> Optional.of(TOKEN);
    try (ServiceDiscoveryHandler handler = new ServiceDiscoveryHandler(targets, tokens, true)) {
      server.removeContext(ServiceDiscoveryHandler.PREFIX);
      server.createContext(ServiceDiscoveryHandler.PREFIX, handler);
      String etag =
          send(bearer(request("platform", 1, JOB), TOKEN))
              .headers()
              .firstValue("ETag")
              .orElseThrow();

      current.set(new JobTargets.Versioned(2, List.of()));
      targets.changed("monitoring", "platform", JOB, 2);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                HttpResponse<byte[]> changed = send(bearer(request("platform", 1, JOB), TOKEN));
                assertThat(new String(changed.body(), StandardCharsets.UTF_8)).isEqualTo("[]");
                assertThat(changed.headers().firstValue("ETag")).get().isNotEqualTo(etag);
              });
    }
  }

  @Test
  void inBackgroundModeOnlyAnswersToldChangedAreLookedAt() throws Exception {
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    Targets targets =
        new Targets(
            (ns, stack, shard, job) -> {
              lookups.incrementAndGet();
              return true;
            });
    StackTokens tokens = (ns, stack) -> Optional.of(TOKEN);
    try (ServiceDiscoveryHandler handler = new ServiceDiscoveryHandler(targets, tokens, true)) {
      server.removeContext(ServiceDiscoveryHandler.PREFIX);
      server.createContext(ServiceDiscoveryHandler.PREFIX, handler);
      send(bearer(request("platform", 1, JOB), TOKEN));
      int afterRequest = lookups.get();
      handler.refresh();
      handler.refresh();
      assertThat(lookups.get()).as("an idle refresh asks for nothing").isEqualTo(afterRequest);

      targets.changed("monitoring", "platform", JOB, 2);
      handler.refresh();
      // Shard 1 is cached and looked at; shard 0 was never asked for, so it is not.
      assertThat(lookups.get()).isEqualTo(afterRequest + 1);
    }
  }

  /** Serves {@link #current} where {@code serves} says so, and tells of changes when told to. */
  final class Targets implements JobTargets {
    private final Selection serves;
    private final List<ChangeListener> listeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    Targets(Selection serves) {
      this.serves = serves;
    }

    @Override
    public Optional<Versioned> targets(String namespace, String stack, int shard, String job) {
      return serves.test(namespace, stack, shard, job)
          ? Optional.of(current.get())
          : Optional.empty();
    }

    @Override
    public void onChange(ChangeListener listener) {
      listeners.add(listener);
    }

    void changed(String namespace, String stack, String job, int shards) {
      listeners.forEach(l -> l.changed(namespace, stack, job, shards));
    }
  }

  @FunctionalInterface
  interface Selection {
    boolean test(String namespace, String stack, int shard, String job);
  }

  @Test
  void gzipWhenAsked() throws Exception {
    HttpResponse<byte[]> zipped =
        send(bearer(request("platform", 1, JOB), TOKEN).header("Accept-Encoding", "gzip"));
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    byte[] plain = new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes();
    assertThat(new String(plain, StandardCharsets.UTF_8))
        .startsWith("[{\"targets\":[\"10.0.0.1:8080\"]");
  }

  @Test
  void jobNamesAreOnePercentEncodedSegment() {
    assertThat(ServiceDiscoveryHandler.parse("/sd/v1/ns/st/2/serviceMonitor%2Fshop%2Fa%2B1%2F0"))
        .hasValueSatisfying(k -> assertThat(k.job()).isEqualTo("serviceMonitor/shop/a+1/0"));
    assertThat(ServiceDiscoveryHandler.parse("/sd/v1/ns/st/-1/j")).isEmpty();
    assertThat(ServiceDiscoveryHandler.parse("/sd/v1/ns/st/1/a/b")).isEmpty();
  }

  @Test
  void unzippedAnswersCarryTheirLength() throws Exception {
    HttpResponse<byte[]> plain = send(bearer(request("platform", 1, JOB), TOKEN));
    assertThat(plain.headers().firstValueAsLong("Content-Length")).hasValue(plain.body().length);
    assertThat(ServiceDiscoveryHandler.plainLength(new Gzip().compress(new byte[70_000])))
        .isEqualTo(70_000);
  }

  @Test
  void rendersAFewAtATimeAndAnswersBusyWhenTheWaitIsTooLong() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TargetGroup group = new TargetGroup(List.of("10.0.0.9:80"), new TreeMap<>());
    List<TargetGroup> slowToRender =
        new java.util.AbstractList<>() {
          @Override
          public TargetGroup get(int index) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return group;
          }

          @Override
          public int size() {
            return 1;
          }
        };
    JobTargets everyJob =
        new JobTargets() {
          @Override
          public Optional<Versioned> targets(
              String namespace, String stack, int shard, String job) {
            return Optional.of(new Versioned(job.hashCode(), slowToRender));
          }

          @Override
          public void onChange(ChangeListener listener) {}
        };
    HttpListener listener = HttpListener.plain("test", 0, HttpLimits.DEFAULT);
    ServiceDiscoveryHandler handler =
        new ServiceDiscoveryHandler(
            everyJob, (ns, stack) -> Optional.of(TOKEN), false, 1, Duration.ofMillis(300));
    listener.add(ServiceDiscoveryHandler.PREFIX, handler);
    listener.start();
    try {
      HttpRequest first =
          bearer(
                  HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:%d/sd/v1/monitoring/platform/0/a"
                              .formatted(listener.port()))),
                  TOKEN)
              .build();
      var rendering = http.sendAsync(first, HttpResponse.BodyHandlers.ofString());
      Thread.sleep(100); // the first holds the one permit, waiting in its render
      HttpResponse<String> second =
          http.send(
              bearer(
                      HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:%d/sd/v1/monitoring/platform/0/b"
                                  .formatted(listener.port()))),
                      TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
      release.countDown();
      assertThat(rendering.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    } finally {
      release.countDown();
      listener.close();
      handler.close();
    }
  }
}
