package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import java.util.List;

/**
 * An Instrumentation a pod's annotation named, with where its spans go.
 *
 * @param namespace the Instrumentation's namespace
 * @param name its name
 * @param spec its spec, read only
 * @param endpoints the URLs per transport
 * @param notes what the pod's admission should warn of though injection goes ahead, e.g. a
 *     TracingPipeline that does not exist yet
 */
public record ResolvedInstrumentation(
    String namespace,
    String name,
    InstrumentationSpec spec,
    OtlpEndpoints endpoints,
    List<String> notes) {
  public ResolvedInstrumentation {
    notes = List.copyOf(notes);
  }

  /** {@code <namespace>/<name>}. */
  public String key() {
    return namespace + "/" + name;
  }
}
