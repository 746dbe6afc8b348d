package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.logpipeline.LogParsing;
import dev.vigil.api.v1alpha1.logpipeline.LogPipelineSpec;
import dev.vigil.api.v1alpha1.logpipeline.MultilineRule;
import dev.vigil.reconcilers.collector.CollectorConfig.ContainerParser;
import dev.vigil.reconcilers.collector.CollectorConfig.JsonParser;
import dev.vigil.reconcilers.collector.CollectorConfig.LogOperator;
import dev.vigil.reconcilers.collector.CollectorConfig.MoveOperator;
import dev.vigil.reconcilers.collector.CollectorConfig.ParseFrom;
import dev.vigil.reconcilers.collector.CollectorConfig.Recombine;
import dev.vigil.reconcilers.collector.CollectorConfig.RegexParser;
import dev.vigil.reconcilers.collector.CollectorConfig.RemoveOperator;
import dev.vigil.reconcilers.collector.CollectorConfig.SeverityParser;
import dev.vigil.reconcilers.collector.CollectorConfig.TraceParser;
import dev.vigil.reconcilers.goregex.GoRegexp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The stanza operators of a LogPipeline's {@code filelog} receiver, in the order each line passes
 * through them:
 *
 * <ol>
 *   <li>{@code container}: the CRI or Docker JSON line format (detected per line), partial lines
 *       ({@code P}) joined, namespace, pod, uid and container names from the file's path;
 *   <li>one {@code recombine} per multiline rule: lines that do not match the rule's first-line
 *       pattern join the record before them, per file, for the rule's containers only;
 *   <li>with JSON parsing on: {@code json_parser} on lines that are JSON objects (fields to
 *       attributes), {@code traceId}/{@code spanId} and {@code severity} moved to the names the
 *       next operators read, and {@code trace_parser}, which puts {@code trace_id} and {@code
 *       span_id} in the record's trace context (the link from a log line to its trace);
 *   <li>with severity parsing on: the level of a plain-text line, from {@code level=...} or an
 *       upper-case level word;
 *   <li>{@code severity_parser} from that level;
 *   <li>{@code remove} of the file path and CRI tag, needed until here and noise after.
 * </ol>
 *
 * Each parser passes an entry it cannot parse through unchanged ({@code on_error: send_quiet}).
 */
final class LogFileOperators {
  /**
   * A plain-text line's level: {@code level=warn} (logfmt) in its first 200 characters, or a level
   * word in upper case in its first 80 (after a timestamp, a thread, a logger). Anchored and
   * bounded, so a line without one costs a short scan, not a search of the whole line: these run on
   * every record.
   */
  static final String LOGFMT_LEVEL = "^.{0,200}?\\blevel=\"?(?P<level>[A-Za-z]+)";

  static final String LEVEL_WORD =
      "^.{0,80}?\\b(?P<level>TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL|PANIC)\\b";

  /** Level names beyond the collector's own (trace, debug, info, warn, error, fatal, any case). */
  static final SortedMap<String, List<String>> SEVERITY_NAMES =
      new TreeMap<>(
          Map.of(
              "info", List.of("notice", "NOTICE", "Notice"),
              "warn", List.of("warning", "WARNING", "Warning"),
              "error", List.of("err", "ERR"),
              "fatal", List.of("critical", "CRITICAL", "Critical", "panic", "PANIC", "Panic")));

  private static final String SEND_QUIET = "send_quiet";

  private LogFileOperators() {}

  static List<LogOperator> of(LogPipelineSpec spec, int maxRecordBytes, CollectorBuild build) {
    List<LogOperator> operators = new ArrayList<>();
    operators.add(new ContainerParser("container", "container", maxRecordBytes, null));
    List<MultilineRule> rules = spec.multiline == null ? List.of() : spec.multiline;
    for (int i = 0; i < rules.size(); i++) {
      MultilineRule rule = rules.get(i);
      String field = "spec.multiline[" + i + "]";
      if (rule == null || rule.firstLinePattern == null || rule.firstLinePattern.isEmpty()) {
        build.problem(field, "firstLinePattern is required; the rule is left out");
        continue;
      }
      var error = GoRegexp.check(rule.firstLinePattern);
      if (error.isPresent()) {
        build.problem(
            field + ".firstLinePattern",
            "not an RE2 regular expression (" + error.get().message() + "); the rule is left out");
        continue;
      }
      operators.add(
          new Recombine(
              "recombine",
              "multiline-" + i,
              ruleCondition(rules, i),
              "body",
              // The collector expands ${...} in its whole file, a regex's $ included: $$ is a $.
              ("body matches " + exprString(rule.firstLinePattern)).replace("$", "$$"),
              null, // joined with "\n", the default
              "attributes[\"log.file.path\"]",
              maxRecordBytes,
              "5s"));
    }
    LogParsing parsing = Objects.requireNonNullElseGet(spec.parsing, LogParsing::new);
    boolean json = !Boolean.FALSE.equals(parsing.json);
    boolean severity = !Boolean.FALSE.equals(parsing.severity);
    if (json) {
      operators.add(
          new JsonParser(
              "json_parser",
              "json",
              "body matches " + exprString("^\\s*\\{"),
              "body",
              "attributes",
              SEND_QUIET));
      operators.add(rename("trace-id", "traceId", "trace_id"));
      operators.add(rename("span-id", "spanId", "span_id"));
      operators.add(rename("severity-field", "severity", "level"));
      operators.add(
          new TraceParser(
              "trace_parser",
              "trace",
              "attributes[\"trace_id\"] != nil",
              new ParseFrom("attributes.trace_id"),
              new ParseFrom("attributes.span_id"),
              SEND_QUIET));
    }
    if (severity) {
      operators.add(levelFromText("level-logfmt", LOGFMT_LEVEL));
      operators.add(levelFromText("level-word", LEVEL_WORD));
    }
    if (json || severity) {
      operators.add(
          new SeverityParser(
              "severity_parser",
              "severity",
              "attributes[\"level\"] != nil",
              "attributes.level",
              SEVERITY_NAMES,
              SEND_QUIET));
    }
    operators.add(remove("drop-path", "log.file.path"));
    operators.add(remove("drop-logtag", "logtag"));
    return operators;
  }

  /**
   * Which containers rule {@code i} joins lines of: those it names, or, for a rule naming none,
   * every container no other rule names (so no record is joined twice); null for every container.
   */
  static String ruleCondition(List<MultilineRule> rules, int i) {
    MultilineRule rule = rules.get(i);
    if (rule.containers != null && rule.containers.stream().anyMatch(Objects::nonNull)) {
      return containerCondition(rule.containers);
    }
    List<String> named = new ArrayList<>();
    for (int j = 0; j < rules.size(); j++) {
      MultilineRule other = rules.get(j);
      if (j != i && other != null && other.containers != null) {
        other.containers.stream().filter(Objects::nonNull).forEach(named::add);
      }
    }
    return named.isEmpty() ? null : "not (" + containerCondition(named) + ")";
  }

  /**
   * {@code resource["k8s.container.name"] in [...]}, or null (every container) when no name is
   * given.
   */
  static String containerCondition(List<String> containers) {
    if (containers == null || containers.stream().noneMatch(Objects::nonNull)) {
      return null;
    }
    return "resource[\"k8s.container.name\"] in ["
        + containers.stream()
            .filter(Objects::nonNull)
            .distinct()
            .sorted()
            .map(LogFileOperators::exprString)
            .collect(Collectors.joining(", "))
        + "]";
  }

  /** A string literal of the expr language, in double quotes. */
  static String exprString(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static MoveOperator rename(String id, String from, String to) {
    return new MoveOperator(
        "move",
        id,
        "attributes[\"" + from + "\"] != nil and attributes[\"" + to + "\"] == nil",
        "attributes[\"" + from + "\"]",
        "attributes[\"" + to + "\"]");
  }

  private static RegexParser levelFromText(String id, String regex) {
    return new RegexParser(
        "regex_parser",
        id,
        "attributes[\"level\"] == nil and type(body) == \"string\"",
        regex,
        "body",
        "attributes",
        SEND_QUIET);
  }

  private static RemoveOperator remove(String id, String attribute) {
    return new RemoveOperator(
        "remove",
        id,
        "attributes[\"" + attribute + "\"] != nil",
        "attributes[\"" + attribute + "\"]");
  }
}
