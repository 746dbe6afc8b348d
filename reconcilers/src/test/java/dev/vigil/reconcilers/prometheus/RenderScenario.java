package dev.vigil.reconcilers.prometheus;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.ScenarioFile;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One golden scenario of {@link PrometheusConfigRenderer}: a YAML file under {@code
 * src/test/resources/prometheus-config/} holding, as separate documents, one MonitoringStack, any
 * ServiceMonitors and PodMonitors (in any order), Secrets and ConfigMaps whose values the builder
 * may read, and one {@code kind: Render} document with the other inputs and what the build must
 * report besides the file:
 *
 * <pre>
 * apiVersion: test.vigil.dev/v1
 * kind: Render
 * shard: 0                      # default 0
 * include: [../crds/src/test/resources/compat/kubelet-servicemonitor.yaml]   # more documents
 * ruleFiles: [...]              # PrometheusConfigInputs
 * alertmanagers: [...]
 * sdBaseUrl: ...               # default http://vigil-operator.vigil-system.svc:8080
 * sdCaFile: ...
 * mountedKeys: [...]            # expected MountedKey paths, in order
 * problems: [...]               # expected "Kind namespace/name: message", in order
 * </pre>
 *
 * Paths in {@code include} are relative to the reconcilers module, so real-world shapes kept
 * elsewhere in the repository are used as they are. {@link ScenarioFile} reads the file.
 */
record RenderScenario(
    String name,
    MonitoringStack stack,
    List<ServiceMonitor> serviceMonitors,
    List<PodMonitor> podMonitors,
    PrometheusConfigInputs inputs,
    int shard,
    List<String> mountedKeys,
    List<String> problems) {
  static final Path FIXTURES = Path.of("src/test/resources/prometheus-config");
  static final String SD_BASE_URL = "http://vigil-operator.vigil-system.svc:8080";
  static final String SD_TOKEN_FILE = "/var/run/secrets/vigil.dev/sd/token";

  /** The {@code kind: Render} document. */
  record Render(
      String apiVersion,
      String kind,
      Integer shard,
      List<String> include,
      List<String> ruleFiles,
      List<String> alertmanagers,
      String sdBaseUrl,
      String sdCaFile,
      List<String> mountedKeys,
      List<String> problems)
      implements ScenarioFile.Render {}

  /** Scenario names: the fixture files, sorted. */
  static Stream<String> names() throws IOException {
    return ScenarioFile.names(FIXTURES).stream();
  }

  static RenderScenario load(String name) {
    ScenarioFile<Render> file =
        ScenarioFile.load(
            FIXTURES,
            name,
            Render.class,
            MonitoringStack.class,
            ServiceMonitor.class,
            PodMonitor.class,
            Secret.class,
            ConfigMap.class);
    Render render = file.render();
    Map<MountedKey, String> values = new TreeMap<>();
    file.all(Secret.class).forEach(secret -> values.putAll(ScenarioFile.values(secret)));
    file.all(ConfigMap.class).forEach(configMap -> values.putAll(ScenarioFile.values(configMap)));
    PrometheusConfigInputs inputs =
        new PrometheusConfigInputs(
            render.sdBaseUrl() == null ? SD_BASE_URL : render.sdBaseUrl(),
            SD_TOKEN_FILE,
            render.sdCaFile(),
            render.ruleFiles(),
            render.alertmanagers(),
            key -> Optional.ofNullable(values.get(key)),
            null,
            null);
    return new RenderScenario(
        name,
        file.only(MonitoringStack.class),
        file.all(ServiceMonitor.class),
        file.all(PodMonitor.class),
        inputs,
        render.shard() == null ? 0 : render.shard(),
        render.mountedKeys() == null ? List.of() : render.mountedKeys(),
        render.problems() == null ? List.of() : render.problems());
  }

  BuiltConfig<PrometheusConfig> build() {
    return PrometheusConfigBuilder.build(stack, shard, serviceMonitors, podMonitors, inputs);
  }
}
