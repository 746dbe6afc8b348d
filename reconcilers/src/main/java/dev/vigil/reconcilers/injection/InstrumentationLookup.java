package dev.vigil.reconcilers.injection;

/**
 * Finds the Instrumentation an annotation names, from caches: the webhook asks once per pod, so an
 * implementation makes no API call.
 */
public interface InstrumentationLookup {
  /**
   * The Instrumentation {@code reference} names, with its resolved endpoints.
   *
   * @param podNamespace the namespace of the pod being admitted
   * @param reference the annotation's value: {@code true} (the only Instrumentation in the pod's
   *     namespace), {@code <name>} (in the pod's namespace) or {@code <namespace>/<name>}
   */
  Resolution find(String podNamespace, String reference);

  /**
   * As {@link #find(String, String)}, for a value of the OpenTelemetry operator's annotation when
   * {@code openTelemetryAnnotation}: then the OpenTelemetry operator's Instrumentations count too.
   */
  default Resolution find(String podNamespace, String reference, boolean openTelemetryAnnotation) {
    return find(podNamespace, reference);
  }
}
