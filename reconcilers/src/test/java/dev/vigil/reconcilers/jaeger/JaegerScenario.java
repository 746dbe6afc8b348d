package dev.vigil.reconcilers.jaeger;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.ScenarioFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One golden scenario of the Jaeger renderer: a YAML file under {@code
 * src/test/resources/jaeger-config/} holding, as separate documents, the TracingPipeline whose
 * backend to render and one {@code kind: Render} document with what the build must report besides
 * the file:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * problems: [...]        # expected "field: message", in order
 * persistent: true       # badger on a volume
 * stacks:                # MonitoringStacks' query URLs, by namespace/name
 *   monitoring/main: http://main-thanos-query.monitoring.svc:10902
 * tenant: true           # the pipeline is in a tenant's namespace
 * </pre>
 *
 * {@link ScenarioFile} reads the file.
 */
record JaegerScenario(
    String name,
    TracingPipeline pipeline,
    JaegerConfigInputs inputs,
    List<String> problems,
    boolean persistent) {
  static final Path FIXTURES = Path.of("src/test/resources/jaeger-config");

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      List<String> include,
      List<String> problems,
      Boolean persistent,
      Map<String, String> stacks,
      Boolean tenant)
      implements ScenarioFile.Render {}

  /** Scenario names: the fixture files, sorted. */
  static List<String> names() throws IOException {
    return ScenarioFile.names(FIXTURES);
  }

  static JaegerScenario load(String name) {
    ScenarioFile<Render> file =
        ScenarioFile.load(FIXTURES, name, Render.class, TracingPipeline.class);
    List<TracingPipeline> pipelines = file.all(TracingPipeline.class);
    if (pipelines.isEmpty()) {
      throw new IllegalArgumentException(name + ": no TracingPipeline");
    }
    Render render = file.render();
    Map<String, String> stacks = render.stacks() == null ? Map.of() : render.stacks();
    return new JaegerScenario(
        name,
        pipelines.get(0),
        new JaegerConfigInputs(
            (namespace, stack) -> Optional.ofNullable(stacks.get(namespace + "/" + stack)),
            !Boolean.TRUE.equals(render.tenant())),
        render.problems() == null ? List.of() : render.problems(),
        Boolean.TRUE.equals(render.persistent()));
  }
}
