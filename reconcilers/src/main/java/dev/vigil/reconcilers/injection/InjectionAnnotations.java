package dev.vigil.reconcilers.injection;

/** The annotations and labels auto-instrumentation reads and writes, in one place. */
public final class InjectionAnnotations {
  /** Vigil's prefix: {@code instrumentation.vigil.dev/inject-<language>} and the rest. */
  public static final String PREFIX = "instrumentation.vigil.dev/";

  /** The OpenTelemetry operator's prefix, honoured behind the compatibility flag. */
  public static final String OPENTELEMETRY_PREFIX = "instrumentation.opentelemetry.io/";

  /** {@code inject-<language>}: "true", "false", "<name>" or "<namespace>/<name>". */
  public static final String INJECT = "inject-";

  /** Comma-separated names of the containers to instrument; default the first container. */
  public static final String CONTAINER_NAMES = "container-names";

  /** {@code musl} for images built on musl libc (Alpine): Python and .NET take other payloads. */
  public static final String LIBC = PREFIX + "libc";

  /** The OpenTelemetry operator's Python platform annotation ({@code glibc} or {@code musl}). */
  public static final String OPENTELEMETRY_PYTHON_PLATFORM =
      OPENTELEMETRY_PREFIX + "otel-python-platform";

  /** The OpenTelemetry operator's .NET runtime annotation ({@code linux-musl-x64} for musl). */
  public static final String OPENTELEMETRY_DOTNET_RUNTIME =
      OPENTELEMETRY_PREFIX + "otel-dotnet-auto-runtime";

  /** Set on a pod Vigil instrumented: the language injected. Marks the pod as done. */
  public static final String INJECTED = PREFIX + "injected";

  /** Set on a pod Vigil instrumented: {@code <namespace>/<name>} of its Instrumentation. */
  public static final String INSTRUMENTED_BY = PREFIX + "instrumented-by";

  /**
   * Label on a pod Vigil instrumented: the Instrumentation's name (when it is a valid label value),
   * so {@code kubectl get pods -l instrumentation.vigil.dev/instrumentation=<name>} lists them.
   */
  public static final String INSTRUMENTATION_LABEL = PREFIX + "instrumentation";

  /** Names of the init containers Vigil adds start with this. */
  public static final String INIT_CONTAINER_PREFIX = "vigil-instrumentation-";

  /** Names of the init containers the OpenTelemetry operator adds start with this. */
  public static final String OPENTELEMETRY_INIT_CONTAINER_PREFIX =
      "opentelemetry-auto-instrumentation";

  private InjectionAnnotations() {}
}
