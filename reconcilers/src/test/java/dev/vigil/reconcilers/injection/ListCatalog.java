package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import java.util.List;
import java.util.Optional;

/** A catalog over lists, as a test gives them. */
record ListCatalog(List<Instrumentation> all, List<TracingPipeline> pipelines)
    implements InstrumentationCatalog {
  @Override
  public List<Instrumentation> instrumentations(String namespace) {
    return all.stream().filter(i -> i.getMetadata().getNamespace().equals(namespace)).toList();
  }

  @Override
  public Optional<Instrumentation> instrumentation(String namespace, String name) {
    return all.stream()
        .filter(
            i ->
                i.getMetadata().getNamespace().equals(namespace)
                    && i.getMetadata().getName().equals(name))
        .findFirst();
  }

  @Override
  public Optional<TracingPipeline> tracingPipeline(String namespace, String name) {
    return pipelines.stream()
        .filter(
            p ->
                p.getMetadata().getNamespace().equals(namespace)
                    && p.getMetadata().getName().equals(name))
        .findFirst();
  }
}
