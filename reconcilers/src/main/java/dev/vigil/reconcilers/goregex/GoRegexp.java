package dev.vigil.reconcilers.goregex;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Go's {@code regexp}, which Prometheus (relabeling, PromQL label matchers), Alertmanager (route
 * and inhibition matchers) and the OpenTelemetry Collector (tail sampling) compile every regular
 * expression with: the one check of a regular expression before it reaches any of them.
 *
 * <p>{@link #check} answers as {@code regexp.Compile} of Go 1.26 does (the Go the tools Vigil runs
 * are built with), with Go's message. Java's {@code java.util.regex} is not that check: it takes
 * lookaround ({@code (?=x)}), backreferences ({@code \1}), possessive quantifiers ({@code a*+}),
 * atomic groups and escapes such as {@code \Z}, each of which makes the tool refuse its whole
 * configuration. RE2/J, a Java port of an older Go, is not that check either: it accepts repeats
 * nested past 1000 ({@code (a{100}){100}}), trees nested past 1000 levels, escaped non-ASCII letters
 * and scripts Go no longer looks up ({@code \p{Old_Italic}}), and it refuses what newer Go accepts
 * (a name used by two groups, {@code \p{Letter}}, {@code \p{greek}}, the scripts of Unicode 6.1 and
 * later, a literal {@code {} before a repetition). {@link GoSyntax} parses as Go does instead, and
 * RE2/J only runs what it has checked, rewritten (see {@link GoSyntax}).
 *
 * <p>Each tool wraps the expression before compiling it, and the caller passes what the tool
 * compiles: {@code ^(?s:<regex>)$} for Prometheus's relabeling and label matchers, {@code
 * ^(?:<regex>)$} for Alertmanager's matchers, the regex itself for the collector. The wrapping
 * matters: {@code a)|(b} is refused alone, and accepted, wrapped, by Prometheus's relabeling.
 */
public final class GoRegexp {
  /**
   * The largest program Vigil compiles to evaluate an expression itself, in Go's instructions (Go
   * allows 3.3 million, which RE2/J builds in some 300 MB): a list of a thousand metric names takes
   * some 30,000.
   */
  public static final long MAX_EVALUATED_SIZE = 200_000;

  private GoRegexp() {}

  /**
   * Which of Go's parsers reads an expression. They differ only in how {@code \p{name}} looks a
   * name up.
   */
  public enum Dialect {
    /**
     * Go 1.26's {@code regexp/syntax}, behind every {@code regexp.Compile}: Prometheus's relabeling
     * (its grafana/regexp compiles with the standard parser), Alertmanager, the collector. Names
     * are looked up blind to case, spaces, {@code _} and {@code -}, and Unicode's aliases ({@code
     * Letter}) too.
     */
    GO,
    /**
     * grafana/regexp's {@code syntax}, a copy of Go 1.24.7's parser, with which Prometheus parses
     * the value of a PromQL label matcher before it compiles it with Go's: names are looked up
     * exactly as Go's tables spell them ({@code \p{Greek}}, {@code \p{Old_Italic}}; not {@code
     * \p{greek}} or {@code \p{Letter}}).
     */
    PROMQL_MATCHER
  }

  /** An expression compiled to match as Go matches, and its groups' names as Go reports them. */
  public record Compiled(Pattern pattern, List<String> subexpNames) {}

  /**
   * The regex as Prometheus compiles it for relabeling and for PromQL label matchers: anchored at
   * both ends, {@code .} matching a newline too.
   */
  public static String anchoredAsPrometheus(String regex) {
    return "^(?s:" + regex + ")$";
  }

  /** The regex as Alertmanager compiles a matcher's value: anchored at both ends. */
  public static String anchoredAsAlertmanager(String regex) {
    return "^(?:" + regex + ")$";
  }

  /** Why Go's {@code regexp.Compile(expr)} fails, or empty when it compiles. */
  public static Optional<RegexpError> check(String expr) {
    return check(expr, Dialect.GO);
  }

  /** Why the dialect's parser refuses the expression, or empty when it takes it. */
  public static Optional<RegexpError> check(String expr, Dialect dialect) {
    return Optional.ofNullable(parse(expr, dialect).error());
  }

  private static GoSyntax.Result parse(String expr, Dialect dialect) {
    return GoSyntax.parse(expr, dialect == Dialect.PROMQL_MATCHER);
  }

  /**
   * Whether the expression matches the empty string as a whole; worked out on its parse, with no
   * program built.
   *
   * @throws InvalidRegexpException when Go refuses the expression
   */
  public static boolean matchesEmpty(String expr, Dialect dialect) {
    GoSyntax.Result parsed = parse(expr, dialect);
    if (parsed.error() != null) {
      throw new InvalidRegexpException(parsed.error());
    }
    return parsed.matchesEmpty();
  }

  /**
   * The expression compiled with RE2/J, to match as Go would match it. Group names are Go's ({@code
   * subexpNames}, index 0 the whole match, "" for an unnamed group); the pattern's own names are
   * not.
   *
   * @throws InvalidRegexpException when Go refuses the expression
   * @throws IllegalArgumentException when Go accepts it but Vigil cannot run it: larger than {@link
   *     #MAX_EVALUATED_SIZE}, or refused by RE2/J
   */
  public static Compiled compile(String expr) {
    GoSyntax.Result parsed = parse(expr, Dialect.GO);
    if (parsed.error() != null) {
      throw new InvalidRegexpException(parsed.error());
    }
    if (parsed.size() > MAX_EVALUATED_SIZE) {
      throw new IllegalArgumentException(
          "the regular expression compiles to some %d instructions; Vigil evaluates up to %d"
              .formatted(parsed.size(), MAX_EVALUATED_SIZE));
    }
    try {
      return new Compiled(Pattern.compile(parsed.re2j()), parsed.subexpNames());
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "Go accepts the regular expression, but RE2/J cannot run it: " + e.getMessage(), e);
    }
  }
}
