package dev.vigil.reconcilers.alertmanager;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.ScenarioFile;
import dev.vigil.reconcilers.config.BuiltConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One golden scenario of {@link AlertmanagerConfigRenderer}: a YAML file under {@code
 * src/test/resources/alertmanager-config/} holding, as separate documents, one MonitoringStack, any
 * AlertPolicies (in any order), and one {@code kind: Render} document with the other inputs and
 * what the build must report besides the file:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * include: [../manifests/examples/alertpolicy.yaml]   # more documents, paths from reconcilers/
 * missingKeys: [shop/slack/url]  # Secret keys (namespace/name/key) that do not exist; others do
 * mountedKeys: [...]             # expected mounted file paths, in order
 * problems: [...]                # expected "Kind namespace/name: message", in order
 * </pre>
 *
 * {@link ScenarioFile} reads the file.
 */
record AlertmanagerScenario(
    String name,
    MonitoringStack stack,
    List<AlertPolicy> policies,
    AlertmanagerConfigInputs inputs,
    List<String> mountedKeys,
    List<String> problems) {
  static final Path FIXTURES = Path.of("src/test/resources/alertmanager-config");

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      List<String> include,
      List<String> missingKeys,
      List<String> mountedKeys,
      List<String> problems)
      implements ScenarioFile.Render {}

  /** Scenario names: the fixture files, sorted. */
  static Stream<String> names() throws IOException {
    return ScenarioFile.names(FIXTURES).stream();
  }

  static AlertmanagerScenario load(String name) {
    ScenarioFile<Render> file =
        ScenarioFile.load(FIXTURES, name, Render.class, MonitoringStack.class, AlertPolicy.class);
    Render render = file.render();
    Set<String> missing =
        Set.copyOf(render.missingKeys() == null ? List.of() : render.missingKeys());
    return new AlertmanagerScenario(
        name,
        file.only(MonitoringStack.class),
        file.all(AlertPolicy.class),
        new AlertmanagerConfigInputs(key -> !missing.contains(key.relativePath())),
        render.mountedKeys() == null ? List.of() : render.mountedKeys(),
        render.problems() == null ? List.of() : render.problems());
  }

  BuiltConfig<AlertmanagerConfig> build() {
    return AlertmanagerConfigBuilder.build(stack, policies, inputs);
  }
}
