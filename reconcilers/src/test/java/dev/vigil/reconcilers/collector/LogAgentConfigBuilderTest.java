package dev.vigil.reconcilers.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the goldens do not show: the bounds on what an agent is asked to match. */
class LogAgentConfigBuilderTest {
  static LogPipeline pipeline(String containers) {
    return new KubernetesSerialization()
        .unmarshal(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: LogPipeline
            metadata: {name: logs, namespace: platform}
            spec:
              select:
                namespaces: {selector: {matchLabels: {logs: "on"}}}
                containers: %s
              backends: {debug: {}}
            """
                .formatted(containers),
            LogPipeline.class);
  }

  static LogAgentInputs inputs(int namespaces) {
    SortedSet<String> names = new TreeSet<>();
    IntStream.range(0, namespaces).forEach(i -> names.add("team-" + i));
    return new LogAgentInputs(names, null, "vigil-system", "vigil-logs-x", null, null, true);
  }

  @Test
  void fewNamespacesAndContainersAreOneGlobEach() {
    var result = LogAgentConfigBuilder.build(pipeline("[app, worker]"), inputs(3));
    assertThat(result.config().receivers().fileLog().include())
        .hasSize(6)
        .contains("/var/log/pods/team-0_*_*/app/*.log", "/var/log/pods/team-2_*_*/worker/*.log");
    assertThat(result.config().processors().filter()).isNull();
  }

  @Test
  void manyNamespacesTimesContainersTurnTheContainersIntoAFilter() {
    var result = LogAgentConfigBuilder.build(pipeline("[app, worker]"), inputs(600));
    assertThat(result.config().receivers().fileLog().include())
        .hasSize(600)
        .allMatch(glob -> glob.endsWith("_*_*/*/*.log"));
    assertThat(result.config().processors().filter().logs().logRecord())
        .containsExactly(
            "not (resource.attributes[\"k8s.container.name\"] == \"app\""
                + " or resource.attributes[\"k8s.container.name\"] == \"worker\")");
    assertThat(result.config().service().pipelines().logs().processors()).contains("filter");
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void tooManyNamespacesByNameDeployNothingAndSayWhatToDo() {
    var result = LogAgentConfigBuilder.build(pipeline("[]"), inputs(5001));
    assertThat(result.config()).isNull();
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.describe())
                    .contains("selects 5001 namespaces")
                    .contains("any: true")
                    .contains("nothing is deployed"));
  }

  @Test
  void noNamespaceSelectedDeploysNothingAndSaysSo() {
    var result = LogAgentConfigBuilder.build(pipeline("[]"), inputs(0));
    assertThat(result.config()).isNull();
    assertThat(result.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.describe()).contains("selects no namespace now"));
  }

  @Test
  void backendNamesInTheStatus() {
    assertThat(
            List.of(
                    "otlp_http/victoria_logs",
                    "otlp_grpc/central",
                    "otlp_http/vendor",
                    "otlp_http/datadog_intake",
                    "debug")
                .stream()
                .map(LogAgentConfigBuilder::backendName))
        .containsExactly("victoriaLogs", "otlp/central", "otlp/vendor", "datadog", "debug");
  }
}
