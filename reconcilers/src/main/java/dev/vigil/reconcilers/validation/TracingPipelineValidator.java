package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.tracingpipeline.GatewayReference;
import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a TracingPipeline's schema cannot check, for its reconciler and an admission webhook. */
public final class TracingPipelineValidator implements Validator<TracingPipeline> {
  @Override
  public List<Problem> problems(TracingPipeline pipeline) {
    List<String> problems = new ArrayList<>();
    GatewayReference gateway =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.gateway;
    if (gateway != null) {
      String namespace =
          Objects.requireNonNullElse(gateway.namespace, pipeline.getMetadata().getNamespace());
      if (Objects.equals(gateway.name, pipeline.getMetadata().getName())
          && namespace.equals(pipeline.getMetadata().getNamespace())) {
        problems.add(
            "spec.exporters.gateway names this pipeline itself: name another TracingPipeline in"
                + " gateway mode");
      }
    }
    problems.addAll(Quantities.problems("spec.resources", pipeline.getSpec().resources));
    JaegerBackendSpec jaeger =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.jaeger;
    if (jaeger != null) {
      problems.addAll(Quantities.problems("spec.exporters.jaeger.size", jaeger.size));
      problems.addAll(Quantities.problems("spec.exporters.jaeger.resources", jaeger.resources));
    }
    return Problem.of(problems);
  }
}
