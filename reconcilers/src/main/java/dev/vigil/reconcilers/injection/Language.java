package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.LanguageSpec;
import java.util.List;
import java.util.function.Function;

/**
 * The languages Vigil instruments, each with the OpenTelemetry operator's auto-instrumentation
 * image at a pinned version, where its payload lies in the image, where it is mounted in the
 * application's container, and the variable that loads it. docs/instrumentation.md lists what each
 * image carries. Go is not offered: its instrumentation is an eBPF sidecar that needs a privileged
 * container, root and the application's process namespace.
 */
public enum Language {
  JAVA(
      "java",
      "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.30.0",
      spec -> spec.java),
  PYTHON(
      "python",
      "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-python:0.64b0",
      spec -> spec.python),
  NODEJS(
      "nodejs",
      "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-nodejs:0.78.0",
      spec -> spec.nodejs),
  DOTNET(
      "dotnet",
      "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-dotnet:1.16.0",
      spec -> spec.dotnet);

  private final String id;
  private final String defaultImage;
  private final Function<InstrumentationSpec, LanguageSpec> spec;

  Language(String id, String defaultImage, Function<InstrumentationSpec, LanguageSpec> spec) {
    this.id = id;
    this.defaultImage = defaultImage;
    this.spec = spec;
  }

  /** As the annotations spell it: {@code java}, {@code python}, {@code nodejs}, {@code dotnet}. */
  public String id() {
    return id;
  }

  /** The image used when the Instrumentation names none. */
  public String defaultImage() {
    return defaultImage;
  }

  /** The Instrumentation's block for this language, or null. */
  public LanguageSpec spec(InstrumentationSpec instrumentation) {
    return spec.apply(instrumentation);
  }

  /** Where the payload is mounted in the instrumented containers (and the init container). */
  public String mountPath() {
    return "/otel-auto-instrumentation-" + id;
  }

  /** The init container's name. */
  public String initContainerName() {
    return InjectionAnnotations.INIT_CONTAINER_PREFIX + id;
  }

  /** The shared volume's name. */
  public String volumeName() {
    return InjectionAnnotations.INIT_CONTAINER_PREFIX + id;
  }

  /** What the init container runs: copy the payload from the image into the shared volume. */
  public List<String> copyCommand(boolean musl) {
    return switch (this) {
      case JAVA -> List.of("cp", "/javaagent.jar", mountPath() + "/javaagent.jar");
      case PYTHON ->
          List.of(
              "cp",
              "-r",
              musl ? "/autoinstrumentation-musl/." : "/autoinstrumentation/.",
              mountPath());
      case NODEJS, DOTNET -> List.of("cp", "-r", "/autoinstrumentation/.", mountPath());
    };
  }

  /** The language from its annotation spelling, or null. */
  public static Language of(String id) {
    for (Language language : values()) {
      if (language.id.equals(id)) {
        return language;
      }
    }
    return null;
  }
}
