package dev.vigil.reconcilers.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The corners of Prometheus's relabeling, one by one; {@code TargetRelabelingAgreementTest} holds
 * the whole to the real promtool over thousands of cases.
 */
class TargetRelabelingTest {
  static final ScrapeDefaults DEFAULTS =
      new ScrapeDefaults(
          "serviceMonitor/shop/checkout/0",
          "30s",
          "10s",
          "/metrics",
          "http",
          false,
          false,
          false,
          null);

  static final Map<String, String> POD =
      Map.of(
          "__meta_kubernetes_namespace", "shop",
          "__meta_kubernetes_pod_name", "checkout-0",
          "__meta_kubernetes_pod_label_app", "checkout",
          "__meta_kubernetes_pod_phase", "Running");

  static RelabelOutcome apply(RelabelRule... rules) {
    return new TargetRelabeling(DEFAULTS, List.of(rules)).apply(POD, "10.0.0.1:8080");
  }

  static Map<String, String> kept(RelabelRule... rules) {
    RelabelOutcome outcome = apply(rules);
    assertThat(outcome).isInstanceOf(RelabelOutcome.Kept.class);
    return ((RelabelOutcome.Kept) outcome).labels();
  }

  static RelabelRule rule(String action, List<String> sources, String regex) {
    return new RelabelRule(sources, null, regex, null, null, null, action);
  }

  @Test
  void aKeptTargetHasTheDefaultsAndInstanceAndNoMetaLabels() {
    assertThat(kept())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "__address__", "10.0.0.1:8080",
                    "__always_scrape_classic_histograms__", "false",
                    "__convert_classic_histograms_to_nhcb__", "false",
                    "__metrics_path__", "/metrics",
                    "__scheme__", "http",
                    "__scrape_interval__", "30s",
                    "__scrape_native_histograms__", "false",
                    "__scrape_timeout__", "10s",
                    "instance", "10.0.0.1:8080",
                    "job", "serviceMonitor/shop/checkout/0")));
  }

  @Test
  void keepAndDropMatchTheWholeValue() {
    List<String> app = List.of("__meta_kubernetes_pod_label_app");
    assertThat(apply(rule("keep", app, "check"))).isInstanceOf(RelabelOutcome.Dropped.class);
    assertThat(apply(rule("keep", app, "check.*"))).isInstanceOf(RelabelOutcome.Kept.class);
    assertThat(apply(rule("drop", app, "checkout"))).isInstanceOf(RelabelOutcome.Dropped.class);
    assertThat(apply(rule("drop", List.of("missing"), "")))
        .as("a missing label is empty")
        .isInstanceOf(RelabelOutcome.Dropped.class);
  }

  @Test
  void sourcesAreJoinedBySeparator() {
    RelabelRule joined =
        new RelabelRule(
            List.of("__meta_kubernetes_namespace", "__meta_kubernetes_pod_name"),
            "/",
            "(.*)",
            null,
            "who",
            "$1",
            null);
    assertThat(kept(joined)).containsEntry("who", "shop/checkout-0");
  }

  @Test
  void replacementsExpandAsGoExpandsThem() {
    List<String> pod = List.of("__meta_kubernetes_pod_name");
    String regex = "(?P<base>[a-z]+)-(\\d+)";
    assertThat(kept(new RelabelRule(pod, null, regex, null, "a", "${1}x", null)))
        .containsEntry("a", "checkoutx");
    assertThat(kept(new RelabelRule(pod, null, regex, null, "a", "$1x", null)))
        .as("$1x names the group 1x, which does not exist")
        .doesNotContainKey("a");
    assertThat(kept(new RelabelRule(pod, null, regex, null, "a", "$base-$2", null)))
        .containsEntry("a", "checkout-0");
    assertThat(kept(new RelabelRule(pod, null, regex, null, "a", "$$1 ${", null)))
        .containsEntry("a", "$1 ${");
    assertThat(kept(new RelabelRule(pod, null, regex, null, "${base}_id", "$2", null)))
        .containsEntry("checkout_id", "0");
  }

  @Test
  void anEmptyReplacementDeletesTheLabelAndNoMatchLeavesIt() {
    assertThat(kept(new RelabelRule(null, null, null, null, "job", "", null)))
        .doesNotContainKey("job");
    assertThat(
            kept(
                new RelabelRule(
                    List.of("__meta_kubernetes_pod_name"), null, "nope", null, "job", "x", null)))
        .containsEntry("job", "serviceMonitor/shop/checkout/0");
  }

  @Test
  void labelmapCopiesEveryMatchingNameAndCollisionsAreUndecided() {
    RelabelRule map = rule("labelmap", null, "__meta_kubernetes_pod_label_(.+)");
    assertThat(kept(map)).containsEntry("app", "checkout");
    RelabelRule collide =
        new RelabelRule(
            null, null, "__meta_kubernetes_pod_(name|phase)", null, null, "x", "labelmap");
    assertThat(apply(collide)).isInstanceOf(RelabelOutcome.Undecided.class);
  }

  @Test
  void labeldropAndLabelkeep() {
    assertThat(kept(rule("labeldrop", null, "job|__scheme__")))
        .doesNotContainKeys("job", "__scheme__");
    assertThat(apply(rule("labelkeep", null, "job")))
        .as("no address left")
        .isEqualTo(new RelabelOutcome.Failed("no address"));
  }

  @Test
  void hashmodIsMd5sLastEightBytesModulo() {
    // Python: int.from_bytes(hashlib.md5(b"10.0.0.1:8080").digest()[8:], "big") % 1000000
    RelabelRule hash =
        new RelabelRule(
            List.of("__address__"), null, null, 1_000_000L, "__tmp_hash", null, "hashmod");
    assertThat(kept(hash)).containsEntry("__tmp_hash", "357260");
  }

  @Test
  void caseMappingIsPerCodePointAsGosIs() {
    Map<String, String> labels = Map.of("v", "İstanbul straße");
    TargetRelabeling lower =
        new TargetRelabeling(
            DEFAULTS,
            List.of(new RelabelRule(List.of("v"), null, null, null, "l", null, "lowercase")));
    TargetRelabeling upper =
        new TargetRelabeling(
            DEFAULTS,
            List.of(new RelabelRule(List.of("v"), null, null, null, "u", null, "uppercase")));
    assertThat(((RelabelOutcome.Kept) lower.apply(labels, "a:1")).labels())
        .containsEntry("l", "istanbul straße");
    assertThat(((RelabelOutcome.Kept) upper.apply(labels, "a:1")).labels())
        .containsEntry("u", "İSTANBUL STRAßE");
  }

  @Test
  void prometheusChecksAfterRelabeling() {
    assertThat(apply(new RelabelRule(null, null, null, null, "__address__", "a/b", null)))
        .isInstanceOf(RelabelOutcome.Failed.class);
    assertThat(apply(new RelabelRule(null, null, null, null, "__scrape_timeout__", "1m", null)))
        .as("timeout over interval")
        .isInstanceOf(RelabelOutcome.Failed.class);
    assertThat(apply(new RelabelRule(null, null, null, null, "__scrape_interval__", "0", null)))
        .isInstanceOf(RelabelOutcome.Failed.class);
    assertThat(kept(new RelabelRule(null, null, null, null, "__scrape_interval__", "60s", null)))
        .as("a served interval is checked, not normalised")
        .containsEntry("__scrape_interval__", "60s");
  }

  @Test
  void regexesAreGosAnchoredAndDotMatchesNewline() {
    Map<String, String> labels = Map.of("v", "a\nb");
    TargetRelabeling keep =
        new TargetRelabeling(DEFAULTS, List.of(rule("keep", List.of("v"), "a.b")));
    assertThat(keep.apply(labels, "a:1")).isInstanceOf(RelabelOutcome.Kept.class);
  }

  @Test
  void aNameTwoGroupsShareExpandsToTheOneThatMatched() {
    List<String> pod = List.of("__meta_kubernetes_pod_name");
    // Go allows the name twice (Go 1.26); Regexp.Expand takes the first group of it that matched.
    String regex = "(?P<v>[0-9]+)-x|(?P<v>[a-z]+)-0";
    assertThat(kept(new RelabelRule(pod, null, regex, null, "a", "$v", null)))
        .containsEntry("a", "checkout");
  }

  /**
   * Case folding is Go's, and a letter RE2/J's own folding never returns from (U+1C80, a Cyrillic
   * letter of Unicode 9) is evaluated like any other.
   */
  @Test
  @Timeout(10)
  void caseInsensitiveRegexesEvaluateAsGoDoes() {
    List<String> pod = List.of("__meta_kubernetes_pod_name");
    assertThat(apply(rule("keep", pod, "(?i)CHECKOUT-\\d")))
        .isInstanceOf(RelabelOutcome.Kept.class);
    assertThat(apply(rule("keep", pod, "(?i)\\x{1C80}|checkout-0")))
        .isInstanceOf(RelabelOutcome.Kept.class);
    assertThat(apply(rule("drop", pod, "(?i)[\\x{1000}-\\x{2000}]+")))
        .isInstanceOf(RelabelOutcome.Kept.class);
  }

  @Test
  void whatVigilCannotEvaluateSaysWhy() {
    assertThat(
            new TargetRelabeling(DEFAULTS, List.of(rule("keep", List.of("a"), "a{2}+")))
                .unevaluable())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .isEqualTo(
                        "relabel_configs[0] cannot be evaluated: error parsing regexp: invalid"
                            + " nested repetition operator: `{2}+`"));
    // Go takes it, but its program is too large for Vigil to build (some 300 MB in RE2/J).
    assertThat(
            new TargetRelabeling(
                    DEFAULTS, List.of(rule("keep", List.of("a"), "x{1000}".repeat(300))))
                .unevaluable())
        .hasValueSatisfying(why -> assertThat(why).contains("Vigil evaluates up to 200000"));
  }

  @Test
  void rulesReadingTheShardsUrlCannotBeEvaluated() {
    TargetRelabeling url =
        new TargetRelabeling(DEFAULTS, List.of(rule("keep", List.of("__meta_url"), ".*/0/.*")));
    assertThat(url.unevaluable()).hasValueSatisfying(why -> assertThat(why).contains("__meta_url"));
    TargetRelabeling mapsAll =
        new TargetRelabeling(DEFAULTS, List.of(rule("labelmap", null, "__meta_(.+)")));
    assertThat(mapsAll.unevaluable()).isPresent();
    assertThat(
            new TargetRelabeling(DEFAULTS, List.of(rule("keep", List.of("a"), "(?=x)")))
                .unevaluable())
        .isPresent();
  }

  @Test
  void equalJobsAreEqual() {
    assertThat(new TargetRelabeling(DEFAULTS, List.of(rule("keep", List.of("a"), "b"))))
        .isEqualTo(new TargetRelabeling(DEFAULTS, List.of(rule("keep", List.of("a"), "b"))))
        .hasSameHashCodeAs(new TargetRelabeling(DEFAULTS, List.of(rule("keep", List.of("a"), "b"))))
        .isNotEqualTo(new TargetRelabeling(DEFAULTS, List.of(rule("drop", List.of("a"), "b"))));
  }
}
