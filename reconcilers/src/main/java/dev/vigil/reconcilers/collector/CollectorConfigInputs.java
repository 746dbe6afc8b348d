package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.references.MountedKey;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What {@link CollectorConfigBuilder} needs besides the pipeline.
 *
 * @param keyExists whether a Secret key the configuration reads (a header value, TLS material)
 *     exists; an exporter referencing a missing key is left out and reported, since the pod could
 *     not start with it. Null: every key exists
 * @param pipelines finds the TracingPipeline that {@code spec.exporters.gateway} names; must be a
 *     pure lookup, e.g. over an informer cache. Null: no other pipeline exists
 */
public record CollectorConfigInputs(Predicate<MountedKey> keyExists, PipelineLookup pipelines) {
  public CollectorConfigInputs {
    keyExists = keyExists == null ? key -> true : keyExists;
    pipelines = pipelines == null ? (namespace, name) -> Optional.empty() : pipelines;
  }

  /** Inputs in which every key exists and no other pipeline does. */
  public static CollectorConfigInputs of() {
    return new CollectorConfigInputs(null, null);
  }

  /** Reads a TracingPipeline; empty when there is none of that name. */
  @FunctionalInterface
  public interface PipelineLookup {
    Optional<TracingPipeline> find(String namespace, String name);
  }
}
