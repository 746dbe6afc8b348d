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
 * @param jaegerBackend {@code host:port} of the OTLP gRPC receiver of the Jaeger backend Vigil runs
 *     for this pipeline, which the collectors then export to (without TLS: it is inside the
 *     cluster). The caller that runs the backend knows where it listens. Null: no backend
 * @param clusterWide whether the collectors may read the whole cluster (a pipeline in a platform
 *     namespace); otherwise {@code k8s_attributes} watches the pipeline's namespace only, and
 *     metadata that needs cluster-scoped objects is left out (docs/tenancy.md)
 */
public record CollectorConfigInputs(
    Predicate<MountedKey> keyExists,
    PipelineLookup pipelines,
    String jaegerBackend,
    boolean clusterWide) {
  public CollectorConfigInputs {
    keyExists = keyExists == null ? key -> true : keyExists;
    pipelines = pipelines == null ? (namespace, name) -> Optional.empty() : pipelines;
  }

  /** Inputs for a pipeline in a platform namespace. */
  public CollectorConfigInputs(
      Predicate<MountedKey> keyExists, PipelineLookup pipelines, String jaegerBackend) {
    this(keyExists, pipelines, jaegerBackend, true);
  }

  /** Inputs in which every key exists, no other pipeline does, and no Jaeger backend runs. */
  public static CollectorConfigInputs of() {
    return new CollectorConfigInputs(null, null, null);
  }

  /** Reads a TracingPipeline; empty when there is none of that name. */
  @FunctionalInterface
  public interface PipelineLookup {
    Optional<TracingPipeline> find(String namespace, String name);
  }
}
