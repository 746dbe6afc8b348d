package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.ScenarioFile;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One golden scenario of the collector renderer: a YAML file under {@code
 * src/test/resources/collector-config/} holding, as separate documents, the TracingPipeline to
 * render (the first one), other TracingPipelines that {@code exporters.gateway} may name, the
 * Secrets whose keys exist (a reference to any other key is missing), and one {@code kind: Render}
 * document with what the build must report besides the file:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * include: [../manifests/examples/tracingpipeline.yaml]  # more documents, relative to reconcilers/
 * mountedKeys: [...]     # expected mounted file paths, in order
 * env: [...]             # expected variables: NAME=secret:name/key or NAME=field:path, in order
 * problems: [...]        # expected "field: message", in order
 * </pre>
 *
 * {@link ScenarioFile} reads the file.
 */
public record CollectorScenario(
    String name,
    TracingPipeline pipeline,
    List<TracingPipeline> others,
    CollectorConfigInputs inputs,
    List<String> mountedKeys,
    List<String> env,
    List<String> problems) {
  public static final Path FIXTURES = Path.of("src/test/resources/collector-config");

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      List<String> include,
      List<String> mountedKeys,
      List<String> env,
      List<String> problems,
      Boolean tenant)
      implements ScenarioFile.Render {}

  /** Scenario names: the fixture files, sorted. */
  static List<String> names() throws IOException {
    return ScenarioFile.names(FIXTURES);
  }

  public static CollectorScenario load(String name) {
    ScenarioFile<Render> file =
        ScenarioFile.load(FIXTURES, name, Render.class, TracingPipeline.class, Secret.class);
    List<TracingPipeline> pipelines = file.all(TracingPipeline.class);
    if (pipelines.isEmpty()) {
      throw new IllegalArgumentException(name + ": no TracingPipeline");
    }
    Set<MountedKey> keys = new TreeSet<>();
    file.all(Secret.class).forEach(secret -> keys.addAll(ScenarioFile.keys(secret)));
    List<TracingPipeline> others = pipelines.subList(1, pipelines.size());
    Render render = file.render();
    CollectorConfigInputs inputs =
        new CollectorConfigInputs(
            keys::contains,
            (namespace, pipelineName) ->
                others.stream()
                    .filter(
                        p ->
                            p.getMetadata().getNamespace().equals(namespace)
                                && p.getMetadata().getName().equals(pipelineName))
                    .findFirst()
                    .or(Optional::empty),
            jaegerBackend(pipelines.get(0)),
            !Boolean.TRUE.equals(render.tenant()));
    return new CollectorScenario(
        name,
        pipelines.get(0),
        others,
        inputs,
        orEmpty(render.mountedKeys()),
        orEmpty(render.env()),
        orEmpty(render.problems()));
  }

  /**
   * Where the collectors of a pipeline that runs a Jaeger backend send spans, as its reconciler
   * says ({@code JaegerNames.collectorEndpoint}, in a package above this one): the OTLP gRPC port
   * of the backend's Service {@code <pipeline>-jaeger}. Null without a backend.
   */
  static String jaegerBackend(TracingPipeline pipeline) {
    JaegerBackendSpec jaeger =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.jaeger;
    if (jaeger == null || Boolean.FALSE.equals(jaeger.enabled)) {
      return null;
    }
    return pipeline.getMetadata().getName()
        + "-jaeger."
        + pipeline.getMetadata().getNamespace()
        + ".svc:4317";
  }

  /** {@code NAME=secret:name/key} or {@code NAME=field:path}. */
  static String describe(EnvVar env) {
    if (env.getValueFrom().getSecretKeyRef() != null) {
      return env.getName()
          + "=secret:"
          + env.getValueFrom().getSecretKeyRef().getName()
          + "/"
          + env.getValueFrom().getSecretKeyRef().getKey();
    }
    return env.getName() + "=field:" + env.getValueFrom().getFieldRef().getFieldPath();
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }
}
