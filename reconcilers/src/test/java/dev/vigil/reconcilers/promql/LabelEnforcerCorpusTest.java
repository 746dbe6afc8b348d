package dev.vigil.reconcilers.promql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PromQL#enforceLabel} over every corpus expression Vigil's parser accepts: the rewritten
 * expression parses in Vigil's parser and in the real {@code promtool check rules} (all files in
 * one run, as {@link PromQLPromtoolTest}), and its tree is the original's with exactly one matcher
 * more in every vector selector, {@code namespace="shop"}, after the selector's own: the rewritten
 * expression selects a subset of what the original did, and means the same otherwise.
 */
class LabelEnforcerCorpusTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern FAILED_FILE =
      Pattern.compile("(?m)^(\\S*?rule-(\\d{4})\\.yaml): (.*)$");
  static final LabelMatcher ENFORCED =
      new LabelMatcher("namespace", LabelMatcher.Type.EQUAL, "shop", false);

  /** The accepted corpus expressions, each with its rewrite. */
  record Rewrite(Corpus corpus, String rewritten) {}

  static List<Rewrite> rewrites() {
    List<Rewrite> rewrites = new ArrayList<>();
    for (Corpus c : Corpus.load()) {
      if (PromQL.check(c.expression()).isEmpty()) {
        rewrites.add(new Rewrite(c, PromQL.enforceLabel(c.expression(), "namespace", "shop")));
      }
    }
    return rewrites;
  }

  @Test
  void everyRewriteParsesAndAddsTheMatcherToEverySelectorAndNothingElse() {
    List<Rewrite> rewrites = rewrites();
    StringBuilder wrong = new StringBuilder();
    int selectors = 0;
    for (Rewrite r : rewrites) {
      Expr original = PromQL.parse(r.corpus().expression());
      Expr rewritten;
      try {
        rewritten = PromQL.parse(r.rewritten());
      } catch (PromQLException e) {
        wrong.append("\n  ").append(r.corpus()).append(" -> ").append(r.rewritten());
        wrong.append("\n    does not parse: ").append(e.getMessage());
        continue;
      }
      assertThat(rewritten.type()).as(r.toString()).isEqualTo(original.type());
      List<Expr.VectorSelector> before = Trees.selectors(original);
      List<Expr.VectorSelector> after = Trees.selectors(rewritten);
      selectors += before.size();
      if (before.size() != after.size()) {
        wrong.append("\n  ").append(r).append(": selector count changed");
        continue;
      }
      for (int i = 0; i < after.size(); i++) {
        // Subset: every matcher of the original selector is still there, plus the enforced one.
        List<String> had = matchers(before.get(i));
        List<String> has = matchers(after.get(i));
        int added = has.lastIndexOf(matcher(ENFORCED));
        if (added < 0 || !remove(has, added).equals(had)) {
          wrong.append("\n  ").append(r).append(": selector ").append(i);
          wrong.append(" has ").append(matchers(after.get(i))).append(", had ").append(had);
        }
      }
      // And nothing else changed: the trees are equal once the added matcher is taken out.
      if (!Trees.erase(original, m -> m)
          .equals(Trees.erase(rewritten, Trees::withoutLastEnforced))) {
        wrong.append("\n  ").append(r).append(": the tree changed beyond the matchers");
      }
    }
    System.out.printf(
        "LabelEnforcerCorpusTest: %d accepted corpus expressions rewritten, %d vector selectors"
            + " checked%n",
        rewrites.size(), selectors);
    assertThat(wrong).as("rewrites that are wrong").isEmpty();
    assertThat(rewrites).hasSizeGreaterThan(850);
    assertThat(selectors).isGreaterThan(900);
  }

  @Test
  void promtoolAcceptsEveryRewrite(@TempDir Path dir) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as(
            "VIGIL_PROMTOOL is not set: run the tests through `make test`, which installs"
                + " promtool and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();
    List<Rewrite> rewrites = rewrites();
    List<String> command = new ArrayList<>(List.of(promtool, "check", "rules", "--lint=none"));
    for (int n = 0; n < rewrites.size(); n++) {
      Path file = dir.resolve(String.format("rule-%04d.yaml", n));
      YAML.writeValue(file.toFile(), ruleFile(rewrites.get(n).rewritten()));
      command.add(file.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("promtool finished in time").isTrue();

    StringBuilder refused = new StringBuilder();
    Matcher m = FAILED_FILE.matcher(output);
    while (m.find()) {
      Rewrite r = rewrites.get(Integer.parseInt(m.group(2)));
      refused.append("\n  ").append(r.corpus()).append(" -> ").append(r.rewritten());
      refused.append("\n    ").append(m.group(3));
    }
    System.out.printf(
        "LabelEnforcerCorpusTest: promtool checked %d rewritten expressions%n", rewrites.size());
    assertThat(refused).as("rewrites promtool refuses").isEmpty();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("SUCCESS");
  }

  private static List<String> remove(List<String> list, int index) {
    List<String> out = new ArrayList<>(list);
    out.remove(index);
    return out;
  }

  private static List<String> matchers(Expr.VectorSelector selector) {
    return selector.matchers().stream().map(LabelEnforcerCorpusTest::matcher).toList();
  }

  private static String matcher(LabelMatcher m) {
    return m.name() + m.type().symbol() + Lexer.quote(m.value());
  }

  private static Map<String, Object> ruleFile(String expression) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("alert", "CorpusExpression");
    rule.put("expr", expression);
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", "corpus");
    group.put("rules", List.of(rule));
    return Map.of("groups", List.of(group));
  }
}
