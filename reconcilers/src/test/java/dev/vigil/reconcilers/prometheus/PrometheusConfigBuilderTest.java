package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Global;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the golden files cannot show: determinism, order independence, quoting, encoding. */
class PrometheusConfigBuilderTest {
  /** The scenario with the most monitors of both kinds. */
  static final String SORTED = "two-monitors-sorted";

  @Test
  void sameInputGivesTheSameBytes() {
    RenderScenario first = RenderScenario.load(SORTED);
    RenderScenario second = RenderScenario.load(SORTED);
    byte[] once = PrometheusConfigRenderer.render(first.build().config());
    byte[] again = PrometheusConfigRenderer.render(first.build().config());
    byte[] fromFreshObjects = PrometheusConfigRenderer.render(second.build().config());
    assertThat(again).isEqualTo(once);
    assertThat(fromFreshObjects).isEqualTo(once);
  }

  @Test
  void theOrderOfTheMonitorsDoesNotMatter() {
    RenderScenario scenario = RenderScenario.load(SORTED);
    assertThat(scenario.serviceMonitors()).hasSizeGreaterThan(2);
    assertThat(scenario.podMonitors()).hasSizeGreaterThan(1);
    byte[] expected = PrometheusConfigRenderer.render(scenario.build().config());

    List<ServiceMonitor> serviceMonitors = new ArrayList<>(scenario.serviceMonitors());
    List<PodMonitor> podMonitors = new ArrayList<>(scenario.podMonitors());
    for (int rotation = 0; rotation < serviceMonitors.size(); rotation++) {
      Collections.rotate(serviceMonitors, 1);
      Collections.reverse(podMonitors);
      var result =
          PrometheusConfigBuilder.build(
              scenario.stack(), 0, serviceMonitors, podMonitors, scenario.inputs());
      assertThat(PrometheusConfigRenderer.render(result.config())).isEqualTo(expected);
    }
  }

  @Test
  void jobsAreNamedAndOrderedAsPrometheusOperatorDoes() {
    var config = RenderScenario.load(SORTED).build().config();
    assertThat(config.scrapeConfigs())
        .extracting(PrometheusConfig.ScrapeConfig::jobName)
        .containsExactly(
            "serviceMonitor/data/zookeeper/0",
            "serviceMonitor/shop/checkout/0",
            "serviceMonitor/shop/payments/0",
            "podMonitor/infra/agents/0",
            "podMonitor/shop/workers/0",
            // then the stack's own jobs: its TracingPipelines' collectors, always
            "vigil/otel-collectors",
            "vigil/span-metrics",
            "vigil/config-reloaders");
  }

  @Test
  void eachJobReadsItsOwnServiceDiscoveryUrl() {
    var config = RenderScenario.load(SORTED).build().config();
    assertThat(config.scrapeConfigs().get(0).httpSdConfigs())
        .singleElement()
        .satisfies(
            sd -> {
              assertThat(sd.url())
                  .isEqualTo(
                      "http://vigil-operator.vigil-system.svc:8080/sd/v1/monitoring/platform/0/"
                          + "serviceMonitor%2Fdata%2Fzookeeper%2F0");
              assertThat(sd.httpClient().authorization().credentialsFile())
                  .isEqualTo(RenderScenario.SD_TOKEN_FILE);
            });
  }

  @Test
  void pathSegmentsEncodeEverythingButUnreservedCharacters() {
    assertThat(HttpServiceDiscovery.pathSegment("serviceMonitor/shop/checkout/0"))
        .isEqualTo("serviceMonitor%2Fshop%2Fcheckout%2F0");
    assertThat(HttpServiceDiscovery.pathSegment("a b+c%d?e#f~g.h-i_j"))
        .isEqualTo("a%20b%2Bc%25d%3Fe%23f~g.h-i_j");
    assertThat(HttpServiceDiscovery.pathSegment("é")).isEqualTo("%C3%A9");
  }

  @Test
  void aShardOutsideTheStackIsAProgrammingError() {
    RenderScenario scenario = RenderScenario.load("minimal-stack");
    assertThatThrownBy(
            () ->
                PrometheusConfigBuilder.build(
                    scenario.stack(), -1, List.of(), List.of(), scenario.inputs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard -1 is out of range");
    assertThatThrownBy(
            () ->
                PrometheusConfigBuilder.build(
                    scenario.stack(), 100, List.of(), List.of(), scenario.inputs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard 100 is out of range");
  }

  @Test
  void stringsAYamlReaderWouldMistypeAreQuoted() {
    Map<String, String> labels = new java.util.TreeMap<>();
    List<String> tricky =
        List.of(
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "true",
            "null",
            "~",
            "",
            "0",
            "0777",
            "0x1F",
            "0b101",
            "0o17",
            "1_000",
            "1:20",
            "1e3",
            "-1.5",
            ".5",
            ".inf",
            "-.Inf",
            ".NaN",
            "2001-01-01",
            "<<",
            "=",
            "#x",
            "*x",
            "&x",
            "!x",
            "@x",
            "%x",
            "'x",
            "\"x",
            "[x]",
            "{x}",
            "a: b",
            "a #b",
            "- x",
            "? x");
    for (int i = 0; i < tricky.size(); i++) {
      labels.put("l%02d".formatted(i), tricky.get(i));
    }
    var config =
        new PrometheusConfig(new Global("30s", "10s", "30s", labels), null, null, null, null);
    String yaml = PrometheusConfigRenderer.renderString(config);
    for (int i = 0; i < tricky.size(); i++) {
      String line =
          yaml.lines()
              .filter(l -> l.startsWith("    l"))
              .toList()
              .get(i)
              .substring("    lNN: ".length());
      assertThat(line).as(tricky.get(i)).matches("([\"']).*\\1");
    }
    // Plain where nothing can be misread, so the file stays readable.
    var plain =
        new PrometheusConfig(
            new Global("30s", "10s", "30s", Map.of("c", "prod-eu-1")), null, null, null, null);
    assertThat(PrometheusConfigRenderer.renderString(plain))
        .isEqualTo(
            """
            global:
              scrape_interval: 30s
              scrape_timeout: 10s
              evaluation_interval: 30s
              external_labels:
                c: prod-eu-1
            """);
  }
}
