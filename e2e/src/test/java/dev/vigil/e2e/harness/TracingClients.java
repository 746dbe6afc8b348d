package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineStatus;
import dev.vigil.e2e.harness.LoopbackTracing.Collector;
import dev.vigil.reconcilers.collector.CollectorConfigBuilder;
import dev.vigil.reconcilers.collector.CollectorConfigInputs;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import dev.vigil.reconcilers.tracingpipeline.TracingPipelineReconciler;
import java.nio.file.Path;

/**
 * What the tests of applications' own tracing clients share (LegacyJaegerClientsIT,
 * OtelSdkByConfigurationIT): the address a pipeline's status gives applications, moved to the
 * loopback collector; the client programs in {@code src/test/resources/tracing-clients/}; reading
 * spans and tags out of a trace of Jaeger's query API.
 */
public final class TracingClients {
  private TracingClients() {}

  /** {@code status.endpoints} of {@code pipeline}, as the reconciler reports them. */
  public static TracingPipelineStatus.Endpoints endpoints(TracingPipeline pipeline) {
    CollectorConfigBuilder.Result result =
        CollectorConfigBuilder.build(
            pipeline,
            new CollectorConfigInputs(null, null, JaegerNames.collectorEndpoint(pipeline)));
    return TracingPipelineReconciler.endpoints(pipeline, result.ports());
  }

  /**
   * The collector's loopback port for an in-cluster {@code host:port} (or URL) of its Service: the
   * one change from what a pod would be given.
   */
  public static int loopbackPort(Collector collector, String endpoint) {
    String hostPort = endpoint.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
    int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    assertThat(collector.ports()).containsKey(port);
    return collector.ports().get(port);
  }

  public static Path resource(String name) {
    Path path =
        Path.of(System.getProperty("vigil.repo", ".."))
            .resolve("e2e/src/test/resources/tracing-clients")
            .resolve(name);
    assertThat(path).isRegularFile();
    return path;
  }

  /** Trace ids as hex, compared without leading zeros (a 64-bit id is a 128-bit one's low half). */
  public static boolean sameTraceId(String a, String b) {
    return a.replaceFirst("^0+", "").equals(b.replaceFirst("^0+", ""));
  }

  /** The span of the trace named {@code operation}. */
  public static JsonNode span(JsonNode trace, String operation) {
    for (JsonNode span : trace.path("spans")) {
      if (span.path("operationName").asText().equals(operation)) {
        return span;
      }
    }
    throw new AssertionError("no span " + operation + " in " + trace);
  }

  /** A tag's value as text, or null. */
  public static String tag(JsonNode span, String key) {
    for (JsonNode tag : span.path("tags")) {
      if (tag.path("key").asText().equals(key)) {
        return tag.path("value").asText();
      }
    }
    return null;
  }
}
