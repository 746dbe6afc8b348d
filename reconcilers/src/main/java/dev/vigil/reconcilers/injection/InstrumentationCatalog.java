package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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

  /**
   * The OpenTelemetry operator's {@code opentelemetry.io/v1alpha1} Instrumentations of a namespace
   * (none where its CRD is absent or the compatibility flag is off).
   */
  default List<GenericKubernetesResource> openTelemetryInstrumentations(String namespace) {
    return List.of();
  }

  /** One of the OpenTelemetry operator's Instrumentations, or empty. */
  default Optional<GenericKubernetesResource> openTelemetryInstrumentation(
      String namespace, String name) {
    return Optional.empty();
  }
}
