package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.LanguageSpec;
import dev.vigil.api.v1alpha1.instrumentation.SamplerSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenTelemetry operator's {@code opentelemetry.io/v1alpha1} Instrumentation, read as a generic
 * object, converted to Vigil's {@link InstrumentationSpec}, with each field that has no equivalent
 * named as a problem (the pod is admitted without it, with a warning).
 *
 * <p>The OpenTelemetry operator sets {@code OTEL_EXPORTER_OTLP_ENDPOINT} from {@code
 * spec.exporter.endpoint} and no protocol, so each SDK uses its default: http/protobuf for the Java
 * agent (2.x), Python and .NET, grpc for its Node.js image. Vigil sets one protocol per
 * Instrumentation, so it is read from the endpoint's port: {@code 4317} is grpc, anything else
 * http/protobuf. A language whose {@code env} sets its own {@code OTEL_EXPORTER_OTLP_ENDPOINT} gets
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL} by the same rule, unless it sets that too. {@code spec.env}
 * is added to every language's env (the language's own variables win).
 */
public final class OpenTelemetryInstrumentations {
  /** The API version read. */
  public static final String API_VERSION = "opentelemetry.io/v1alpha1";

  /** The kind read. */
  public static final String KIND = "Instrumentation";

  /** The CRD's name, for logs. */
  public static final String CRD = "instrumentations.opentelemetry.io";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final List<String> LANGUAGES = List.of("java", "python", "nodejs", "dotnet");
  private static final Set<String> NOT_CONVERTED =
      Set.of("go", "apacheHttpd", "nginx", "php", "sdk");

  /**
   * A converted Instrumentation.
   *
   * @param spec Vigil's spec, or null when the object cannot be used at all (then {@code problems}
   *     says why)
   * @param problems the fields left out, each naming the field
   */
  public record Converted(InstrumentationSpec spec, List<String> problems) {
    public Converted {
      problems = List.copyOf(problems);
    }
  }

  private OpenTelemetryInstrumentations() {}

  /** Converts one object; never throws for what a user wrote. */
  public static Converted convert(GenericKubernetesResource object) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> spec = map(object.getAdditionalProperties().get("spec"));
    InstrumentationSpec converted = new InstrumentationSpec();
    Map<String, Object> exporter = map(spec.get("exporter"));
    Object endpoint = exporter.get("endpoint");
    if (!(endpoint instanceof String url) || url.isBlank()) {
      return new Converted(
          null,
          List.of(
              "spec.exporter.endpoint is not set: Vigil needs an endpoint; set it, or create"
                  + " Vigil's Instrumentation of the same name"));
    }
    if (!url.matches("^https?://[^\\s,]+$")) {
      return new Converted(
          null,
          List.of("spec.exporter.endpoint \"" + url + "\" is not an http:// or https:// URL"));
    }
    converted.endpoint = url.trim();
    converted.protocol = protocolOf(converted.endpoint);
    if (exporter.get("tls") != null) {
      problems.add("spec.exporter.tls is not converted: pods send without client TLS files");
    }
    converted.propagators = propagators(spec.get("propagators"), problems);
    converted.sampler = sampler(map(spec.get("sampler")), problems);
    Map<String, Object> resource = map(spec.get("resource"));
    Map<String, Object> attributes = map(resource.get("resourceAttributes"));
    if (!attributes.isEmpty()) {
      converted.resourceAttributes = new LinkedHashMap<>();
      attributes.forEach((k, v) -> converted.resourceAttributes.put(k, String.valueOf(v)));
    }
    if (Boolean.TRUE.equals(resource.get("addK8sUIDAttributes"))) {
      problems.add("spec.resource.addK8sUIDAttributes is not converted: no k8s.*.uid attributes");
    }
    if (Boolean.TRUE.equals(map(spec.get("defaults")).get("useLabelsForResourceAttributes"))) {
      problems.add(
          "spec.defaults.useLabelsForResourceAttributes is not converted: labels are not read as"
              + " attributes");
    }
    List<EnvVar> common = env(spec.get("env"), "spec.env", problems);
    for (String language : LANGUAGES) {
      LanguageSpec languageSpec =
          language(language, map(spec.get(language)), common, converted.endpoint, problems);
      switch (language) {
        case "java" -> converted.java = languageSpec;
        case "python" -> converted.python = languageSpec;
        case "nodejs" -> converted.nodejs = languageSpec;
        default -> converted.dotnet = languageSpec;
      }
    }
    for (String name : NOT_CONVERTED) {
      if (spec.get(name) != null) {
        problems.add("spec." + name + " is not converted: Vigil does not inject it");
      }
    }
    return new Converted(converted, problems.stream().sorted().toList());
  }

  /** grpc for the OTLP gRPC port 4317, else http/protobuf. */
  static InstrumentationSpec.Protocol protocolOf(String endpoint) {
    try {
      int port = URI.create(endpoint.replace("$(", "").replace(")", "")).getPort();
      return port == 4317
          ? InstrumentationSpec.Protocol.GRPC
          : InstrumentationSpec.Protocol.HTTP_PROTOBUF;
    } catch (IllegalArgumentException e) {
      return InstrumentationSpec.Protocol.HTTP_PROTOBUF;
    }
  }

  private static LanguageSpec language(
      String language,
      Map<String, Object> from,
      List<EnvVar> common,
      String endpoint,
      List<String> problems) {
    String field = "spec." + language;
    LanguageSpec spec = new LanguageSpec();
    if (from.get("image") instanceof String image && !image.isBlank()) {
      spec.image = image;
    }
    List<EnvVar> env = new ArrayList<>(env(from.get("env"), field + ".env", problems));
    for (EnvVar variable : common) {
      if (ContainerEnv.find(env, variable.getName()).isEmpty()) {
        env.add(variable);
      }
    }
    Optional<EnvVar> ownEndpoint = ContainerEnv.find(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
    if (ownEndpoint.isPresent()
        && ownEndpoint.get().getValue() != null
        && !ownEndpoint.get().getValue().equals(endpoint)
        && ContainerEnv.find(env, "OTEL_EXPORTER_OTLP_PROTOCOL").isEmpty()) {
      env.add(
          new EnvVar(
              "OTEL_EXPORTER_OTLP_PROTOCOL",
              protocolOf(ownEndpoint.get().getValue()).value(),
              null));
    }
    spec.env = env.isEmpty() ? null : env;
    Object resources = from.get("resourceRequirements");
    if (resources != null) {
      try {
        spec.resources = SERIALIZATION.convertValue(resources, ResourceRequirements.class);
      } catch (RuntimeException e) {
        problems.add(field + ".resourceRequirements is not converted: " + e.getMessage());
      }
    }
    Object size = from.get("volumeLimitSize");
    if (size != null) {
      try {
        Quantity quantity = new Quantity(String.valueOf(size));
        Quantity.getAmountInBytes(quantity);
        spec.volumeSizeLimit = quantity;
      } catch (RuntimeException e) {
        problems.add(field + ".volumeLimitSize \"" + size + "\" is not a quantity");
      }
    }
    if (from.get("volumeClaimTemplate") != null) {
      problems.add(
          field
              + ".volumeClaimTemplate is not converted: the payload goes to an emptyDir"
              + (spec.volumeSizeLimit == null ? "" : " of volumeLimitSize"));
    }
    if (from.get("extensions") != null) {
      problems.add(field + ".extensions is not converted: the agent runs without them");
    }
    if (spec.image == null
        && spec.env == null
        && spec.resources == null
        && spec.volumeSizeLimit == null) {
      return null;
    }
    return spec;
  }

  private static List<EnvVar> env(Object value, String field, List<String> problems) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    List<EnvVar> env = new ArrayList<>();
    for (Object item : list) {
      try {
        EnvVar variable = SERIALIZATION.convertValue(item, EnvVar.class);
        if (variable.getName() != null && ContainerEnv.find(env, variable.getName()).isEmpty()) {
          env.add(variable);
        }
      } catch (RuntimeException e) {
        problems.add(field + ": an item is not an env variable: " + e.getMessage());
      }
    }
    return env;
  }

  private static List<InstrumentationSpec.Propagator> propagators(
      Object value, List<String> problems) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    List<InstrumentationSpec.Propagator> propagators = new ArrayList<>();
    for (Object item : list) {
      String name = String.valueOf(item).trim().toLowerCase(Locale.ROOT);
      try {
        InstrumentationSpec.Propagator propagator = InstrumentationSpec.Propagator.valueOf(name);
        if (!propagators.contains(propagator)) {
          propagators.add(propagator);
        }
      } catch (IllegalArgumentException e) {
        problems.add("spec.propagators: \"" + item + "\" is not converted: Vigil does not know it");
      }
    }
    if (propagators.contains(InstrumentationSpec.Propagator.none) && propagators.size() > 1) {
      problems.add("spec.propagators: none is listed with others; the SDK's default is used");
      return null;
    }
    return propagators.isEmpty() ? null : propagators;
  }

  private static SamplerSpec sampler(Map<String, Object> from, List<String> problems) {
    Object type = from.get("type");
    if (type == null) {
      return null;
    }
    SamplerSpec sampler = new SamplerSpec();
    try {
      sampler.type = SamplerSpec.Type.valueOf(String.valueOf(type).trim());
    } catch (IllegalArgumentException e) {
      problems.add(
          "spec.sampler.type \"" + type + "\" is not converted: the SDK's default sampler is used");
      return null;
    }
    Object argument = from.get("argument");
    if (argument != null) {
      String text = String.valueOf(argument).trim();
      boolean ratio =
          sampler.type == SamplerSpec.Type.traceidratio
              || sampler.type == SamplerSpec.Type.parentbased_traceidratio;
      if (!ratio) {
        problems.add(
            "spec.sampler.argument is not converted: " + sampler.type + " takes no argument");
      } else if (!text.matches("^(0|0?[.][0-9]+|1([.]0+)?)$")) {
        problems.add(
            "spec.sampler.argument \"" + text + "\" is not converted: not a ratio from 0 to 1");
      } else {
        sampler.argument = text;
      }
    }
    return sampler;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }
}
