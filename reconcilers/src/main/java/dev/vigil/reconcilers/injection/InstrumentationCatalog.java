package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import java.util.List;
import java.util.Optional;

/**
 * The Instrumentations and TracingPipelines a lookup reads, as the caller's caches hold them (the
 * operator: informers; tests: lists). Objects returned are never modified.
 */
public interface InstrumentationCatalog {
  /** The Instrumentations of a namespace, in any order. */
  List<Instrumentation> instrumentations(String namespace);

  /** One Instrumentation, or empty. */
  Optional<Instrumentation> instrumentation(String namespace, String name);

  /** One TracingPipeline, or empty. */
  Optional<TracingPipeline> tracingPipeline(String namespace, String name);
}
