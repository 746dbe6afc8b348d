package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.reconcilers.ScenarioFile;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One golden scenario of the log agents' configuration: a YAML file under {@code
 * src/test/resources/log-agent-config/} holding the LogPipeline, the Secrets whose keys exist, and
 * one {@code kind: Render} document with what the caller resolved and what the build must report:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * include: [../manifests/examples/logpipeline.yaml]
 * namespaces: [shop]        # resolved namespaces; absent: every namespace
 * excludedNamespaces: [...] # with every namespace
 * victoriaLogs: true        # Vigil runs a VictoriaLogs for the pipeline
 * tenant: true              # the pipeline is in a tenant's namespace
 * mountedKeys, env, problems  as in CollectorScenario
 * </pre>
 */
public record LogAgentScenario(
    String name,
    LogPipeline pipeline,
    LogAgentInputs inputs,
    List<String> mountedKeys,
    List<String> env,
    List<String> problems) {
  public static final Path FIXTURES = Path.of("src/test/resources/log-agent-config");
  public static final Path GOLDEN = Path.of("src/test/resources/golden/log-agent-config");

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      List<String> include,
      List<String> namespaces,
      List<String> excludedNamespaces,
      Boolean victoriaLogs,
      Boolean tenant,
      List<String> mountedKeys,
      List<String> env,
      List<String> problems)
      implements ScenarioFile.Render {}

  static List<String> names() throws IOException {
    return ScenarioFile.names(FIXTURES);
  }

  public static LogAgentScenario load(String name) {
    ScenarioFile<Render> file =
        ScenarioFile.load(FIXTURES, name, Render.class, LogPipeline.class, Secret.class);
    LogPipeline pipeline = file.only(LogPipeline.class);
    Set<MountedKey> keys = new TreeSet<>();
    file.all(Secret.class).forEach(secret -> keys.addAll(ScenarioFile.keys(secret)));
    Render render = file.render();
    String namespace = pipeline.getMetadata().getNamespace();
    String pipelineName = pipeline.getMetadata().getName();
    LogAgentInputs inputs =
        new LogAgentInputs(
            render.namespaces() == null ? null : new TreeSet<>(render.namespaces()),
            render.excludedNamespaces() == null ? null : new TreeSet<>(render.excludedNamespaces()),
            "vigil-system",
            "vigil-logs-" + namespace + "-" + pipelineName,
            Boolean.TRUE.equals(render.victoriaLogs())
                ? "http://" + pipelineName + "-victorialogs." + namespace + ".svc:9428"
                : null,
            keys::contains,
            !Boolean.TRUE.equals(render.tenant()));
    return new LogAgentScenario(
        name,
        pipeline,
        inputs,
        orEmpty(render.mountedKeys()),
        orEmpty(render.env()),
        orEmpty(render.problems()));
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }
}
