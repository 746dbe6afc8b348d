package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.LanguageSpec;
import dev.vigil.api.v1alpha1.instrumentation.SamplerSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an Instrumentation's schema cannot check, and what its CEL rules say again for an API server
 * that skipped them: one destination, an endpoint URL the SDKs parse, resource attributes that fit
 * in OTEL_RESOURCE_ATTRIBUTES, the sampler's ratio, quantities, and variables set once.
 */
public final class InstrumentationValidator implements Validator<Instrumentation> {
  private static final Pattern RATIO = Pattern.compile("^(0|0?[.][0-9]+|1([.]0+)?)$");
  private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");

  @Override
  public List<Problem> problems(Instrumentation instrumentation) {
    InstrumentationSpec spec = instrumentation.getSpec();
    List<String> problems = new ArrayList<>();
    if ((spec.tracingPipeline == null) == (spec.endpoint == null)) {
      problems.add(
          "spec: set exactly one of tracingPipeline (a TracingPipeline's collectors) or endpoint"
              + " (an OTLP URL)");
    }
    if (spec.tracingPipeline != null
        && (spec.tracingPipeline.name == null || spec.tracingPipeline.name.isBlank())) {
      problems.add("spec.tracingPipeline.name is empty: name the TracingPipeline");
    }
    if (spec.endpoint != null) {
      endpointProblem(spec.endpoint, problems);
    }
    if (spec.resourceAttributes != null) {
      for (Map.Entry<String, String> attribute : spec.resourceAttributes.entrySet()) {
        String key = attribute.getKey();
        String value = attribute.getValue() == null ? "" : attribute.getValue();
        if (key.isBlank() || key.matches(".*[,=\\s].*")) {
          problems.add(
              "spec.resourceAttributes["
                  + key
                  + "]: a key cannot be empty or hold ',', '=' or"
                  + " spaces: OTEL_RESOURCE_ATTRIBUTES could not carry it");
        }
        if (value.contains(",")) {
          problems.add(
              "spec.resourceAttributes["
                  + key
                  + "] \""
                  + value
                  + "\" holds ',', which separates attributes in OTEL_RESOURCE_ATTRIBUTES:"
                  + " remove it");
        }
      }
    }
    if (spec.sampler != null && spec.sampler.argument != null) {
      if (!RATIO.matcher(spec.sampler.argument.trim()).matches()) {
        problems.add(
            "spec.sampler.argument \""
                + spec.sampler.argument
                + "\" is not a ratio from 0 to 1: write e.g. \"0.25\"");
      } else if (spec.sampler.type != SamplerSpec.Type.traceidratio
          && spec.sampler.type != SamplerSpec.Type.parentbased_traceidratio) {
        problems.add(
            "spec.sampler.argument: only traceidratio and parentbased_traceidratio take an"
                + " argument; remove it or change the type");
      }
    }
    if (spec.propagators != null
        && spec.propagators.contains(InstrumentationSpec.Propagator.none)
        && spec.propagators.size() > 1) {
      problems.add("spec.propagators: none turns propagation off and cannot be listed with others");
    }
    language("java", spec.java, problems);
    language("python", spec.python, problems);
    language("nodejs", spec.nodejs, problems);
    language("dotnet", spec.dotnet, problems);
    return Problem.of(problems);
  }

  private static void endpointProblem(String endpoint, List<String> problems) {
    try {
      URI uri = new URI(endpoint);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        problems.add(
            "spec.endpoint \""
                + endpoint
                + "\" is not an http:// or https:// URL with a host, e.g."
                + " http://otel-collector.tracing:4318");
      }
    } catch (URISyntaxException e) {
      problems.add(
          "spec.endpoint \""
              + endpoint
              + "\" is not a URL: "
              + e.getReason()
              + "; write e.g."
              + " http://otel-collector.tracing:4318");
    }
  }

  private static void language(String name, LanguageSpec spec, List<String> problems) {
    if (spec == null) {
      return;
    }
    String path = "spec." + name;
    problems.addAll(Quantities.problems(path + ".resources", spec.resources));
    problems.addAll(Quantities.problems(path + ".volumeSizeLimit", spec.volumeSizeLimit));
    if (spec.image != null && spec.image.isBlank()) {
      problems.add(path + ".image is empty: name an image, or leave the field out for Vigil's");
    }
    if (spec.env != null) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < spec.env.size(); i++) {
        EnvVar var = spec.env.get(i);
        if (var == null) {
          continue;
        }
        String field = path + ".env[" + i + "]";
        if (var.getName() == null || !ENV_NAME.matcher(var.getName()).matches()) {
          problems.add(field + ".name \"" + var.getName() + "\" is not a variable name");
        } else if (!seen.add(var.getName())) {
          problems.add(field + ".name " + var.getName() + " is set twice: keep one");
        }
      }
    }
  }
}
