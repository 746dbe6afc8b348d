package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Consumer;

/**
 * How many pods carry an Instrumentation, from the operator's one Pod cache (pods Vigil injected
 * carry {@link InjectionAnnotations#INSTRUMENTED_BY}): kept as the watch delivers pods, so reading
 * it costs a map lookup.
 */
public interface InstrumentedPods {
  /** Pods in the watched namespaces injected with this Instrumentation. */
  int count(Instrumentation instrumentation);

  /**
   * Registers a listener, told of each Instrumentation whose count changed since its reconcile last
   * read it, so its status follows.
   */
  void onChange(Consumer<HasMetadata> listener);
}
