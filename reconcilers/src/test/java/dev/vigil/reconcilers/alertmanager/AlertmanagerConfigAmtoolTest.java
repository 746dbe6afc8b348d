package dev.vigil.reconcilers.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden {@code alertmanager.yml} passes the real {@code amtool check-config} of the
 * Alertmanager version Vigil runs (0.34, installed by {@code make test}), which loads the file
 * exactly as Alertmanager does: strict YAML (an unknown field fails), every matcher and regular
 * expression parsed, every route's receiver defined, receiver names unique, email receivers with a
 * sender and smarthost.
 *
 * <p>The golden files are checked as they are, production paths included: Alertmanager 0.34 reads
 * the {@code *_file} credentials when it sends a notification, not when it loads the file (a
 * configuration naming files that do not exist passes {@code check-config}), so no file needs to be
 * laid out for the check.
 */
class AlertmanagerConfigAmtoolTest {
  static Stream<Path> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.list(AlertmanagerConfigRendererTest.GOLDEN)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void thereIsAGoldenFileForEveryScenario() throws IOException {
    assertThat(goldenFiles().map(f -> f.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(10)
        .containsExactlyInAnyOrderElementsOf(
            AlertmanagerScenario.names().map(n -> n + ".yaml").toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void amtoolAcceptsTheGoldenFile(Path golden) throws Exception {
    String amtool = System.getenv("VIGIL_AMTOOL");
    assertThat(amtool)
        .as(
            "VIGIL_AMTOOL is not set: run the tests through `make test`, which installs amtool"
                + " and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();

    String output = amtool(amtool, "check-config", golden.toString());
    assertThat(output).contains("SUCCESS").doesNotContainIgnoringCase("warn");
  }

  /**
   * The real Alertmanager routing ({@code amtool config routes test}) sends sample alerts where the
   * design says, and where the evaluator of {@link AlertmanagerRoutingIsolationTest} does, so that
   * the random isolation test runs on a faithful model of Alertmanager.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "nested-routes | namespace=shop vigil_policy=shop/api severity=critical component=mysql"
            + " team=t | shop/api/audit,shop/api/db",
        "nested-routes | namespace=shop vigil_policy=shop/api severity=critical team=t"
            + " alertname=X | shop/api/audit,shop/api/critical",
        "nested-routes | namespace=shop vigil_policy=shop/api severity=critical alertname=Watchdog"
            + " | shop/api/audit",
        // The alert's namespace is its series', not the policy's: the policy label alone routes.
        "nested-routes | namespace=billing vigil_policy=shop/api severity=critical"
            + " | shop/api/audit",
        "nested-routes | vigil_policy=shop/api | shop/api/audit",
        "nested-routes | vigil_policy=billing/api severity=critical | vigil-default",
        // The labels of before: neither the namespace nor the bare policy name routes any more.
        "nested-routes | namespace=shop vigil_policy=api severity=critical | vigil-default",
        "nested-routes | namespace=shop severity=critical | vigil-default",
        "two-namespaces-same-receiver-names | vigil_policy=shop/team | shop/team/slack",
        "two-namespaces-same-receiver-names | namespace=shop vigil_policy=billing/team"
            + " | billing/team/slack",
        "two-namespaces-same-receiver-names | namespace=shop alertname=BillingDown"
            + " | vigil-default",
        "examples | namespace=shop vigil_policy=shop/checkout-slo severity=page"
            + " | shop/checkout-slo/checkout-oncall",
        "examples | namespace=shop vigil_policy=shop/checkout-slo severity=warning"
            + " | shop/checkout-slo/checkout-slack",
        "default-receiver | vigil_policy=shop/other | platform-oncall",
        "default-receiver | namespace=shop vigil_policy=shop/checkout"
            + " | shop/checkout/platform-oncall",
        "namespace-matchers | vigil_policy=monitoring/kube-alerts namespace=shop"
            + " | monitoring/kube-alerts/shop",
        "namespace-matchers | vigil_policy=monitoring/kube-alerts namespace=payments"
            + " | monitoring/kube-alerts/payments",
        "namespace-matchers | vigil_policy=monitoring/kube-alerts namespace=kube-system"
            + " | monitoring/kube-alerts/platform",
        "namespace-matchers | vigil_policy=monitoring/kube-alerts | monitoring/kube-alerts/platform",
        // Another policy's alert about shop never reaches the routes of this one.
        "namespace-matchers | vigil_policy=shop/app namespace=shop | vigil-default",
      })
  void alertsAreRoutedAsDesigned(String scenario, String labels, String expected) throws Exception {
    String amtool = System.getenv("VIGIL_AMTOOL");
    assertThat(amtool).as("VIGIL_AMTOOL is not set").isNotBlank();
    Path golden = AlertmanagerConfigRendererTest.GOLDEN.resolve(scenario + ".yaml");
    List<String> command =
        new ArrayList<>(List.of(amtool, "config", "routes", "test", "--config.file=" + golden));
    command.addAll(Arrays.asList(labels.split(" ")));
    assertThat(amtool(command.toArray(String[]::new)).strip()).isEqualTo(expected);

    Map<String, String> alert = new TreeMap<>();
    for (String label : labels.split(" ")) {
      alert.put(label.substring(0, label.indexOf('=')), label.substring(label.indexOf('=') + 1));
    }
    AlertmanagerConfig config = AlertmanagerScenario.load(scenario).build().config();
    Set<String> receivers = new LinkedHashSet<>();
    AlertmanagerRoutingIsolationTest.collect(
        config.route(), config.route().receiver(), alert, receivers);
    assertThat(String.join(",", receivers)).as("the test's evaluator").isEqualTo(expected);
  }

  private static String amtool(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean done = process.waitFor(60, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(done).as("amtool finished in time").isTrue();
    assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
    return output;
  }
}
