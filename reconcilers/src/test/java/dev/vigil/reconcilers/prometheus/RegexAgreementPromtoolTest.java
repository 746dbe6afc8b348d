package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicySpec;
import dev.vigil.api.v1alpha1.alertpolicy.Matcher;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Route;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.promql.MatcherText;
import dev.vigil.reconcilers.relabel.RelabelRule;
import dev.vigil.reconcilers.rules.PromQLExpressionCheck;
import dev.vigil.reconcilers.validation.AlertPolicyValidator;
import dev.vigil.reconcilers.validation.Problem;
import dev.vigil.reconcilers.yaml.ConfigYaml;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, hole 5: a regular expression Vigil accepts must be one the tool it reaches accepts, or
 * the tool refuses its whole configuration. 1,000 generated relabel configs (every action, regexes
 * from a grammar that mixes RE2 with what only Perl and Java take: lookaround, backreferences,
 * possessive and huge repeats, {@code \C}, {@code \Z}, named groups of each spelling, Unicode
 * classes, unbalanced groups; source and target labels valid and not; moduli, separators,
 * replacements) are judged by Vigil ({@link StandardRelabelings#userRules}, which runs the {@code
 * RelabelValidator} the kinds' validators run) and by the real {@code promtool check config}; 500
 * PromQL label matchers in alerting rules by Vigil's expression check and {@code promtool check
 * rules}; 500 Alertmanager route matchers by {@link AlertPolicyValidator} and {@code amtool
 * check-config}. The verdicts must be the same, both ways: what Vigil accepts the tool accepts, and
 * what the tool refuses Vigil refused first (and Vigil refuses nothing the tool accepts).
 *
 * <p>The cases come from a fixed seed. Each is a file of its own, and one run of each tool checks
 * all of them (each tool reports per file), so the test takes a few seconds.
 *
 * <p>Each of these weakenings makes cases disagree (tried when the test was written): lookaheads
 * let through, Go's limit on nested repeats dropped, PromQL matchers parsed with Go 1.26's name
 * lookup, Alertmanager matchers checked with java.util.regex, any one of RelabelValidator's checks
 * of empty source labels, labelmap replacements and keepequal regexes dropped, and regex matchers
 * taken never to match the empty string.
 */
class RegexAgreementPromtoolTest {
  private static final long SEED = 16_05L;
  private static final int RELABEL_CONFIGS = 1000;
  private static final int PROMQL_MATCHERS = 500;
  private static final int ALERTMANAGER_MATCHERS = 500;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Random random = new Random(SEED);

  @Test
  void vigilAndTheToolsAgreeOnEveryGeneratedRegex(@TempDir Path dir) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as(
            "VIGIL_PROMTOOL is not set: run the tests through `make test`, which installs"
                + " promtool and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();
    String amtool = System.getenv("VIGIL_AMTOOL");
    assertThat(amtool)
        .as(
            "VIGIL_AMTOOL is not set: run the tests through `make test`, which installs amtool"
                + " and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();

    long start = System.nanoTime();
    StringBuilder summary = new StringBuilder("regex agreement (seed " + SEED + "):");
    List<String> disagreements = new ArrayList<>();
    disagreements.addAll(relabelConfigs(promtool, dir.resolve("relabel"), summary));
    disagreements.addAll(promqlMatchers(promtool, dir.resolve("promql"), summary));
    disagreements.addAll(alertmanagerMatchers(amtool, dir.resolve("alertmanager"), summary));
    summary.append("\n  %.1f s".formatted((System.nanoTime() - start) / 1e9));
    System.out.println(summary);

    assertThat(disagreements).as("cases Vigil and the tools judge differently").isEmpty();
  }

  // ---- relabel configs and promtool check config

  private List<String> relabelConfigs(String promtool, Path dir, StringBuilder summary)
      throws Exception {
    Files.createDirectories(dir);
    List<RelabelConfig> rules = new ArrayList<>();
    List<String> vigil = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (int n = 0; n < RELABEL_CONFIGS; n++) {
      RelabelConfig rule = relabelConfig();
      rules.add(rule);
      String field = "spec.endpoints[0].relabelings";
      List<RelabelRule> rendered;
      try {
        rendered = StandardRelabelings.userRules(field, List.of(rule));
        vigil.add(null);
      } catch (PartLeftOut e) {
        vigil.add(e.getMessage());
        // Vigil leaves the rule out; promtool still judges it as Vigil would have written it.
        rendered = List.of(asWritten(rule));
      }
      Path file = dir.resolve("relabel-%04d.yml".formatted(n));
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("job_name", "generated");
      // Discovered over HTTP, as Vigil's jobs are: promtool relabels static targets, and would
      // refuse a rule that drops __address__ from them.
      job.put("http_sd_configs", List.of(Map.of("url", "http://127.0.0.1:8080/sd")));
      job.put("relabel_configs", rendered);
      Files.writeString(
          file, ConfigYaml.MAPPER.writeValueAsString(Map.of("scrape_configs", List.of(job))));
      files.add(file.toString());
    }
    List<String> command = new ArrayList<>(List.of(promtool, "check", "config", "--syntax-only"));
    command.addAll(files);
    ToolRun run = run(command);
    // promtool prints " SUCCESS: <file> is valid ..." on stdout, "  FAILED: ..." on stderr.
    Set<Integer> accepted =
        numbers(run.stdout, Pattern.compile("(?m)^ SUCCESS: \\S*relabel-(\\d{4})\\.yml "));
    assertThat(countLines(run.stderr, "  FAILED:"))
        .as("promtool failed every file it did not pass:%n%s", run.stderr)
        .isEqualTo(RELABEL_CONFIGS - accepted.size());
    return compare("relabel config", rules, vigil, accepted, run.stderr, summary);
  }

  /** A rule as Vigil would write it, for promtool's verdict on one Vigil refused. */
  private static RelabelRule asWritten(RelabelConfig rule) {
    return new RelabelRule(
        rule.sourceLabels,
        rule.separator,
        rule.regex,
        rule.modulus,
        rule.targetLabel,
        rule.replacement,
        rule.action == null ? null : rule.action.prometheusName());
  }

  /**
   * A rule in the usual shape of its action, with a generated regex where the action reads one;
   * half the time one field is then set to any value of its own (empty, a default written out, a
   * field the action forbids), so that this one field decides the verdict.
   */
  private RelabelConfig relabelConfig() {
    RelabelConfig rule = new RelabelConfig();
    RelabelConfig.Action[] actions = RelabelConfig.Action.values();
    rule.action = random.nextInt(12) == 0 ? null : actions[random.nextInt(actions.length)];
    String action = rule.action == null ? "replace" : rule.action.prometheusName();
    switch (action) {
      case "replace" -> {
        rule.sourceLabels = sourceLabels();
        rule.regex = regex();
        rule.targetLabel = pick("target", "__tmp_${1}", "$1_copy");
        rule.replacement = pick(null, "$1", "${1}-${2}", "x", "$name");
      }
      case "keep", "drop" -> {
        rule.sourceLabels = sourceLabels();
        rule.regex = regex();
      }
      case "hashmod" -> {
        rule.sourceLabels = sourceLabels();
        rule.targetLabel = "__tmp_hash";
        rule.modulus = pick(1L, 7L, 1L << 40);
      }
      case "labelmap" -> {
        rule.regex = regex();
        rule.replacement = pick(null, "$1", "copy_${1}");
      }
      case "labeldrop", "labelkeep" -> rule.regex = regex();
      default -> {
        // lowercase, uppercase, keepequal, dropequal
        rule.sourceLabels = sourceLabels();
        rule.targetLabel = "target";
      }
    }
    if (random.nextBoolean()) {
      switch (random.nextInt(7)) {
        case 0 -> rule.sourceLabels = pick(null, List.of(), sourceLabels(), List.of(""));
        case 1 -> rule.separator = pick(null, ";", "", ",");
        case 2 -> rule.targetLabel = pick(null, "", "a-b", "1st", "ü", "${1}", "target");
        case 3 -> rule.regex = pick(null, "(.*)", "", regex());
        case 4 -> rule.modulus = pick(null, 1L, 7L);
        case 5 -> rule.replacement = pick(null, "$1", "", "x", "${1}_x");
        default -> rule.action = pick(actions);
      }
    }
    return rule;
  }

  private List<String> sourceLabels() {
    List<String> labels = new ArrayList<>();
    for (int k = random.nextInt(3); k >= 0; k--) {
      labels.add(
          pick(
              "__meta_kubernetes_pod_name",
              "__meta_kubernetes_namespace",
              "__address__",
              "job",
              "a-b",
              "ünï"));
    }
    return labels;
  }

  // ---- PromQL matchers and promtool check rules

  private List<String> promqlMatchers(String promtool, Path dir, StringBuilder summary)
      throws Exception {
    Files.createDirectories(dir);
    PromQLExpressionCheck check = new PromQLExpressionCheck();
    List<String> expressions = new ArrayList<>();
    List<String> vigil = new ArrayList<>();
    List<String> command = new ArrayList<>(List.of(promtool, "check", "rules", "--lint=none"));
    for (int n = 0; n < PROMQL_MATCHERS; n++) {
      String operator = random.nextBoolean() ? "=~" : "!~";
      // Without a metric name, a selector needs one matcher that does not match "": whether the
      // regex matches the empty string decides then.
      String metric = random.nextBoolean() ? "up" : "";
      String expression = metric + "{job" + operator + MatcherText.quote(regex()) + "}";
      expressions.add(expression);
      vigil.add(check.problem(expression).orElse(null));
      Path file = dir.resolve("rule-%04d.yml".formatted(n));
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("alert", "Generated");
      rule.put("expr", expression);
      YAML.writeValue(
          file.toFile(),
          Map.of("groups", List.of(Map.of("name", "generated", "rules", List.of(rule)))));
      command.add(file.toString());
    }
    ToolRun run = run(command);
    // promtool names each file it refuses ("<file>: <error>", stderr); the others pass.
    Set<Integer> refused = numbers(run.stderr, Pattern.compile("(?m)^\\S*rule-(\\d{4})\\.yml: "));
    Set<Integer> accepted = new TreeSet<>();
    for (int n = 0; n < PROMQL_MATCHERS; n++) {
      if (!refused.contains(n)) {
        accepted.add(n);
      }
    }
    assertThat(countLines(run.stdout, "  SUCCESS:"))
        .as("promtool passed every file it did not refuse")
        .isEqualTo(accepted.size());
    return compare("PromQL matcher", expressions, vigil, accepted, run.stderr, summary);
  }

  // ---- Alertmanager matchers and amtool check-config

  private List<String> alertmanagerMatchers(String amtool, Path dir, StringBuilder summary)
      throws Exception {
    Files.createDirectories(dir);
    AlertPolicyValidator validator = new AlertPolicyValidator();
    List<String> values = new ArrayList<>();
    List<String> vigil = new ArrayList<>();
    List<String> command = new ArrayList<>(List.of(amtool, "check-config"));
    for (int n = 0; n < ALERTMANAGER_MATCHERS; n++) {
      String value = regex();
      Matcher.MatchType type =
          random.nextBoolean() ? Matcher.MatchType.REGEX : Matcher.MatchType.NOT_REGEX;
      values.add(value);
      List<Problem> problems = validator.validate(policy(value, type));
      vigil.add(problems.isEmpty() ? null : Problem.messages(problems).toString());
      // As Vigil writes a matcher into alertmanager.yml (alertmanager.Matchers).
      String matcher =
          MatcherText.label("job")
              + (type == Matcher.MatchType.REGEX ? "=~" : "!~")
              + MatcherText.quote(value);
      Map<String, Object> route = new LinkedHashMap<>();
      route.put("receiver", "generated");
      route.put("routes", List.of(Map.of("receiver", "generated", "matchers", List.of(matcher))));
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("route", route);
      config.put("receivers", List.of(Map.of("name", "generated")));
      Path file = dir.resolve("alertmanager-%04d.yml".formatted(n));
      YAML.writeValue(file.toFile(), config);
      command.add(file.toString());
    }
    ToolRun run = run(command);
    Set<Integer> accepted =
        numbers(
            run.stdout,
            Pattern.compile("(?m)^Checking '\\S*alertmanager-(\\d{4})\\.yml'  SUCCESS$"));
    assertThat(countLines(run.stdout, "Checking '"))
        .as("amtool checked every file")
        .isEqualTo(ALERTMANAGER_MATCHERS);
    return compare("Alertmanager matcher", values, vigil, accepted, run.stdout, summary);
  }

  private static AlertPolicy policy(String value, Matcher.MatchType type) {
    Matcher matcher = new Matcher();
    matcher.name = "job";
    matcher.value = value;
    matcher.matchType = type;
    Route child = new Route();
    child.matchers = List.of(matcher);
    PolicyRoute route = new PolicyRoute();
    route.receiver = "generated";
    route.routes = List.of(child);
    AlertPolicy policy = new AlertPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("generated").withNamespace("ns").build());
    policy.setSpec(new AlertPolicySpec());
    policy.getSpec().routing = new Routing();
    policy.getSpec().routing.route = route;
    return policy;
  }

  // ---- the regex grammar

  /** RE2 pieces, with what only Perl or Java take, Unicode classes, and broken syntax mixed in. */
  private static final String[] VALID_ATOMS = {
    "a",
    "b",
    "job",
    "go_.*",
    ".",
    "\\.",
    "\\d",
    "\\D",
    "\\s",
    "\\w",
    "\\W",
    "\\b",
    "\\B",
    "^",
    "$",
    "\\A",
    "\\z",
    "[a-z]",
    "[^a-z0-9_]",
    "[[:alpha:]]",
    "[[:^space:]]",
    "[\\d.-]",
    "[]a]",
    "\\x41",
    "\\x{1F600}",
    "\\012",
    "\\0",
    "\\t",
    "\\Qa.b*\\E",
    "\\pL",
    "\\p{Greek}",
    "\\p{greek}",
    "\\P{Lu}",
    "\\p{Letter}",
    "\\p{^Nd}",
    "\\p{Adlam}",
    "\\p{Cn}",
    "\\p{Any}",
    "{",
    "}",
    "]",
    "é",
    "ü",
    "\\{",
    "\\*",
    "\\-",
    "\\_",
    "k",
    "\\x{1C80}"
  };

  private static final String[] PERL_ONLY = {
    "(?=x)",
    "(?!x)",
    "(?<=x)",
    "(?<!x)",
    "(?>x)",
    "\\1",
    "\\2",
    "\\C",
    "\\Z",
    "\\G",
    "\\h",
    "\\R",
    "\\K",
    "\\e",
    "\\cA",
    "\\u0041",
    "\\N{SPACE}",
    "(?P=name)",
    "(?'name'x)",
    "(?#comment)",
    "\\p{Old_Italic}",
    "\\p{L&}",
    "\\p{IsGreek}",
    "\\p{Bad}",
    "[[:word]]",
    "[[:foo:]]",
    "\\é",
    "\\x{110000}",
    "[z-a]",
    "(?|a|b)"
  };

  private static final String[] QUANTIFIERS = {
    "*", "+", "?", "*?", "+?", "??", "{2}", "{2,}", "{2,5}", "{0}", "{1000}", "{0,1000}", "{2}?"
  };

  private static final String[] PERL_QUANTIFIERS = {
    "*+", "++", "?+", "{2}+", "**", "{1001}", "{2,1001}", "{5,2}", "{99999999999}"
  };

  /** Groups to close with ")": the flag groups (?i) and (?s) close by themselves, so "()" next. */
  private static final String[] GROUPS = {
    "(", "(?:", "(?i)(", "(?i:", "(?s)(", "(?-i:", "(?i-s:", "(?P<name>", "(?<name>", "(?U:", "(?m:"
  };

  /**
   * A regex: a few valid items, and about half the time one fault among them (a Perl-only
   * construct, a Perl quantifier, an unbalanced group, a trailing backslash), so that the fault
   * alone decides the verdict; now and then one near Go's limits.
   */
  private String regex() {
    int shape = random.nextInt(50);
    if (shape == 0) {
      // Nesting about 1000 deep: Go's limit, which the tools' anchoring deepens by two.
      int depth = 997 + random.nextInt(5);
      return "(".repeat(depth) + "a" + ")".repeat(depth);
    }
    if (shape == 1) {
      // Repeats nested past 1000 in all, which java.util.regex and RE2/J take.
      return "(a{" + (1 + random.nextInt(60)) + "}){" + (1 + random.nextInt(60)) + "}";
    }
    List<String> items = new ArrayList<>();
    for (int k = random.nextInt(4); k >= 0; k--) {
      items.add(item(0));
    }
    if (random.nextBoolean()) {
      int fault = random.nextInt(20);
      String faulty =
          fault < 12
              ? PERL_ONLY[random.nextInt(PERL_ONLY.length)]
              : fault < 17
                  ? VALID_ATOMS[random.nextInt(VALID_ATOMS.length)]
                      + PERL_QUANTIFIERS[random.nextInt(PERL_QUANTIFIERS.length)]
                  : fault < 19 ? (random.nextBoolean() ? "(" : ")") : null;
      if (faulty == null) {
        items.add("\\");
      } else {
        items.add(random.nextInt(items.size() + 1), faulty);
      }
    }
    return String.join("", items);
  }

  /** A valid item: an atom, a group of items, or an alternation; maybe quantified. */
  private String item(int depth) {
    int choice = random.nextInt(10);
    StringBuilder b = new StringBuilder();
    if (choice == 0 && depth < 2) {
      b.append(item(depth + 1)).append('|').append(item(depth + 1));
    } else if (choice < 3 && depth < 2) {
      b.append(GROUPS[random.nextInt(GROUPS.length)]);
      for (int k = random.nextInt(3); k >= 0; k--) {
        b.append(item(depth + 1));
      }
      b.append(')');
    } else {
      b.append(VALID_ATOMS[random.nextInt(VALID_ATOMS.length)]);
    }
    if (random.nextInt(4) == 0) {
      b.append(QUANTIFIERS[random.nextInt(QUANTIFIERS.length)]);
    }
    return b.toString();
  }

  @SafeVarargs
  private <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  // ---- tool runs and verdicts

  private record ToolRun(String stdout, String stderr) {}

  private static ToolRun run(List<String> command) throws Exception {
    Path out = Files.createTempFile("regex-agreement", ".out");
    Path err = Files.createTempFile("regex-agreement", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
      return new ToolRun(Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Set<Integer> numbers(String output, Pattern file) {
    Set<Integer> numbers = new TreeSet<>();
    java.util.regex.Matcher m = file.matcher(output);
    while (m.find()) {
      numbers.add(Integer.parseInt(m.group(1)));
    }
    return numbers;
  }

  private static long countLines(String output, String prefix) {
    return output.lines().filter(line -> line.startsWith(prefix)).count();
  }

  /** Disagreements, and a line of counts for the summary. */
  private static List<String> compare(
      String what,
      List<?> cases,
      List<String> vigil,
      Set<Integer> toolAccepted,
      String toolOutput,
      StringBuilder summary) {
    List<String> disagreements = new ArrayList<>();
    int bothAccept = 0;
    int bothRefuse = 0;
    for (int n = 0; n < cases.size(); n++) {
      boolean vigilAccepts = vigil.get(n) == null;
      boolean toolAccepts = toolAccepted.contains(n);
      if (vigilAccepts && toolAccepts) {
        bothAccept++;
      } else if (!vigilAccepts && !toolAccepts) {
        bothRefuse++;
      } else if (vigilAccepts) {
        disagreements.add(
            "%s %d, accepted by Vigil and refused by the tool: %s%n    tool: %s"
                .formatted(what, n, describe(cases.get(n)), toolLine(toolOutput, n)));
      } else {
        disagreements.add(
            "%s %d, refused by Vigil and accepted by the tool: %s%n    Vigil: %s"
                .formatted(what, n, describe(cases.get(n)), vigil.get(n)));
      }
    }
    summary.append(
        "\n  %-22s %4d cases: %4d accepted and %4d refused by both, %d judged differently"
            .formatted(what + "s", cases.size(), bothAccept, bothRefuse, disagreements.size()));
    // The generator must exercise both verdicts, or the agreement says little.
    assertThat(bothAccept).as("%ss both accept", what).isGreaterThan(cases.size() / 5);
    assertThat(bothRefuse).as("%ss both refuse", what).isGreaterThan(cases.size() / 5);
    return disagreements;
  }

  private static String describe(Object c) {
    if (c instanceof RelabelConfig rule) {
      return "{action: %s, sourceLabels: %s, separator: %s, regex: %s, modulus: %s, targetLabel: %s,"
              .formatted(
                  rule.action,
                  rule.sourceLabels,
                  quoted(rule.separator),
                  quoted(rule.regex),
                  rule.modulus,
                  quoted(rule.targetLabel))
          + " replacement: %s}".formatted(quoted(rule.replacement));
    }
    return quoted(c.toString());
  }

  private static String quoted(String s) {
    return s == null ? "null" : MatcherText.quote(s);
  }

  private static String toolLine(String output, int n) {
    String number = "%04d".formatted(n);
    return output
        .lines()
        .filter(line -> line.contains("-" + number + ".yml"))
        .findFirst()
        .orElse("(no line names it)");
  }
}
