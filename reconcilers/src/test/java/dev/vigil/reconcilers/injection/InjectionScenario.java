package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.ScenarioFile;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One golden scenario of the pod injector: a YAML file under {@code src/test/resources/injection/}
 * holding the Pod as the API server sends it (the first document), the Instrumentations and
 * TracingPipelines that exist, and one {@code kind: Render} document:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * include: [src/test/resources/injection/shared/objects.yaml]  # relative to reconcilers/
 * namespace: shop                     # the pod's namespace (default: shop)
 * namespaceAnnotations: {...}         # its namespace's annotations
 * openTelemetryAnnotations: true      # the compatibility flag (default: false)
 * warnings: [...]                     # expected admission warnings, in order
 * instrumentedBy: shop/shop           # expected, or absent
 * </pre>
 *
 * The golden file {@code src/test/resources/golden/injection/<scenario>.yaml} holds the Pod as
 * admitted.
 */
record InjectionScenario(
    String name,
    Pod pod,
    String namespace,
    Map<String, String> namespaceAnnotations,
    boolean openTelemetryAnnotations,
    List<String> warnings,
    String instrumentedBy,
    InstrumentationCatalog catalog) {
  static final Path FIXTURES = Path.of("src/test/resources/injection");

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      List<String> include,
      String namespace,
      Map<String, String> namespaceAnnotations,
      Boolean openTelemetryAnnotations,
      List<String> warnings,
      String instrumentedBy)
      implements ScenarioFile.Render {}

  static List<String> names() throws IOException {
    return ScenarioFile.names(FIXTURES);
  }

  static InjectionScenario load(String name) {
    ScenarioFile<Render> file =
        ScenarioFile.load(
            FIXTURES, name, Render.class, Pod.class, Instrumentation.class, TracingPipeline.class);
    List<Pod> pods = file.all(Pod.class);
    if (pods.size() != 1) {
      throw new IllegalArgumentException(name + ": one Pod expected, found " + pods.size());
    }
    Render render = file.render();
    return new InjectionScenario(
        name,
        pods.get(0),
        Objects.requireNonNullElse(render.namespace(), "shop"),
        Objects.requireNonNullElse(render.namespaceAnnotations(), Map.of()),
        Boolean.TRUE.equals(render.openTelemetryAnnotations()),
        Objects.requireNonNullElse(render.warnings(), List.of()),
        render.instrumentedBy(),
        new ListCatalog(file.all(Instrumentation.class), file.all(TracingPipeline.class)));
  }

  PodInjector injector() {
    return new PodInjector(new CatalogLookup(catalog), openTelemetryAnnotations);
  }
}
