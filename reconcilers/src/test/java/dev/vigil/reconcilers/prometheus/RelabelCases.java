package dev.vigil.reconcilers.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.reconcilers.ScenarioFile;
import dev.vigil.reconcilers.httpclient.HttpClient;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Global;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.Histograms;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.ScrapeConfig;
import dev.vigil.reconcilers.relabel.RelabelRule;
import dev.vigil.reconcilers.relabel.TargetRelabeling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Scrape jobs and discovered targets for {@link TargetRelabelingAgreementTest}: the jobs Vigil
 * renders for every monitor of the golden scenarios (real-world relabelings), the same jobs
 * mutated, and generated jobs of one to six rules of every action over regexes, templates and
 * labels chosen to reach the corners of Prometheus's relabeling (empty values, templates naming
 * missing groups, {@code $1x}, newlines under {@code (?s)}, {@code İ} and {@code ß} under lowercase
 * and uppercase, labelmap collisions, targets left without an address or with a bad interval).
 * Every job is one Prometheus accepts. Seeded: the same cases every run.
 */
final class RelabelCases {
  /** One job and the targets its service discovery serves, one group per target. */
  record Case(String name, Global global, ScrapeConfig job, List<Target> targets) {}

  /** A discovered target: its address and its group's labels. */
  record Target(String address, Map<String, String> labels) {}

  static final String CASE_LABEL = "__meta_case_target";

  private static final List<String> ADDRESSES =
      List.of(
          "10.0.1.5:8080",
          "10.0.1.6",
          "[2001:db8::1]:9090",
          "checkout.shop.svc:8080",
          "10.0.1.7:9100",
          "10.0.1.8:8080/x");

  private static final List<String> NAMES =
      List.of(
          "__address__",
          "__meta_kubernetes_namespace",
          "__meta_kubernetes_pod_name",
          "__meta_kubernetes_pod_label_app",
          "__meta_kubernetes_pod_label_team",
          "__meta_kubernetes_pod_container_port_name",
          "__meta_kubernetes_service_name",
          "__meta_kubernetes_pod_phase",
          "__meta_kubernetes_pod_annotation_prometheus_io_port",
          "__meta_kubernetes_pod_ip",
          CASE_LABEL,
          "job",
          "instance",
          "__scheme__",
          "__metrics_path__",
          "__scrape_interval__",
          "__scrape_timeout__",
          "__param_module",
          "__tmp_x",
          "missing_label");

  private static final List<String> VALUES =
      List.of(
          "shop",
          "Shop",
          "kube-system",
          "app",
          "checkout-6d4b9-abcde",
          "http",
          "metrics",
          "8080",
          "Running",
          "Succeeded",
          "a;b",
          "x\ny",
          "ümlaut",
          "$1",
          "",
          "10.0.1.5",
          "true",
          "false",
          "0",
          "1m",
          "5s",
          "İstanbul",
          "straße",
          "aaa");

  private static final List<String> REGEXES =
      List.of(
          "(.*)",
          "(.+)",
          "",
          ".*",
          "shop",
          "Shop|kube-system",
          "(?i)shop",
          "([^;]*);(.*)",
          "(.*);(.*)",
          "(\\d+)",
          "([0-9.]+):(\\d+)",
          "(?P<host>[^:]+)(?::\\d+)?",
          "(?P<first>.)(?P<rest>.*)",
          "x\\ny",
          "x.y",
          "Running|Pending",
          "(Failed|Succeeded)",
          "(.)",
          "a*",
          "(a)|(b)",
          "[[:alpha:]]+",
          "\\pL+",
          "(a+?)(a*)",
          "İstanbul",
          "(?s:.*)x");

  private static final List<String> NAME_REGEXES =
      List.of(
          "__meta_kubernetes_pod_label_(.+)",
          "__meta_kubernetes_(pod|service)_(.*)",
          "__meta_case_(.*)",
          "(job|instance)",
          "__tmp_(.*)",
          "__meta_kubernetes_pod_(label|name)_?(.*)",
          "__param_.*",
          "__meta_kubernetes_pod_label_.*|job");

  private static final List<String> REPLACEMENTS =
      List.of(
          "$1",
          "${1}",
          "$1x",
          "${1}x",
          "$2",
          "$0",
          "$01",
          "${host}",
          "$host",
          "$$",
          "$",
          "${",
          "${1",
          "lit",
          "",
          "$1;$2",
          "${first}_${rest}",
          "ü$1",
          "$3");

  private static final List<String> TARGETS =
      List.of(
          "job",
          "instance",
          "namespace",
          "__address__",
          "__tmp_a",
          "__param_module",
          "__metrics_path__",
          "__scheme__",
          "__scrape_timeout__",
          "__scrape_interval__",
          "__convert_classic_histograms_to_nhcb__",
          "ümlaut_label",
          "__meta_kubernetes_pod_label_app");

  private static final List<String> TEMPLATED_TARGETS = List.of("${1}", "t_$1", "$first", "${2}");

  private final Random random = new Random(20261206L);
  private final List<Map<String, String>> discovered;

  RelabelCases() {
    discovered = discoveredGroups();
  }

  /** The jobs Vigil renders for the golden scenarios' monitors and stacks, unchanged. */
  List<Case> realWorld() {
    List<Case> cases = new ArrayList<>();
    for (String name : scenarioNames()) {
      RenderScenario scenario = RenderScenario.load(name);
      PrometheusConfig config = scenario.build().config();
      for (ScrapeConfig job : config.scrapeConfigs()) {
        cases.add(
            new Case(
                name + " " + job.jobName(),
                config.global(),
                job,
                targets(6, job.relabelConfigs())));
      }
    }
    return cases;
  }

  /** Each real-world job with one or two random changes. */
  List<Case> mutated(List<Case> realWorld, int rounds) {
    List<Case> cases = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (Case original : realWorld) {
        List<RelabelRule> rules = new ArrayList<>(original.job().relabelConfigs());
        int changes = 1 + random.nextInt(2);
        for (int c = 0; c < changes; c++) {
          mutate(rules);
        }
        ScrapeConfig job = withRules(original.job(), rules);
        cases.add(
            new Case(
                original.name() + " mutated " + round, original.global(), job, targets(6, rules)));
      }
    }
    return cases;
  }

  /** Generated jobs of one to six rules and random scrape settings. */
  List<Case> generated(int count) {
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<RelabelRule> rules = new ArrayList<>();
      int n = 1 + random.nextInt(6);
      for (int r = 0; r < n; r++) {
        rules.add(rule());
      }
      String interval =
          random.nextBoolean() ? pick(List.of("15s", "1m", "90s", "2m", "30s")) : null;
      Global global =
          random.nextInt(4) == 0
              ? new Global("5s", "5s", "30s", Map.of())
              : new Global("30s", "10s", "30s", Map.of());
      // Prometheus refuses a timeout longer than the job's interval.
      String timeout =
          random.nextBoolean()
              ? pick(
                  interval == null ? List.of(global.scrapeTimeout()) : List.of("5s", "10s", "15s"))
              : null;
      ScrapeConfig job =
          new ScrapeConfig(
              "generated/" + i,
              null,
              null,
              null,
              interval,
              timeout,
              null,
              null,
              pick(java.util.Arrays.asList(null, "/metrics", "/probe", "/a b")),
              pick(java.util.Arrays.asList(null, "http", "https")),
              random.nextInt(3) == 0 ? new TreeMap<>(Map.of("module", List.of("http_2xx"))) : null,
              HttpClient.NONE,
              List.of(),
              rules,
              null,
              PrometheusConfig.Limits.NONE,
              new Histograms(flag(), flag(), flag(), null, null));
      cases.add(new Case("generated " + i, global, job, targets(6, rules)));
    }
    return cases;
  }

  private Boolean flag() {
    return pick(java.util.Arrays.asList(null, Boolean.TRUE, Boolean.FALSE));
  }

  /** One rule Prometheus accepts ({@code model/relabel/relabel.go}, {@code Validate}). */
  RelabelRule rule() {
    String action = pick(TargetRelabeling.ACTIONS);
    List<String> sources = sources();
    return switch (action) {
      case "keep", "drop" ->
          new RelabelRule(sources, separator(), pick(REGEXES), null, null, null, action);
      case "keepequal", "dropequal" ->
          new RelabelRule(sources, null, null, null, pick(TARGETS), null, action);
      case "hashmod" ->
          new RelabelRule(
              sources,
              separator(),
              null,
              (long) (1 + random.nextInt(random.nextBoolean() ? 4 : 1_000_000)),
              pick(TARGETS),
              null,
              action);
      case "labelmap" ->
          new RelabelRule(
              null,
              null,
              pick(NAME_REGEXES),
              null,
              null,
              pick(List.of("$1", "${1}_x", "m_$2", "$1$2")),
              action);
      case "labeldrop", "labelkeep" ->
          new RelabelRule(null, null, pick(NAME_REGEXES), null, null, null, action);
      case "lowercase", "uppercase" ->
          new RelabelRule(sources, separator(), null, null, pick(TARGETS), null, action);
      default ->
          new RelabelRule(
              random.nextInt(6) == 0 ? null : sources,
              separator(),
              random.nextInt(3) == 0 ? null : pick(REGEXES),
              null,
              random.nextInt(4) == 0 ? pick(TEMPLATED_TARGETS) : pick(TARGETS),
              random.nextInt(4) == 0 ? null : pick(REPLACEMENTS),
              random.nextBoolean() ? null : "replace");
    };
  }

  private void mutate(List<RelabelRule> rules) {
    int kind = random.nextInt(4);
    if (rules.isEmpty() || kind == 0) {
      rules.add(random.nextInt(rules.size() + 1), rule());
      return;
    }
    int at = random.nextInt(rules.size());
    RelabelRule r = rules.get(at);
    boolean regexAllowed =
        r.action() == null
            || List.of("replace", "keep", "drop", "labelmap", "labeldrop", "labelkeep", "hashmod")
                .contains(r.action());
    switch (kind) {
      case 1 -> rules.remove(at);
      case 2 -> {
        if (regexAllowed && !"hashmod".equals(r.action())) {
          String regex =
              List.of("labelmap", "labeldrop", "labelkeep").contains(String.valueOf(r.action()))
                  ? pick(NAME_REGEXES)
                  : pick(REGEXES);
          rules.set(
              at,
              new RelabelRule(
                  r.sourceLabels(),
                  r.separator(),
                  regex,
                  r.modulus(),
                  r.targetLabel(),
                  r.replacement(),
                  r.action()));
        } else {
          rules.add(at, rule());
        }
      }
      default -> {
        if ("keep".equals(r.action()) || "drop".equals(r.action())) {
          rules.set(
              at,
              new RelabelRule(
                  r.sourceLabels(),
                  r.separator(),
                  r.regex(),
                  null,
                  null,
                  null,
                  "keep".equals(r.action()) ? "drop" : "keep"));
        } else {
          rules.add(at, rule());
        }
      }
    }
  }

  private List<String> sources() {
    int n = 1 + random.nextInt(3);
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sources.add(pick(NAMES));
    }
    return sources;
  }

  private String separator() {
    return random.nextInt(3) == 0 ? pick(List.of("", ",", "/", ";")) : null;
  }

  /**
   * {@code n} targets: discovery's groups from the test fixtures and random ones, with the labels
   * the rules read set to values from their regexes, to the pool's, or left out.
   */
  private List<Target> targets(int n, List<RelabelRule> rules) {
    List<String> read = new ArrayList<>();
    List<String> values = new ArrayList<>(VALUES);
    for (RelabelRule rule : rules) {
      if (rule.sourceLabels() != null) {
        read.addAll(rule.sourceLabels());
      }
      if (rule.regex() != null) {
        for (String word : rule.regex().split("[|()^$?:;*+\\[\\]]+")) {
          if (!word.isEmpty() && !word.contains("\\")) {
            values.add(word);
          }
        }
      }
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> labels =
          new TreeMap<>(
              random.nextInt(3) == 0
                  ? new TreeMap<>()
                  : discovered.get(random.nextInt(discovered.size())));
      for (String name : read) {
        if (!name.equals("__address__") && random.nextInt(3) > 0) {
          labels.put(name, pick(values));
        }
      }
      for (int extra = random.nextInt(4); extra > 0; extra--) {
        labels.put(pick(NAMES).replace("__address__", "__meta_extra"), pick(values));
      }
      labels.remove("__address__");
      labels.put(CASE_LABEL, Integer.toString(i));
      labels.values().removeIf(String::isEmpty);
      targets.add(new Target(random.nextInt(5) == 0 ? pick(ADDRESSES) : ADDRESSES.get(0), labels));
    }
    return targets;
  }

  /** The job with other relabel rules. */
  static ScrapeConfig withRules(ScrapeConfig job, List<RelabelRule> rules) {
    return copy(job, rules, job.httpClient(), job.httpSdConfigs());
  }

  /**
   * The job with these rules, HTTP client settings and service discovery; every other setting, as
   * it is.
   */
  static ScrapeConfig copy(
      ScrapeConfig job,
      List<RelabelRule> rules,
      HttpClient client,
      List<PrometheusConfig.HttpSdConfig> sd) {
    return new ScrapeConfig(
        job.jobName(),
        job.honorLabels(),
        job.honorTimestamps(),
        job.trackTimestampsStaleness(),
        job.scrapeInterval(),
        job.scrapeTimeout(),
        job.scrapeProtocols(),
        job.fallbackScrapeProtocol(),
        job.metricsPath(),
        job.scheme(),
        job.params(),
        client,
        sd,
        rules,
        job.metricRelabelConfigs(),
        job.limits(),
        job.histograms());
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static List<String> scenarioNames() {
    try (Stream<String> names = RenderScenario.names()) {
      return names.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The groups discovery's tests expect, as Prometheus's own discovery would label them. */
  private static List<Map<String, String>> discoveredGroups() {
    List<Map<String, String>> groups = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/discovery"))) {
      for (Path file :
          files.filter(f -> f.toString().endsWith(".expected.yaml")).sorted().toList()) {
        for (JsonNode doc : ScenarioFile.readAll(file)) {
          for (JsonNode group : doc) {
            Map<String, String> labels = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = group.path("labels").fields();
                it.hasNext(); ) {
              Map.Entry<String, JsonNode> label = it.next();
              labels.put(label.getKey(), label.getValue().asText());
            }
            groups.add(labels);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return groups;
  }
}
