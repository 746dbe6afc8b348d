package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.prometheus.PrometheusConfig.ScrapeConfig;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobRelabelingsTest {
  static java.util.stream.Stream<String> scenarios() throws java.io.IOException {
    return RenderScenario.names();
  }

  /**
   * What the operator computes per monitor and per stack, without reading a Secret, is what the
   * rendered configuration says for every job it has.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void eachJobsRelabelingIsTheRenderedJobs(String name) {
    RenderScenario scenario = RenderScenario.load(name);
    PrometheusConfig config = scenario.build().config();
    Map<String, TargetRelabeling> operator =
        new HashMap<>(JobRelabelings.forStack(scenario.stack()));
    for (HasMetadata monitor :
        java.util.stream.Stream.concat(
                scenario.serviceMonitors().stream(), scenario.podMonitors().stream())
            .toList()) {
      operator.putAll(JobRelabelings.forMonitor(scenario.stack(), monitor));
    }
    for (ScrapeConfig job : config.scrapeConfigs()) {
      assertThat(operator.get(job.jobName()))
          .as(job.jobName())
          .isEqualTo(JobRelabelings.of(config.global(), job));
    }
  }
}
