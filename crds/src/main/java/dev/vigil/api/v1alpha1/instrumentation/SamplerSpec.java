package dev.vigil.api.v1alpha1.instrumentation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The SDK's sampler, as {@code OTEL_TRACES_SAMPLER} and {@code OTEL_TRACES_SAMPLER_ARG} name it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.argument) || self.type == 'traceidratio' || self.type =="
            + " 'parentbased_traceidratio'",
    message =
        "sampler.argument: only traceidratio and parentbased_traceidratio take an argument;"
            + " remove it or change the type")
@ValidationRule(
    value = "!has(self.argument) || self.argument.matches('^(0|0?[.][0-9]+|1([.]0+)?)$')",
    message =
        "sampler.argument: the ratio of traces to keep is a number from 0 to 1, e.g. \"0.25\"")
public class SamplerSpec {
  @Required
  @JsonPropertyDescription(
      "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or"
          + " parentbased_traceidratio.")
  public Type type;

  @JsonPropertyDescription(
      "For the traceidratio samplers: the ratio of traces kept, from 0 to 1 (e.g. \"0.25\")."
          + " Default: the SDK's, 1.0.")
  @Size(max = 32)
  public String argument;

  /** The samplers every OpenTelemetry SDK knows by these names. */
  public enum Type {
    always_on,
    always_off,
    traceidratio,
    parentbased_always_on,
    parentbased_always_off,
    parentbased_traceidratio
  }
}
