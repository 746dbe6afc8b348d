package dev.vigil.reconcilers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.DatadogExporterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ExportersSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.JaegerMonitorSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ProcessorsSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.SamplingSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.SpanMetricsSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicyFields;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingSubPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tail-sampling string_attribute regex is checked as the collector compiles it (Go's syntax), by
 * the validator a webhook would call, with the field named; a literal value is not a regex.
 */
class TracingPipelineValidatorTest {
  final TracingPipelineValidator validator = new TracingPipelineValidator();

  @Test
  void aRegexGoRefusesIsAProblemNamingItsFieldAtEveryDepth() {
    TailSamplingPolicy top = stringAttribute(new TailSamplingPolicy(), true, "ok.*", "(?=x)");
    TailSamplingPolicy and = new TailSamplingPolicy();
    and.name = "and";
    and.type = TailSamplingPolicyFields.Type.and;
    and.and = new TailSamplingPolicy.And();
    and.and.subPolicies = List.of(stringAttribute(new TailSamplingSubPolicy(), true, "a\\1"));

    assertThat(validator.problems(pipeline(top, and)))
        .extracting(Problem::message)
        .satisfiesExactly(
            p ->
                assertThat(p)
                    .startsWith(
                        "spec.processors.sampling.tail.policies[0].stringAttribute.values[1]:"
                            + " \"(?=x)\" is not a regular expression the collector compiles"),
            p ->
                assertThat(p)
                    .startsWith(
                        "spec.processors.sampling.tail.policies[1].and.subPolicies[0]"
                            + ".stringAttribute.values[0]: \"a\\1\""));
  }

  @Test
  void withoutRegexMatchingAValueIsALiteral() {
    assertThat(
            validator.problems(pipeline(stringAttribute(new TailSamplingPolicy(), false, "(?=x)"))))
        .isEmpty();
  }

  @Test
  void aDatadogEndpointOverrideMustBeAnHttpBaseUrlWithAHost() {
    assertThat(messages(datadog("http://datadog-agent.datadog:4318", "api-key"))).isEmpty();
    assertThat(messages(datadog("https://proxy.example.com/datadog/", "api-key"))).isEmpty();
    assertThat(messages(datadog("ftp://proxy.example.com", "api-key")))
        .containsExactly(
            "spec.exporters.datadog.endpoint \"ftp://proxy.example.com\" must start with http:// or"
                + " https://");
    assertThat(messages(datadog("http://", "api-key")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("spec.exporters.datadog.endpoint \"http://\" ");
    assertThat(messages(datadog("http://proxy:4318/?site=eu", "api-key")))
        .containsExactly(
            "spec.exporters.datadog.endpoint \"http://proxy:4318/?site=eu\" is a base URL:"
                + " /v1/traces is appended to it, so it takes no query or fragment");
    assertThat(messages(datadog("http://a b", "api-key")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("spec.exporters.datadog.endpoint \"http://a b\" is not a URL");
  }

  @Test
  void aDatadogApiKeyNamesASecretKey() {
    assertThat(messages(datadog(null, "")))
        .containsExactly(
            "spec.exporters.datadog.apiKey: name the Secret (name) and its key (key) holding the"
                + " Datadog API key");
  }

  @Test
  void spanMetricsTheCollectorWouldRefuseOrIgnoreAreProblemsNamingTheirField() {
    TracingPipeline pipeline = pipeline();
    pipeline.getSpec().spanMetrics = new SpanMetricsSpec();
    pipeline.getSpec().spanMetrics.dimensions = List.of("http.request.method", "status.code");
    pipeline.getSpec().spanMetrics.excludeOperations = List.of("GET /healthz", "(?=x)");
    pipeline.getSpec().spanMetrics.histogramBuckets = List.of("1s", "100ms");
    pipeline.getSpec().exporters = new ExportersSpec();
    pipeline.getSpec().exporters.jaeger = new JaegerBackendSpec();
    pipeline.getSpec().exporters.jaeger.monitor = new JaegerMonitorSpec();
    pipeline.getSpec().exporters.jaeger.monitor.prometheusUrl = "prometheus:9090";

    assertThat(messages(pipeline))
        .containsExactly(
            "spec.spanMetrics.dimensions[1]: \"status.code\" is always a label; left out",
            "spec.spanMetrics.histogramBuckets[1]: \"100ms\" is not a Go duration greater than"
                + " the bucket before it; using the default buckets",
            "spec.spanMetrics.excludeOperations[1]: not an RE2 regular expression (error parsing"
                + " regexp: invalid or unsupported Perl syntax: `(?=`); left out",
            "spec.exporters.jaeger.monitor.prometheusUrl: \"prometheus:9090\" is not an absolute"
                + " http(s) URL");

    pipeline.getSpec().spanMetrics.enabled = false;
    pipeline.getSpec().exporters.jaeger.monitor.prometheusUrl = "http://prometheus:9090";
    assertThat(messages(pipeline)).isEmpty();
  }

  private List<String> messages(TracingPipeline pipeline) {
    return validator.problems(pipeline).stream().map(Problem::message).toList();
  }

  static TracingPipeline datadog(String endpoint, String key) {
    TracingPipeline pipeline = pipeline();
    pipeline.getSpec().processors = null;
    pipeline.getSpec().exporters = new ExportersSpec();
    pipeline.getSpec().exporters.datadog = new DatadogExporterSpec();
    pipeline.getSpec().exporters.datadog.endpoint = endpoint;
    pipeline.getSpec().exporters.datadog.apiKey = new SecretKeySelector(key, "datadog", null);
    return pipeline;
  }

  static <T extends TailSamplingPolicyFields> T stringAttribute(
      T policy, boolean regex, String... values) {
    policy.name = "p";
    policy.type = TailSamplingPolicyFields.Type.string_attribute;
    policy.stringAttribute = new TailSamplingPolicyFields.StringAttribute();
    policy.stringAttribute.key = "http.route";
    policy.stringAttribute.values = List.of(values);
    policy.stringAttribute.enabledRegexMatching = regex;
    return policy;
  }

  static TracingPipeline pipeline(TailSamplingPolicy... policies) {
    TracingPipeline pipeline = new TracingPipeline();
    pipeline.setMetadata(new ObjectMetaBuilder().withName("traces").withNamespace("shop").build());
    pipeline.setSpec(new TracingPipelineSpec());
    pipeline.getSpec().processors = new ProcessorsSpec();
    pipeline.getSpec().processors.sampling = new SamplingSpec();
    pipeline.getSpec().processors.sampling.tail = new TailSamplingSpec();
    pipeline.getSpec().processors.sampling.tail.policies = List.of(policies);
    return pipeline;
  }
}
