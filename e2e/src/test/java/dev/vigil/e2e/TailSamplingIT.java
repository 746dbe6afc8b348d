package dev.vigil.e2e;

import static dev.vigil.e2e.harness.LoopbackTracing.startCollector;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.LoopbackTracing;
import dev.vigil.e2e.harness.LoopbackTracing.Collector;
import dev.vigil.e2e.harness.OtlpTraces;
import dev.vigil.e2e.harness.OtlpTraces.Span;
import dev.vigil.e2e.harness.TailSamplingHash;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tail sampling as a user configures it, on real processes: the real collector (0.160) runs the
 * {@code CollectorConfigBuilder} file of a gateway pipeline whose {@code sampling.tail} keeps
 * errors, traces slower than 500 ms and 25% of the rest after a 3 s decision wait, exporting to the
 * real Jaeger v2 run on the {@code JaegerConfigBuilder} file (addresses moved to loopback by {@link
 * LoopbackTracing}).
 *
 * <p>40 traces of 4 spans each are sent over OTLP HTTP, each in two requests 400 ms apart: 10 with
 * an error span, 10 slower than the threshold, 20 fast and OK. Which fast ones the probabilistic
 * policy keeps is computed with the processor's own hash ({@link TailSamplingHash}); the trace IDs
 * are drawn so that exactly 5 of the fast ones hash below 25% and none of the error or slow ones do
 * (so those are kept by their own policy alone). For half the error and slow traces what makes them
 * kept is in the second request: the decision is on the whole trace. Jaeger must end up with
 * exactly the 25 expected traces, each with all 4 spans, and no other; each appears no earlier than
 * the decision wait after it was sent (polled every 100 ms) and within a bounded time after.
 */
class TailSamplingIT {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "tail-e2e";
  private static final Duration DECISION_WAIT = Duration.ofSeconds(3);
  private static final double PERCENTAGE = 25;

  /** The processor decides on a 1 s ticker: a trace waits between decisionWait and +1 s. */
  private static final Duration EARLY_MARGIN = Duration.ofMillis(250);

  private static final Duration LATE_BOUND = Duration.ofSeconds(3);

  /** After the last expected decision, how long nothing else may appear. */
  private static final Duration SETTLE = Duration.ofSeconds(3);

  private static final Duration SECOND_REQUEST_AFTER = Duration.ofMillis(400);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final SecureRandom random = new SecureRandom();

  enum Kind {
    ERROR_FIRST,
    ERROR_LATE,
    SLOW_FIRST,
    SLOW_LATE,
    FAST_KEPT,
    FAST_DROPPED
  }

  /** A trace to send: its ID, what it is, its two requests' spans, when its first was sent. */
  static final class SentTrace {
    final String id;
    final Kind kind;
    final List<Span> first;
    final List<Span> second;
    long firstStarted;
    long firstReturned;

    SentTrace(String id, Kind kind, List<Span> first, List<Span> second) {
      this.id = id;
      this.kind = kind;
      this.first = first;
      this.second = second;
    }

    Set<String> spanIds() {
      Set<String> ids = new TreeSet<>();
      first.forEach(span -> ids.add(span.spanId()));
      second.forEach(span -> ids.add(span.spanId()));
      return ids;
    }
  }

  @Test
  void keepsExactlyErrorsSlowAndTheHashedShareOfTheRestAfterTheDecisionWait(@TempDir Path dir)
      throws Exception {
    TracingPipeline pipeline =
        YAML.readValue(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: tail, namespace: e2e}
            spec:
              processors:
                k8sAttributes: {enabled: false}
                batch: {timeout: 100ms}
                sampling:
                  tail:
                    decisionWait: 3s
                    policies:
                      - name: errors
                        type: status_code
                        statusCode: {statusCodes: [ERROR]}
                      - name: slow
                        type: latency
                        latency: {thresholdMs: 500}
                      - name: some-of-the-rest
                        type: probabilistic
                        probabilistic: {samplingPercentage: 25}
              exporters:
                jaeger: {storage: memory, maxTraces: 1000}
            """,
            TracingPipeline.class);
    List<SentTrace> traces = traces();
    Set<String> expected =
        traces.stream()
            .filter(trace -> trace.kind != Kind.FAST_DROPPED)
            .map(trace -> trace.id)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(expected).hasSize(25);

    try (LoopbackTracing.Jaeger jaeger = LoopbackTracing.startJaeger(pipeline, dir);
        Collector collector = startCollector(pipeline, jaeger.otlpGrpcPort(), dir)) {
      URI otlp = collector.otlpHttp();
      for (SentTrace trace : traces) {
        trace.firstStarted = System.nanoTime();
        OtlpTraces.post(http, otlp, OtlpTraces.body(SERVICE, trace.first));
        trace.firstReturned = System.nanoTime();
      }
      Thread.sleep(SECOND_REQUEST_AFTER.toMillis());
      for (SentTrace trace : traces) {
        OtlpTraces.post(http, otlp, OtlpTraces.body(SERVICE, trace.second));
      }
      long lastSecondSent = System.nanoTime();
      assertThat(Duration.ofNanos(lastSecondSent - traces.get(0).firstReturned))
          .as("every second request went out within the decision wait of its trace's first")
          .isLessThan(DECISION_WAIT.minus(EARLY_MARGIN));

      // Poll Jaeger every 100 ms: per trace, the last poll (by when it was issued) that did not
      // have it and the first poll (by when it returned) that did.
      Map<String, Long> lastAbsentIssued = new TreeMap<>();
      Map<String, Long> firstPresentReturned = new TreeMap<>();
      Map<String, JsonNode> found = new TreeMap<>();
      long lastFirstSent = traces.get(traces.size() - 1).firstStarted;
      long end = lastFirstSent + DECISION_WAIT.plus(LATE_BOUND).plus(SETTLE).toNanos();
      while (System.nanoTime() < end) {
        long issued = System.nanoTime();
        Map<String, JsonNode> now = tracesInJaeger(jaeger.query());
        long returned = System.nanoTime();
        if (now == null) {
          Thread.sleep(100);
          continue;
        }
        for (SentTrace trace : traces) {
          if (now.containsKey(trace.id)) {
            firstPresentReturned.putIfAbsent(trace.id, returned);
            found.put(trace.id, now.get(trace.id));
          } else {
            assertThat(firstPresentReturned)
                .as("trace %s left Jaeger after it appeared", trace.id)
                .doesNotContainKey(trace.id);
            lastAbsentIssued.put(trace.id, issued);
          }
        }
        assertThat(now.keySet()).as("traces in Jaeger that were sent").isSubsetOf(ids(traces));
        Thread.sleep(100);
      }

      String logs =
          "%njaeger:%n%s%ncollector:%n%s"
              .formatted(jaeger.process().log(), collector.process().log());
      assertThat(found.keySet())
          .as("traces in Jaeger (expected: errors, slow, fast with hash <= 25%%)%s", logs)
          .containsExactlyElementsOf(expected);

      long earliest = Long.MAX_VALUE;
      long latest = 0;
      for (SentTrace trace : traces) {
        if (!expected.contains(trace.id)) {
          continue;
        }
        // Complete: all four spans, including the two of the second request.
        Set<String> spans = new TreeSet<>();
        found.get(trace.id).path("spans").forEach(span -> spans.add(span.path("spanID").asText()));
        assertThat(spans)
            .as("spans of %s trace %s", trace.kind, trace.id)
            .isEqualTo(trace.spanIds());
        // Not before the decision wait: absent from a poll issued that late after it was sent.
        long absentFor = lastAbsentIssued.get(trace.id) - trace.firstReturned;
        assertThat(Duration.ofNanos(absentFor))
            .as("%s trace %s still absent this long after its first spans", trace.kind, trace.id)
            .isGreaterThanOrEqualTo(DECISION_WAIT.minus(EARLY_MARGIN));
        long presentAfter = firstPresentReturned.get(trace.id) - trace.firstStarted;
        assertThat(Duration.ofNanos(presentAfter))
            .as("%s trace %s in Jaeger this soon after its first spans", trace.kind, trace.id)
            .isLessThanOrEqualTo(DECISION_WAIT.plus(LATE_BOUND));
        earliest = Math.min(earliest, absentFor);
        latest = Math.max(latest, presentAfter);
      }

      // The dropped ones were decided on, not still waiting: the processor counted 40 decisions.
      String metrics =
          http.send(
                  HttpRequest.newBuilder(collector.metrics().resolve("/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(decisions(metrics, "true")).as("traces sampled%n%s", metrics).isEqualTo(25);
      assertThat(decisions(metrics, "false")).as("traces not sampled%n%s", metrics).isEqualTo(15);
      System.out.printf(
          "TailSamplingIT: %d of %d traces kept; each absent for >= %d ms, present within <= %d"
              + " ms of its first spans%n",
          expected.size(),
          traces.size(),
          Duration.ofNanos(earliest).toMillis(),
          Duration.ofNanos(latest).toMillis());
    }
  }

  /**
   * 40 traces: 5 of each error and slow kind whose trace IDs the 25% policy would not keep, 5 fast
   * ones it keeps and 15 it does not. The first request has the root and a child, the second two
   * more children.
   */
  private List<SentTrace> traces() {
    Map<Kind, Integer> counts = new TreeMap<>();
    counts.put(Kind.ERROR_FIRST, 5);
    counts.put(Kind.ERROR_LATE, 5);
    counts.put(Kind.SLOW_FIRST, 5);
    counts.put(Kind.SLOW_LATE, 5);
    counts.put(Kind.FAST_KEPT, 5);
    counts.put(Kind.FAST_DROPPED, 15);
    List<SentTrace> traces = new ArrayList<>();
    for (Map.Entry<Kind, Integer> count : counts.entrySet()) {
      for (int i = 0; i < count.getValue(); i++) {
        traces.add(trace(count.getKey()));
      }
    }
    // Interleaved, so that no kind is all early or all late in the sending order.
    java.util.Collections.shuffle(traces, random);
    return traces;
  }

  private SentTrace trace(Kind kind) {
    boolean wantKept = kind == Kind.FAST_KEPT;
    byte[] id = new byte[16];
    do {
      random.nextBytes(id);
      id[0] |= 0x10; // Jaeger prints a trace ID whose high half is zero in 16 digits.
    } while (TailSamplingHash.kept(id, PERCENTAGE) != wantKept);
    HexFormat hex = HexFormat.of();
    String traceId = hex.formatHex(id);
    String root = spanId();
    long start = System.currentTimeMillis() * 1_000_000L - 2_000_000_000L;
    long ms = 1_000_000L;
    long rootEnd = start + (kind == Kind.SLOW_FIRST ? 800 : 30) * ms;
    List<Span> first =
        List.of(
            new Span(traceId, root, null, "checkout", start, rootEnd, false),
            new Span(
                traceId,
                spanId(),
                root,
                "charge",
                start + ms,
                start + 10 * ms,
                kind == Kind.ERROR_FIRST));
    List<Span> second =
        List.of(
            new Span(traceId, spanId(), root, "reserve", start + 11 * ms, start + 20 * ms, false),
            new Span(
                traceId,
                spanId(),
                root,
                "notify",
                start + 21 * ms,
                start + (kind == Kind.SLOW_LATE ? 900 : 25) * ms,
                kind == Kind.ERROR_LATE));
    return new SentTrace(traceId, kind, first, second);
  }

  private String spanId() {
    byte[] id = new byte[8];
    random.nextBytes(id);
    id[0] |= 0x10;
    return HexFormat.of().formatHex(id);
  }

  private static Set<String> ids(List<SentTrace> traces) {
    return traces.stream().map(trace -> trace.id).collect(Collectors.toSet());
  }

  /**
   * Jaeger's traces of {@link #SERVICE}, by trace ID; null when Jaeger did not answer 200 (before
   * the first span of the service is stored it answers 404).
   */
  private Map<String, JsonNode> tracesInJaeger(URI query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(query.resolve("/api/traces?service=" + SERVICE + "&limit=200"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return null;
    }
    Map<String, JsonNode> traces = new TreeMap<>();
    for (JsonNode trace : JSON.readTree(response.body()).path("data")) {
      traces.put(trace.path("traceID").asText(), trace);
    }
    return traces;
  }

  /** The processor's count of traces decided with {@code sampled="<sampled>"}. */
  private static long decisions(String metrics, String sampled) {
    long total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("otelcol_processor_tail_sampling_global_count_traces_sampled")
          && line.contains("sampled=\"" + sampled + "\"")) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
