package dev.vigil.reconcilers.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A rule group that aggregates over namespaces ({@code src/test/resources/rules/
 * namespace-aggregation.yaml}, and the same group as a PrometheusRule in the operator's tests),
 * with the input series and expected outputs of a {@code promtool test rules} run:
 * kube-state-metrics series of two namespaces, {@code shop} (the policy's) and {@code billing}; a
 * recorded CPU request sum per namespace; a {@code KubePodNotReady} alert per namespace, each
 * naming its own namespace. The expected outputs are those of the namespaces asked for, so the same
 * scenario checks a rendering that keeps every namespace and one that is scoped to the policy's.
 */
public final class NamespaceAggregation {
  public static final String POLICY_NAMESPACE = "shop";
  public static final String OTHER_NAMESPACE = "billing";
  public static final List<String> BOTH = List.of(POLICY_NAMESPACE, OTHER_NAMESPACE);

  static final String RECORD = "namespace:kube_pod_container_resource_requests_cpu:sum";
  static final String ALERT = "KubePodNotReady";

  /** CPU requested per namespace: shop has two pods (0.5 + 0.25), billing one. */
  static final Map<String, Double> CPU = Map.of(POLICY_NAMESPACE, 0.75, OTHER_NAMESPACE, 2.0);

  /** The one pod of each namespace that stays Pending. */
  static final Map<String, String> PENDING_POD =
      Map.of(POLICY_NAMESPACE, "a", OTHER_NAMESPACE, "b");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private NamespaceAggregation() {}

  /**
   * Runs the real promtool ({@code VIGIL_PROMTOOL}) on the rendered rule file and fails with
   * promtool's report and the file when an expected sample or alert differs.
   *
   * @param rules the rule file as Vigil renders it
   * @param namespaces the namespaces whose samples and alerts are expected
   * @param policyLabel the {@code vigil_policy} value the alerts carry, or null for none
   */
  public static String assertPromtoolTestPasses(
      Path dir, String rules, List<String> namespaces, String policyLabel) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as(
            "VIGIL_PROMTOOL is not set: run the tests through `make test`, which installs"
                + " promtool and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();
    Path ruleFile = dir.resolve("rules.yaml");
    Files.writeString(ruleFile, rules);
    Path testFile = dir.resolve("tests.yaml");
    YAML.writeValue(
        testFile.toFile(), tests(ruleFile.getFileName().toString(), namespaces, policyLabel));
    Process process =
        new ProcessBuilder(promtool, "test", "rules", testFile.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished in time").isTrue();
    assertThat(process.exitValue())
        .as(
            "promtool test rules:%n%s%nrules:%n%s%ntests:%n%s",
            output, rules, Files.readString(testFile))
        .isZero();
    assertThat(output).contains("SUCCESS");
    return output;
  }

  /** The {@code promtool test rules} file. */
  static Map<String, Object> tests(String ruleFile, List<String> namespaces, String policyLabel) {
    List<Map<String, Object>> series = new ArrayList<>();
    for (String namespace : BOTH) {
      String pending = PENDING_POD.get(namespace);
      String ready = pending + "2";
      if (namespace.equals(POLICY_NAMESPACE)) {
        series.add(input(requests(namespace, pending, "cpu"), "0.5x30"));
        series.add(input(requests(namespace, ready, "cpu"), "0.25x30"));
      } else {
        series.add(input(requests(namespace, pending, "cpu"), "2x30"));
        series.add(input(requests(namespace, pending, "memory"), "1e9x30"));
      }
      series.add(input(phase(namespace, pending, "Pending"), "1x30"));
      series.add(input(phase(namespace, ready, "Running"), "1x30"));
      series.add(input(owner(namespace, pending), "1x30"));
      series.add(input(owner(namespace, ready), "1x30"));
    }

    List<Map<String, Object>> samples = new ArrayList<>();
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (String namespace : namespaces) {
      samples.add(
          Map.of(
              "labels", RECORD + "{namespace=\"" + namespace + "\"}", "value", CPU.get(namespace)));
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("namespace", namespace);
      labels.put("pod", PENDING_POD.get(namespace));
      labels.put("severity", "warning");
      if (policyLabel != null) {
        labels.put("vigil_policy", policyLabel);
      }
      alerts.add(
          Map.of(
              "exp_labels",
              labels,
              "exp_annotations",
              Map.of(
                  "summary",
                  "Pod "
                      + namespace
                      + "/"
                      + PENDING_POD.get(namespace)
                      + " has not been ready for 15 minutes.")));
    }
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put("input_series", series);
    test.put(
        "promql_expr_test",
        List.of(Map.of("expr", RECORD, "eval_time", "5m", "exp_samples", samples)));
    test.put(
        "alert_rule_test",
        List.of(
            // Pending for 10 minutes: not firing yet.
            Map.of("eval_time", "10m", "alertname", ALERT, "exp_alerts", List.of()),
            Map.of("eval_time", "20m", "alertname", ALERT, "exp_alerts", alerts)));
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("rule_files", List.of(ruleFile));
    file.put("evaluation_interval", "1m");
    file.put("tests", List.of(test));
    return file;
  }

  private static Map<String, Object> input(String series, String values) {
    return Map.of("series", series, "values", values);
  }

  private static String requests(String namespace, String pod, String resource) {
    return "kube_pod_container_resource_requests{job=\"kube-state-metrics\", namespace=\""
        + namespace
        + "\", pod=\""
        + pod
        + "\", container=\"app\", resource=\""
        + resource
        + "\"}";
  }

  private static String phase(String namespace, String pod, String phase) {
    return "kube_pod_status_phase{job=\"kube-state-metrics\", namespace=\""
        + namespace
        + "\", pod=\""
        + pod
        + "\", phase=\""
        + phase
        + "\"}";
  }

  private static String owner(String namespace, String pod) {
    return "kube_pod_owner{job=\"kube-state-metrics\", namespace=\""
        + namespace
        + "\", pod=\""
        + pod
        + "\", owner_kind=\"ReplicaSet\"}";
  }
}
