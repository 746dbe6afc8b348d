package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiverPort;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiversSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline's objects are made from, computed once per reconcile: the collector's and the
 * Jaeger backend's rendered configuration, the Secret keys the collector reads (as environment
 * variables or mounted files, never inlined), and the ports it listens on.
 *
 * @param collectorConfig the collector's configuration file
 * @param jaegerConfig the Jaeger backend's configuration file, or null without a backend
 * @param env environment variables of the collector container, from Secret keys
 * @param secretFiles files of the collector container, by Secret name: the keys and their paths
 *     below {@link #SECRETS_DIR}/{@code <secret>}
 * @param problems what the configuration leaves out, and why
 */
public record CollectorPlan(
    TracingPipeline pipeline,
    String collectorConfig,
    String jaegerConfig,
    List<EnvVar> env,
    Map<String, List<KeyToPath>> secretFiles,
    List<String> problems) {
  static final String CONTEXT_KEY = CollectorPlan.class.getName();
  public static final String SECRETS_DIR = "/etc/otelcol/secrets";
  public static final String IMAGE = "otel/opentelemetry-collector-contrib:0.160.0";
  public static final String JAEGER_IMAGE = "jaegertracing/jaeger:2.13.0";
  static final int HEALTH_PORT = 13133;
  static final int METRICS_PORT = 8888;
  static final int JAEGER_OTLP_GRPC_PORT = 4317;
  static final int JAEGER_UI_PORT = 16686;

  public CollectorPlan {
    env = List.copyOf(env);
    secretFiles = Map.copyOf(secretFiles);
    problems = List.copyOf(problems);
  }

  static CollectorPlan of(Context<TracingPipeline> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, CollectorPlan.class);
  }

  /** The receivers the collector listens on: port name → port, in a stable order. */
  static Map<String, Integer> receiverPorts(TracingPipeline pipeline) {
    ReceiversSpec receivers = pipeline.getSpec().receivers;
    Map<String, Integer> ports = new LinkedHashMap<>();
    if (receivers == null) {
      ports.put("otlp-grpc", ReceiversSpec.OTLP_GRPC_PORT);
      ports.put("otlp-http", ReceiversSpec.OTLP_HTTP_PORT);
      return ports;
    }
    add(ports, "otlp-grpc", receivers.otlpGrpc, ReceiversSpec.OTLP_GRPC_PORT);
    add(ports, "otlp-http", receivers.otlpHttp, ReceiversSpec.OTLP_HTTP_PORT);
    add(ports, "jaeger-grpc", receivers.jaegerGrpc, ReceiversSpec.JAEGER_GRPC_PORT);
    add(ports, "jaeger-thrift", receivers.jaegerThriftHttp, ReceiversSpec.JAEGER_THRIFT_HTTP_PORT);
    add(ports, "zipkin", receivers.zipkin, ReceiversSpec.ZIPKIN_PORT);
    return ports;
  }

  private static void add(
      Map<String, Integer> ports, String name, ReceiverPort receiver, int standard) {
    if (receiver != null && !Boolean.FALSE.equals(receiver.enabled)) {
      ports.put(name, receiver.port == null ? standard : receiver.port);
    }
  }

  static boolean gateway(TracingPipeline pipeline) {
    return pipeline.getSpec().mode != TracingPipelineSpec.Mode.agent;
  }

  static boolean jaegerBackend(TracingPipeline pipeline) {
    JaegerBackendSpec jaeger =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.jaeger;
    return jaeger != null && !Boolean.FALSE.equals(jaeger.enabled);
  }

  static boolean k8sAttributes(TracingPipeline pipeline) {
    var processors = pipeline.getSpec().processors;
    return processors == null
        || processors.k8sAttributes == null
        || !Boolean.FALSE.equals(processors.k8sAttributes.enabled);
  }

  static String collectorName(TracingPipeline pipeline) {
    return pipeline.getMetadata().getName() + "-collector";
  }

  static String jaegerName(TracingPipeline pipeline) {
    return pipeline.getMetadata().getName() + "-jaeger";
  }

  /** A short hash of a configuration: in a pod annotation, it rolls the pods when it changes. */
  static String hash(String config) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(config.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
