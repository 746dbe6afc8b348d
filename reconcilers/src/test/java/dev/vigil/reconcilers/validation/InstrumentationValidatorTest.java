package dev.vigil.reconcilers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What an Instrumentation's schema cannot say, named by field. */
class InstrumentationValidatorTest {
  static Instrumentation parse(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml, Instrumentation.class);
  }

  @Test
  void theExampleIsValid() throws Exception {
    Instrumentation example =
        parse(Files.readString(Path.of("../manifests/examples/instrumentation.yaml")));
    assertThat(new InstrumentationValidator().validate(example)).isEmpty();
  }

  @Test
  void everyProblemNamesItsField() {
    Instrumentation bad =
        parse(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: Instrumentation
            metadata: {name: bad, namespace: shop}
            spec:
              tracingPipeline: {name: traces}
              endpoint: "otel.example:4317"
              propagators: [none, b3]
              sampler: {type: always_on, argument: "1.5"}
              resourceAttributes: {"team,name": "a,b"}
              java:
                volumeSizeLimit: lots
                env:
                  - {name: A, value: "1"}
                  - {name: A, value: "2"}
            """);
    assertThat(Problem.messages(new InstrumentationValidator().validate(bad)))
        .containsExactly(
            "spec: set exactly one of tracingPipeline (a TracingPipeline's collectors) or endpoint"
                + " (an OTLP URL)",
            "spec.endpoint \"otel.example:4317\" is not an http:// or https:// URL with a host,"
                + " e.g. http://otel-collector.tracing:4318",
            "spec.resourceAttributes[team,name]: a key cannot be empty or hold ',', '=' or"
                + " spaces: OTEL_RESOURCE_ATTRIBUTES could not carry it",
            "spec.resourceAttributes[team,name] \"a,b\" holds ',', which separates attributes in"
                + " OTEL_RESOURCE_ATTRIBUTES: remove it",
            "spec.sampler.argument \"1.5\" is not a ratio from 0 to 1: write e.g. \"0.25\"",
            "spec.propagators: none turns propagation off and cannot be listed with others",
            "spec.java.volumeSizeLimit \"lots\" is not a quantity: write a number with an"
                + " optional suffix, e.g. 500m, 2Gi",
            "spec.java.env[1].name A is set twice: keep one");
  }
}
