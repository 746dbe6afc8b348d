package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.ExportersSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.GatewayReference;
import dev.vigil.api.v1alpha1.tracingpipeline.OtlpExporterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiverPort;
import dev.vigil.api.v1alpha1.tracingpipeline.ReceiversSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.DebugExporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Exporter;
import dev.vigil.reconcilers.collector.CollectorConfig.OtlpExporter;
import dev.vigil.reconcilers.collector.CollectorConfig.Tls;
import dev.vigil.reconcilers.objects.ServiceHost;
import dev.vigil.reconcilers.references.MountedKey;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code exporters} section, by id: {@code otlp_grpc/<name>} or {@code otlp_http/<name>} per
 * {@code exporters.otlp[]} entry; {@value #JAEGER_BACKEND_EXPORTER} to the Jaeger backend Vigil
 * runs for the pipeline, at the endpoint its caller gives ({@link
 * CollectorConfigInputs#jaegerBackend()}, no TLS inside the cluster); {@code
 * otlp_grpc/gateway_pipeline} (or {@code otlp_http/gateway_pipeline} when the gateway only takes
 * OTLP HTTP) to the gateway pipeline's Service ({@link CollectorNames#service}); {@value
 * DatadogIntake#ID} to Datadog's OTLP intake ({@link DatadogIntake}); {@code debug}. User exporter
 * names are DNS labels, which cannot hold the {@code _} of Vigil's own ids, so they never collide.
 *
 * <p>Credentials are never written into the file. A header taken from a Secret is an {@code
 * ${env:VIGIL_OTLP_<EXPORTER>_HEADER_<HEADER>}} reference to a variable set from the Secret key;
 * TLS material is a mounted file. Literal header values (which the spec stores in plain text) are
 * written with {@code $} doubled, so they are never expanded. An exporter that cannot be rendered
 * (a missing Secret key, an unknown or unreachable gateway pipeline, ...) is left out, with its
 * Secret references, and reported.
 */
final class CollectorExporters {
  static final String JAEGER_BACKEND_EXPORTER = "otlp_grpc/jaeger_backend";
  static final String GATEWAY_EXPORTER = "gateway_pipeline";

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final Pattern EXPORTER_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private CollectorExporters() {}

  /**
   * The exporters of {@code pipeline}, sorted by id. Adds the Secret keys and variables of those
   * rendered to {@code build}.
   */
  static SortedMap<String, Exporter> build(
      TracingPipeline pipeline, CollectorConfigInputs inputs, CollectorBuild build) {
    ExportersSpec spec =
        Objects.requireNonNullElseGet(pipeline.getSpec().exporters, ExportersSpec::new);
    SortedMap<String, Exporter> exporters = new TreeMap<>();
    List<OtlpExporterSpec> otlp = spec.otlp == null ? List.of() : spec.otlp;
    otlpExporters(otlp, "spec.exporters.otlp", exporters, inputs.keyExists(), build);
    if (spec.datadog != null) {
      attempt(
          "spec.exporters.datadog",
          exporters,
          inputs.keyExists(),
          build,
          refs ->
              Map.entry(
                  DatadogIntake.ID,
                  DatadogIntake.exporter(
                      spec.datadog, EnumSet.of(DatadogIntake.Signal.TRACES), refs)));
    }
    if (inputs.jaegerBackend() != null) {
      exporters.put(
          JAEGER_BACKEND_EXPORTER,
          new OtlpExporter(inputs.jaegerBackend(), null, Tls.INSECURE, null));
    }
    if (spec.gateway != null) {
      attempt(
          "spec.exporters.gateway",
          exporters,
          inputs.keyExists(),
          build,
          refs -> gatewayExporter(spec.gateway, pipeline, inputs));
    }
    if (spec.debug != null) {
      String verbosity = spec.debug.verbosity == null ? "basic" : spec.debug.verbosity.name();
      exporters.put("debug", new DebugExporter(verbosity));
    }
    return exporters;
  }

  /** Builds one exporter: all of it with its Secret references, or nothing and a problem. */
  static void attempt(
      String field,
      SortedMap<String, Exporter> exporters,
      Predicate<MountedKey> keyExists,
      CollectorBuild build,
      Function<SecretReferences, Map.Entry<String, Exporter>> exporter) {
    SecretReferences refs = new SecretReferences(build.namespace, keyExists);
    try {
      Map.Entry<String, Exporter> built = exporter.apply(refs);
      for (String name : refs.env.keySet()) {
        if (build.env.containsKey(name)) {
          throw new Unrenderable(
              "its environment variable " + name + " is already used by another exporter");
        }
      }
      exporters.put(built.getKey(), built.getValue());
      build.mounted.addAll(refs.files);
      build.env.putAll(refs.env);
    } catch (Unrenderable e) {
      build.problem(field, e.getMessage() + "; the exporter is left out");
    }
  }

  /**
   * The exporters of {@code exporters.otlp[]} entries ({@code field} names the list), each all of
   * it or left out and reported. Names must be unique in {@code names}.
   */
  static void otlpExporters(
      List<OtlpExporterSpec> otlp,
      String field,
      SortedMap<String, Exporter> exporters,
      Predicate<MountedKey> keyExists,
      CollectorBuild build) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < otlp.size(); i++) {
      OtlpExporterSpec exporter = otlp.get(i);
      attempt(
          field + "[" + i + "]",
          exporters,
          keyExists,
          build,
          refs -> {
            if (exporter == null
                || exporter.name == null
                || !EXPORTER_NAME.matcher(exporter.name).matches()
                || exporter.name.length() > 32) {
              throw new Unrenderable(
                  "name \""
                      + (exporter == null ? null : exporter.name)
                      + "\" must be a lower-case DNS label of at most 32 characters");
            }
            if (!names.add(exporter.name)) {
              throw new Unrenderable("the name \"" + exporter.name + "\" is used twice");
            }
            return otlpExporter(exporter, refs);
          });
    }
  }

  private static Map.Entry<String, Exporter> otlpExporter(
      OtlpExporterSpec spec, SecretReferences refs) {
    boolean http = spec.protocol == OtlpExporterSpec.Protocol.http;
    String id = (http ? "otlp_http/" : "otlp_grpc/") + spec.name;
    if (spec.endpoint == null || spec.endpoint.isBlank()) {
      throw new Unrenderable("an endpoint is required");
    }
    if (http && !spec.endpoint.matches("https?://[^\\s]+")) {
      throw new Unrenderable(
          "endpoint \"" + spec.endpoint + "\" of an http exporter must be an http(s):// URL");
    }
    if (spec.endpoint.matches("(?s).*\\s.*")) {
      throw new Unrenderable("endpoint \"" + spec.endpoint + "\" contains white space");
    }
    boolean insecure = Boolean.TRUE.equals(spec.insecure);
    OtlpExporterSpec.OtlpTlsSpec tlsSpec = spec.tls;
    Tls tls = null;
    if (tlsSpec != null) {
      if (insecure
          && (tlsSpec.ca != null
              || tlsSpec.cert != null
              || tlsSpec.key != null
              || tlsSpec.serverName != null
              || tlsSpec.insecureSkipVerify != null)) {
        throw new Unrenderable("insecure: true sends without TLS; remove it or the tls block");
      }
      if ((tlsSpec.cert == null) != (tlsSpec.key == null)) {
        throw new Unrenderable(
            "tls: a client certificate (cert) needs its key, and the other way round");
      }
      tls =
          new Tls(
              null,
              tlsSpec.ca == null ? null : refs.file(tlsSpec.ca, "tls.ca"),
              tlsSpec.cert == null ? null : refs.file(tlsSpec.cert, "tls.cert"),
              tlsSpec.key == null ? null : refs.file(tlsSpec.key, "tls.key"),
              tlsSpec.serverName,
              tlsSpec.insecureSkipVerify);
    } else if (insecure) {
      if (http) {
        if (spec.endpoint.startsWith("https://")) {
          throw new Unrenderable(
              "insecure: true with an https:// endpoint: an http exporter's URL scheme decides;"
                  + " use http:// to send without TLS");
        }
      } else {
        tls = Tls.INSECURE;
      }
    }
    SortedMap<String, String> headers = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    List<OtlpExporterSpec.HeaderSpec> headerSpecs = spec.headers == null ? List.of() : spec.headers;
    for (int i = 0; i < headerSpecs.size(); i++) {
      OtlpExporterSpec.HeaderSpec header = headerSpecs.get(i);
      String headerField = "headers[" + i + "]";
      if (header == null || header.name == null || !HEADER_NAME.matcher(header.name).matches()) {
        throw new Unrenderable(
            headerField
                + ": \""
                + (header == null ? null : header.name)
                + "\" is not an HTTP header name");
      }
      if (!seen.add(header.name.toLowerCase(Locale.ROOT))) {
        throw new Unrenderable(headerField + ": header " + header.name + " is set twice");
      }
      if ((header.value == null) == (header.valueFrom == null)) {
        throw new Unrenderable(headerField + ": set exactly one of value or valueFrom");
      }
      if (header.value != null) {
        headers.put(header.name, header.value.replace("$", "$$"));
      } else {
        String variable = headerVariable(spec.name, header.name);
        headers.put(header.name, refs.env(variable, header.valueFrom, headerField + ".valueFrom"));
      }
    }
    String compression = spec.compression == null ? null : spec.compression.name();
    return Map.entry(id, new OtlpExporter(spec.endpoint, compression, tls, headers));
  }

  private static Map.Entry<String, Exporter> gatewayExporter(
      GatewayReference reference, TracingPipeline pipeline, CollectorConfigInputs inputs) {
    String namespace = pipeline.getMetadata().getNamespace();
    String gatewayNamespace = Objects.requireNonNullElse(reference.namespace, namespace);
    if (reference.name == null || reference.name.isEmpty()) {
      throw new Unrenderable("name is required");
    }
    String described = gatewayNamespace + "/" + reference.name;
    if (reference.name.equals(pipeline.getMetadata().getName())
        && gatewayNamespace.equals(namespace)) {
      throw new Unrenderable("names this pipeline itself");
    }
    Optional<TracingPipeline> found = inputs.pipelines().find(gatewayNamespace, reference.name);
    if (found.isEmpty()) {
      throw new Unrenderable("TracingPipeline " + described + " does not exist");
    }
    TracingPipelineSpec gateway = found.get().getSpec();
    if (gateway == null || gateway.mode != TracingPipelineSpec.Mode.gateway) {
      throw new Unrenderable(
          "TracingPipeline " + described + " is not in gateway mode; agents have no Service");
    }
    ReceiversSpec receivers = Objects.requireNonNullElseGet(gateway.receivers, ReceiversSpec::new);
    String host = ServiceHost.of(CollectorNames.service(reference.name), gatewayNamespace);
    if (receivers.otlpGrpc == null || !Boolean.FALSE.equals(receivers.otlpGrpc.enabled)) {
      int port = receiverPort(receivers.otlpGrpc, ReceiversSpec.OTLP_GRPC_PORT);
      return Map.entry(
          "otlp_grpc/" + GATEWAY_EXPORTER,
          new OtlpExporter(host + ":" + port, null, Tls.INSECURE, null));
    }
    if (receivers.otlpHttp == null || !Boolean.FALSE.equals(receivers.otlpHttp.enabled)) {
      int port = receiverPort(receivers.otlpHttp, ReceiversSpec.OTLP_HTTP_PORT);
      return Map.entry(
          "otlp_http/" + GATEWAY_EXPORTER,
          new OtlpExporter("http://" + host + ":" + port, null, null, null));
    }
    throw new Unrenderable("TracingPipeline " + described + " accepts no OTLP");
  }

  private static int receiverPort(ReceiverPort spec, int standard) {
    return spec == null || spec.port == null ? standard : spec.port;
  }

  /**
   * {@code VIGIL_OTLP_<EXPORTER>_HEADER_<HEADER>}: upper case, every other character than a letter
   * or digit turned into {@code _}.
   */
  static String headerVariable(String exporter, String header) {
    return "VIGIL_OTLP_" + variablePart(exporter) + "_HEADER_" + variablePart(header);
  }

  private static String variablePart(String s) {
    return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
