package dev.vigil.reconcilers.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.reconcilers.grafana.Datasources.Query;
import dev.vigil.reconcilers.promql.ParseError;
import dev.vigil.reconcilers.promql.PromQL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboards Vigil ships are valid Grafana dashboards (the fields Grafana needs to import and
 * draw them), and every PromQL expression in them, with its template variables replaced by sample
 * values, passes Vigil's parser and the real {@code promtool check rules} ({@code VIGIL_PROMTOOL}).
 * The queries the Jaeger data sources link to are checked the same way.
 */
class ShippedDashboardsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path RESOURCES = Path.of("src/main/resources/dashboards");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*\\w+\\)");

  static Stream<String> files() {
    return ShippedDashboards.all().keySet().stream();
  }

  @Test
  void everyResourceIsShippedAndEveryUidIsUnique() throws IOException {
    try (Stream<Path> listed = Files.list(RESOURCES)) {
      assertThat(listed.map(p -> p.getFileName().toString()).sorted())
          .containsExactlyElementsOf(ShippedDashboards.all().keySet());
    }
    assertThat(ShippedDashboards.all()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(ShippedDashboards.uids()).hasSameSizeAs(ShippedDashboards.all().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void isAValidGrafanaDashboard(String file) throws IOException {
    JsonNode d = JSON.readTree(ShippedDashboards.all().get(file));
    assertThat(d.isObject()).isTrue();
    assertThat(GrafanaUids.valid(d.path("uid").asText())).as("uid ≤ 40 of [a-zA-Z0-9_-]").isTrue();
    assertThat(file).isEqualTo(d.get("uid").asText() + ".json");
    assertThat(d.path("title").asText()).isNotBlank();
    assertThat(d.path("schemaVersion").isInt()).isTrue();
    assertThat(d.has("id")).as("no id: Grafana assigns it").isFalse();
    assertThat(d.path("editable").asBoolean(true)).as("provisioned, so not editable").isFalse();

    Map<String, JsonNode> variables = new LinkedHashMap<>();
    d.path("templating").path("list").forEach(v -> variables.put(v.get("name").asText(), v));
    assertThat(variables).containsKey("datasource");
    assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
    assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");

    JsonNode panels = d.path("panels");
    assertThat(panels.isArray() && !panels.isEmpty()).as("panels").isTrue();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : panels) {
      String where = file + " panel " + p.path("title").asText();
      assertThat(ids.add(p.path("id").asInt(-1))).as("%s: unique id", where).isTrue();
      assertThat(p.path("type").asText()).as("%s: type", where).isNotBlank();
      assertThat(p.path("title").asText()).as("%s: title", where).isNotBlank();
      JsonNode grid = p.path("gridPos");
      for (String f : List.of("h", "w", "x", "y")) {
        assertThat(grid.path(f).isInt()).as("%s: gridPos.%s", where, f).isTrue();
      }
      assertThat(grid.get("x").asInt() + grid.get("w").asInt())
          .as("%s: fits 24 columns", where)
          .isLessThanOrEqualTo(24);
      assertThat(p.at("/datasource/uid").asText())
          .as("%s: datasource", where)
          .isEqualTo("${datasource}");
      JsonNode targets = p.path("targets");
      assertThat(targets.isArray() && !targets.isEmpty()).as("%s: targets", where).isTrue();
      Set<String> refIds = new HashSet<>();
      for (JsonNode t : targets) {
        assertThat(refIds.add(t.path("refId").asText())).as("%s: unique refId", where).isTrue();
        String expr = t.path("expr").asText();
        assertThat(expr).as("%s: expr", where).isNotBlank();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
          String name =
              m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
          if (!name.startsWith("__")) {
            assertThat(variables).as("%s: variable $%s is defined", where, name).containsKey(name);
          }
        }
      }
    }
  }

  @Test
  void everyExpressionPassesVigilsParser() throws IOException {
    StringBuilder failures = new StringBuilder();
    List<Expression> expressions = expressions();
    for (Expression e : expressions) {
      Optional<ParseError> error = PromQL.check(e.promql());
      error.ifPresent(
          err ->
              failures
                  .append("\n  ")
                  .append(e.where())
                  .append(": ")
                  .append(e.promql())
                  .append("\n    ")
                  .append(err));
    }
    assertThat(expressions).hasSizeGreaterThan(40);
    assertThat(failures).as("expressions Vigil's parser refuses").isEmpty();
  }

  @Test
  void everyExpressionPassesPromtool(@TempDir Path dir) throws Exception {
    String promtool = System.getenv("VIGIL_PROMTOOL");
    assertThat(promtool)
        .as(
            "VIGIL_PROMTOOL is not set: run the tests through `make test`, which installs"
                + " promtool and sources ~/.cache/vigil-tools/env.sh")
        .isNotBlank();
    List<Expression> expressions = expressions();
    List<Map<String, Object>> rules = new ArrayList<>();
    for (int n = 0; n < expressions.size(); n++) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("record", String.format("vigil:dashboard_expression:%03d", n));
      rule.put("expr", expressions.get(n).promql());
      rules.add(rule);
    }
    Path file = dir.resolve("dashboards.rules.yaml");
    YAML.writeValue(
        file.toFile(), Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules))));
    Process process =
        new ProcessBuilder(promtool, "check", "rules", "--lint=none", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished in time").isTrue();
    StringBuilder index = new StringBuilder();
    for (int n = 0; n < expressions.size(); n++) {
      index.append(String.format("%n  %03d %s", n, expressions.get(n).where()));
    }
    assertThat(process.exitValue())
        .as("promtool check rules refused an expression:%n%s%nexpressions:%s", output, index)
        .isZero();
    assertThat(output).contains("SUCCESS: " + expressions.size() + " rules found");
  }

  record Expression(String where, String promql) {}

  /** Every panel target, variable query and trace-to-metrics query, variables replaced. */
  static List<Expression> expressions() throws IOException {
    List<Expression> all = new ArrayList<>();
    for (Map.Entry<String, String> e : ShippedDashboards.all().entrySet()) {
      JsonNode d = JSON.readTree(e.getValue());
      for (JsonNode p : d.path("panels")) {
        for (JsonNode t : p.path("targets")) {
          all.add(
              new Expression(
                  e.getKey()
                      + " panel \""
                      + p.path("title").asText()
                      + "\" "
                      + t.path("refId").asText(),
                  substitute(t.path("expr").asText())));
        }
      }
      for (JsonNode v : d.path("templating").path("list")) {
        String query = v.path("query").path("query").asText(v.path("query").asText());
        Matcher m = LABEL_VALUES.matcher(query);
        if (m.matches()) {
          all.add(
              new Expression(
                  e.getKey() + " variable " + v.path("name").asText(), substitute(m.group(1))));
        }
      }
    }
    for (Query q : DatasourcesBuilder.TRACE_METRIC_QUERIES) {
      all.add(
          new Expression(
              "trace-to-metrics query \"" + q.name() + "\"",
              q.query().replace("$__tags", "namespace=\"shop\",service=\"checkout\"")));
      all.add(
          new Expression(
              "trace-to-metrics query \"" + q.name() + "\" without tags",
              q.query().replace("$__tags", "")));
    }
    return all;
  }

  /** Grafana's built-in interval variables become durations, the dashboard's variables values. */
  static String substitute(String expr) {
    String s =
        expr.replace("${__rate_interval}", "5m")
            .replace("$__rate_interval", "5m")
            .replace("${__interval}", "1m")
            .replace("$__interval", "1m")
            .replace("$__range", "1h");
    return VARIABLE.matcher(s).replaceAll("sample");
  }

  @Test
  void substitutionLeavesNoVariable() {
    assertThat(substitute("rate(x{a=~\"$job\",b=\"${node}\",c=\"[[ns]]\"}[$__rate_interval])"))
        .isEqualTo("rate(x{a=~\"sample\",b=\"sample\",c=\"sample\"}[5m])");
  }
}
