package dev.vigil.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.operator.admission.Admission;
import dev.vigil.reconcilers.injection.InjectionResult;
import dev.vigil.reconcilers.injection.OtlpEndpoints;
import dev.vigil.reconcilers.injection.PodInjector;
import dev.vigil.reconcilers.injection.Resolution;
import dev.vigil.reconcilers.injection.ResolvedInstrumentation;
import dev.vigil.reconcilers.rules.PromQLExpressionCheck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one admission costs inside the operator (issue 17: p99 under 10 ms): the AdmissionReview of
 * a Deployment's pod asking for Python instrumentation, mutated and answered as a JSON Patch; and
 * the review of an AlertPolicy with 50 rules (the PromQL of each parsed and checked), validated.
 * Sampled one call at a time: JMH adds the percentiles (p0.50, p0.99, ...) to the table.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class AdmissionBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Admission admission;
  private JsonNode podReview;
  private JsonNode policyReview;

  @Setup
  public void setUp() throws Exception {
    InstrumentationSpec spec =
        JSON.readValue(
            "{\"endpoint\": \"http://collector.shop.svc:4318\", \"protocol\": \"http/protobuf\","
                + " \"propagators\": [\"tracecontext\", \"baggage\"],"
                + " \"sampler\": {\"type\": \"parentbased_traceidratio\", \"argument\": \"0.25\"}}",
            InstrumentationSpec.class);
    ResolvedInstrumentation shop =
        new ResolvedInstrumentation(
            "shop",
            "shop",
            spec,
            new OtlpEndpoints(null, "http://collector.shop.svc:4318", false),
            List.of());
    PodInjector injector = new PodInjector((namespace, reference) -> Resolution.of(shop));
    admission =
        new Admission(
            new PromQLExpressionCheck(),
            (pod, namespace) -> {
              InjectionResult result = injector.inject(pod, namespace, Map.of());
              return new Admission.PodMutator.Mutation(result.pod(), result.warnings());
            });
    podReview =
        JSON.readTree(
            """
            {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
             "request": {"uid": "u", "kind": {"group": "", "version": "v1", "kind": "Pod"},
              "namespace": "shop", "operation": "CREATE",
              "object": {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"generateName": "checkout-7d9f8-", "namespace": "shop",
                "labels": {"app": "checkout", "pod-template-hash": "7d9f8"},
                "annotations": {"instrumentation.vigil.dev/inject-python": "true"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                 "name": "checkout-7d9f8", "uid": "r", "controller": true}]},
               "spec": {"containers": [{"name": "app", "image": "shop/checkout:1.4.2",
                "env": [{"name": "LOG_LEVEL", "value": "info"}],
                "ports": [{"containerPort": 8080}]}]}}}}
            """);
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      if (i > 0) {
        rules.append(',');
      }
      String expr = PromQLBenchmark.TYPICAL_RULES.get(i % PromQLBenchmark.TYPICAL_RULES.size());
      rules
          .append("{\"alert\": \"Rule")
          .append(i)
          .append("\", \"expr\": ")
          .append(JSON.writeValueAsString(expr))
          .append(", \"for\": \"5m\"}");
    }
    policyReview =
        JSON.readTree(
            """
            {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
             "request": {"uid": "u", "kind": {"group": "monitoring.vigil.dev", "version": "v1alpha1",
              "kind": "AlertPolicy"}, "namespace": "shop", "name": "checkout", "operation": "CREATE",
              "object": {"apiVersion": "monitoring.vigil.dev/v1alpha1", "kind": "AlertPolicy",
               "metadata": {"name": "checkout", "namespace": "shop"},
               "spec": {"groups": [{"name": "checkout", "rules": [%s]}]}}}}
            """
                .formatted(rules));
    if (!admission.mutatePod(podReview).path("response").has("patch")) {
      throw new IllegalStateException(
          "the pod was not mutated: the benchmark would measure nothing");
    }
    if (!admission.validate(policyReview).path("response").path("allowed").asBoolean()) {
      throw new IllegalStateException(
          "the policy was refused: " + admission.validate(policyReview));
    }
  }

  @Benchmark
  @PerformanceTarget("p99 < 10,000 µs")
  public JsonNode mutateOnePod() {
    return admission.mutatePod(podReview);
  }

  @Benchmark
  @PerformanceTarget("p99 < 10,000 µs")
  public JsonNode validateAnAlertPolicyOf50Rules() {
    return admission.validate(policyReview);
  }
}
