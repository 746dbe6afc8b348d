package dev.vigil.reconcilers.promql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code promtool check rules} of the Prometheus version Vigil runs (3.16, installed by
 * {@code make test}) judges every corpus expression as our parser does.
 *
 * <p>Each expression is the {@code expr} of an alerting rule in a file of its own (written with
 * Jackson YAML, so quoting is YAML's business), and one promtool run checks all the files: promtool
 * names the file of each error, so the verdicts are per expression, for one process start.
 */
class PromQLPromtoolTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern FAILED_FILE =
      Pattern.compile("(?m)^(\\S*?rule-(\\d{4})\\.yaml): (.*)$");

  @Test
  void promtoolAndTheParserAgreeOnEveryCorpusExpression(@TempDir Path dir) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as(
            "VIGIL_PROMTOOL is not set: run the tests through `make test`, which installs"
                + " promtool and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();

    List<Corpus> corpus = Corpus.load();
    List<String> command = new ArrayList<>(List.of(promtool, "check", "rules", "--lint=none"));
    for (int n = 0; n < corpus.size(); n++) {
      Path file = dir.resolve(String.format("rule-%04d.yaml", n));
      YAML.writeValue(file.toFile(), ruleFile(corpus.get(n).expression()));
      command.add(file.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("promtool finished in time").isTrue();

    Map<Integer, String> promtoolErrors = new LinkedHashMap<>();
    Matcher m = FAILED_FILE.matcher(output);
    while (m.find()) {
      promtoolErrors.put(Integer.parseInt(m.group(2)), m.group(3));
    }
    assertThat(output).as("promtool checked every file").contains("SUCCESS");
    assertThat(promtoolErrors).as("promtool refused some expressions").isNotEmpty();

    StringBuilder disagreements = new StringBuilder();
    int agreed = 0;
    int bothRefused = 0;
    int sameMessage = 0;
    for (int n = 0; n < corpus.size(); n++) {
      Corpus c = corpus.get(n);
      Optional<ParseError> ours = PromQL.check(c.expression());
      String theirs = promtoolErrors.get(n);
      if (ours.isPresent() && theirs != null) {
        bothRefused++;
        if (theirs.endsWith("could not parse expression: " + ours.get())) {
          sameMessage++;
        }
      }
      if (ours.isPresent() == (theirs != null)) {
        agreed++;
        continue;
      }
      disagreements
          .append("\n  ")
          .append(c)
          .append("\n    promtool: ")
          .append(theirs == null ? "valid" : theirs)
          .append("\n    Vigil:    ")
          .append(ours.map(ParseError::toString).orElse("valid"));
    }
    assertThat(disagreements)
        .as(
            "expressions promtool and Vigil judge differently (%d of %d agree)",
            agreed, corpus.size())
        .isEmpty();
    // Positions and messages follow promtool's too, except the wording of rarer regex errors.
    assertThat(sameMessage)
        .as(
            "errors reported with promtool's exact position and message (%d of %d)",
            sameMessage, bothRefused)
        .isGreaterThanOrEqualTo(bothRefused * 98 / 100);
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
