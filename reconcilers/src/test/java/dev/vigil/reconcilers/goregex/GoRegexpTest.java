package dev.vigil.reconcilers.goregex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every verdict and message here is Go 1.26's ({@code regexp.Compile}, the Go promtool, amtool and
 * otelcol are built with), checked against it when written; {@code RegexAgreementPromtoolTest}
 * checks generated expressions against promtool and amtool themselves.
 */
class GoRegexpTest {
  private static String goMessage(String expr) {
    return GoRegexp.check(expr).map(RegexpError::message).orElse("OK");
  }

  /** What java.util.regex accepts and Go refuses: each made a whole shard's config fail. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '"',
      value = {
        "(?=x) => error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
        "(?!x) => error parsing regexp: invalid or unsupported Perl syntax: `(?!`",
        "(?<=x)y => error parsing regexp: invalid named capture: `(?<=x)y`",
        "(?<!x)y => error parsing regexp: invalid named capture: `(?<!x)y`",
        "(?>x) => error parsing regexp: invalid or unsupported Perl syntax: `(?>`",
        "(a)\\1 => error parsing regexp: invalid escape sequence: `\\1`",
        "a*+ => error parsing regexp: invalid nested repetition operator: `*+`",
        "a++ => error parsing regexp: invalid nested repetition operator: `++`",
        "a{2}+ => error parsing regexp: invalid nested repetition operator: `{2}+`",
        "\\C => error parsing regexp: invalid escape sequence: `\\C`",
        "\\Z => error parsing regexp: invalid escape sequence: `\\Z`",
        "\\h => error parsing regexp: invalid escape sequence: `\\h`",
        "\\8 => error parsing regexp: invalid escape sequence: `\\8`",
        "(?P=n) => error parsing regexp: invalid or unsupported Perl syntax: `(?P`",
        "(?'n'a) => error parsing regexp: invalid or unsupported Perl syntax: `(?'`",
        "(?P<>x) => error parsing regexp: invalid named capture: `(?P<>`",
        "a{1001} => error parsing regexp: invalid repeat count: `{1001}`",
        "a{2,1001} => error parsing regexp: invalid repeat count: `{2,1001}`",
        "{1} => error parsing regexp: missing argument to repetition operator: `{1}`",
        "a|* => error parsing regexp: missing argument to repetition operator: `*`",
        "a** => error parsing regexp: invalid nested repetition operator: `**`",
        "a*?* => error parsing regexp: invalid nested repetition operator: `*?*`",
        "(abc => error parsing regexp: missing closing ): `(abc`",
        "a)|(b => error parsing regexp: unexpected ): `a)|(b`",
        "[a => error parsing regexp: missing closing ]: `[a`",
        "[z-a] => error parsing regexp: invalid character class range: `z-a`",
        "[[:foo:]] => error parsing regexp: invalid character class range: `[:foo:]`",
        "\\x{110000} => error parsing regexp: invalid escape sequence: `\\x{110000`",
        "(?i-) => error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`",
        "\\ => error parsing regexp: trailing backslash at end of expression: ``",
      })
  void refusesWhatGoRefusesWithGosMessage(String regex, String message) {
    assertThat(goMessage(regex)).isEqualTo(message);
  }

  /**
   * What RE2/J (a port of an older Go) accepts and Go 1.26 refuses: a letter escaped that is not
   * ASCII, repeats nested past 1000 in all, and the scripts whose own names Go's lookup can no
   * longer reach since it made names case- and underscore-blind.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\\é                | error parsing regexp: invalid escape sequence: `\\é`",
        "(a{100}){100}      | error parsing regexp: invalid repeat count: `{100}`",
        "((a{10}){10}){11}  | error parsing regexp: invalid repeat count: `{11}`",
        "(?:a{2}){501}      | error parsing regexp: invalid repeat count: `{501}`",
        "\\p{Old_Italic}    | error parsing regexp: invalid character class range: `\\p{Old_Italic}`",
        "\\p{SignWriting}   | error parsing regexp: invalid character class range: `\\p{SignWriting}`",
        "\\p{L&}            | error parsing regexp: invalid character class range: `\\p{L&}`",
        "\\p{IsGreek}       | error parsing regexp: invalid character class range: `\\p{IsGreek}`",
        "\\p{               | error parsing regexp: invalid character class range: `\\p{`",
        "\\p                | error parsing regexp: invalid character class range: `\\p`",
      })
  void refusesWhatRe2jAcceptsAndGoRefuses(String regex, String message) {
    assertThat(goMessage(regex)).isEqualTo(message);
  }

  /** What Go 1.26 accepts, though RE2/J or java.util.regex refuses or reads it otherwise. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\\z",
        "(?P<name>a)",
        "(?<name>a)",
        "(?<n>a)(?<n>b)",
        "(?P<1a>x)",
        "a{1000}",
        "(a{10}){100}",
        "((a{10}){10}){10}",
        "(a{2}){0}",
        "\\pL",
        "\\pl",
        "\\p{Greek}",
        "\\p{greek}",
        "\\p{GREEK}",
        "\\p{gre_ek}",
        "\\p{Letter}",
        "\\p{uppercase letter}",
        "\\p{Any}",
        "\\p{ASCII}",
        "\\p{Assigned}",
        "\\p{Cn}",
        "\\p{LC}",
        "\\p{Adlam}",
        "\\p{Kawi}",
        "\\p{^Greek}",
        "\\P{^Greek}",
        "[\\p{Tangsa}\\d]",
        "{{1}",
        "a{,5}",
        "x{2}{",
        "a{01}",
        "\\Q(?=\\E",
        "\\Q\\é",
        "[[:^alpha:]]",
        "[]a]",
        "\\0",
        "\\012",
        "a*(?i)*",
        "]{2}?\\Q\\E{0}",
        "(?i)\\x{1C80}",
        "(?)",
        "(?i-s:a)"
      })
  void acceptsWhatGoAccepts(String regex) {
    assertThat(GoRegexp.check(regex)).isEmpty();
    assertThat(GoRegexp.compile(regex).pattern()).isNotNull();
  }

  /**
   * Prometheus parses a PromQL label matcher with grafana/regexp's copy of Go 1.24's parser, which
   * looks Unicode class names up exactly as written (promtool 3.16 checked).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\\p{Greek}       | OK",
        "\\p{Old_Italic}  | OK",
        "\\p{SignWriting} | OK",
        "\\p{LC}          | OK",
        "\\p{Cn}          | OK",
        "\\p{Any}         | OK",
        "\\pL             | OK",
        "\\p{greek}       | error parsing regexp: invalid character class range: `\\p{greek}`",
        "\\p{Letter}      | error parsing regexp: invalid character class range: `\\p{Letter}`",
        "\\pl             | error parsing regexp: invalid character class range: `\\pl`",
        "\\p{ASCII}       | error parsing regexp: invalid character class range: `\\p{ASCII}`",
        "\\p{Assigned}    | error parsing regexp: invalid character class range: `\\p{Assigned}`",
      })
  void promqlMatchersLookNamesUpAsGo124Did(String regex, String message) {
    assertThat(
            GoRegexp.check(regex, GoRegexp.Dialect.PROMQL_MATCHER)
                .map(RegexpError::message)
                .orElse("OK"))
        .isEqualTo(message);
  }

  /** Go's limits: a tree 1000 deep, a program of 3.3 million instructions. */
  @Test
  void limitsAreGos() {
    String deep999 = "(".repeat(999) + "a" + ")".repeat(999);
    String deep1000 = "(".repeat(1000) + "a" + ")".repeat(1000);
    assertThat(GoRegexp.check(deep999)).isEmpty();
    // Anchored, the same expression is two levels deeper: Prometheus refuses it.
    assertThat(GoRegexp.check(GoRegexp.anchoredAsPrometheus(deep999)))
        .map(RegexpError::code)
        .contains(RegexpError.NESTING_DEPTH);
    assertThat(GoRegexp.check(deep1000))
        .map(RegexpError::code)
        .contains("expression nests too deeply");
    // Non-capturing groups leave no level of their own.
    assertThat(GoRegexp.check("(?:".repeat(2000) + "a" + ")".repeat(2000))).isEmpty();
    assertThat(GoRegexp.check("x{1000}".repeat(3354))).isEmpty();
    assertThat(GoRegexp.check("x{1000}".repeat(3356)))
        .map(RegexpError::code)
        .contains("expression too large");
  }

  /** Each tool compiles its own wrapping, and the wrapping changes the verdict. */
  @Test
  void theWrappingIsPartOfTheCheck() {
    assertThat(GoRegexp.check("a)|(b")).isPresent();
    assertThat(GoRegexp.check(GoRegexp.anchoredAsPrometheus("a)|(b"))).isEmpty();
    assertThat(GoRegexp.check(GoRegexp.anchoredAsAlertmanager("a)|(b"))).isEmpty();
    assertThat(GoRegexp.check(GoRegexp.anchoredAsPrometheus("[a")).map(RegexpError::message))
        .contains("error parsing regexp: missing closing ]: `[a)$`");
    assertThat(GoRegexp.check(GoRegexp.anchoredAsPrometheus("(abc")).map(RegexpError::message))
        .contains("error parsing regexp: missing closing ): `^(?s:(abc)$`");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "(?=x)    | lookaround and atomic groups ((?=) are not supported",
        "(?<!x)y  | lookaround and atomic groups ((?<!) are not supported",
        "(?>x)    | lookaround and atomic groups ((?>) are not supported",
        "(a)\\1   | backreferences (\\1) are not supported",
        "a*+      | possessive quantifiers (*+) are not supported",
        "a{2}+    | possessive quantifiers ({2}+) are not supported",
        "a**      | invalid nested repetition operator: `**`",
        "a{1001}  | invalid repeat count: `{1001}`",
        "(abc     | missing closing )",
        "\\       | trailing backslash at end of expression",
      })
  void reasonsSayPerlConstructsInPlainWords(String regex, String reason) {
    assertThat(GoRegexp.check(regex).map(RegexpError::reason)).contains(reason);
  }

  private static boolean matches(String regex, String value) {
    return GoRegexp.compile(GoRegexp.anchoredAsPrometheus(regex)).pattern().matcher(value).find();
  }

  /**
   * RE2/J's own case folding never returns for a letter its Unicode 6.0 tables lack and the JVM
   * knows (U+1C80 here); Vigil folds case itself, as Go's orbits do.
   */
  @Test
  @Timeout(10)
  void caseFoldingIsGosAndNeverHangs() {
    assertThat(matches("(?i)\\x{1C80}", "в")).isTrue();
    assertThat(matches("(?i)\\x{1C80}", "В")).isTrue();
    assertThat(matches("(?i)[\\x{1000}-\\x{2000}]", "\u1c80")).isTrue();
    assertThat(matches("(?i)k", "\u212a")).isTrue();
    assertThat(matches("(?i)\\w", "\u017f")).isTrue();
    assertThat(matches("(?i)\\W", "\u017f")).isFalse();
    assertThat(matches("(?i)[^k]", "\u212a")).isFalse();
    assertThat(matches("(?i)\\P{Lu}", "A")).isFalse();
    assertThat(matches("(?i)i", "\u0131")).isFalse();
    assertThat(matches("(?i)i", "\u0130")).isFalse();
    assertThat(matches("(?i:a)b", "AB")).isFalse();
    assertThat(matches("(?i:a)b", "Ab")).isTrue();
    assertThat(matches("a(?i)b", "aB")).isTrue();
  }

  @Test
  void compiledExpressionsMatchAsGoMatches() {
    assertThat(matches("a*(?i)*", "aaa")).isTrue();
    assertThat(matches("]{2}?\\Q\\E{0}", "")).isTrue();
    assertThat(matches("]{2}?\\Q\\E{0}", "]]")).isFalse();
    assertThat(matches("{{2}", "{{")).isTrue();
    assertThat(matches("\\p{greek}+", "αβγ")).isTrue();
    assertThat(matches("\\p{Letter}", "1")).isFalse();
    assertThat(matches("\\p{Assigned}", "\u0378")).isFalse();
    assertThat(matches(".", "\n")).isTrue();
    assertThat(matches("(?-s:.)", "\n")).isFalse();
    GoRegexp.Compiled twice = GoRegexp.compile("(?<n>a)|(?<n>b)");
    assertThat(twice.subexpNames()).containsExactly("", "n", "n");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'.*', true",
    "'a*', true",
    "'a+', false",
    "'(a|)', true",
    "'x{0}', true",
    "'x{0,2}', true",
    "'x{1,2}', false",
    "'\\b', false",
    "'\\B', true",
    "'^$', true",
    "'\\A\\z', true",
    "'[^\\x00-\\x{10FFFF}]*', true",
    "'(?:a|b)*c?', true",
    "'.', false"
  })
  void matchingTheEmptyStringIsWorkedOutOnTheParse(String regex, boolean empty) {
    String anchored = GoRegexp.anchoredAsPrometheus(regex);
    assertThat(GoRegexp.matchesEmpty(anchored, GoRegexp.Dialect.GO)).isEqualTo(empty);
    assertThat(GoRegexp.compile(anchored).pattern().matcher("").find()).isEqualTo(empty);
  }

  @Test
  void whatGoRefusesDoesNotCompile() {
    assertThatThrownBy(() -> GoRegexp.compile("(?=x)"))
        .isInstanceOf(InvalidRegexpException.class)
        .hasMessage("error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    assertThatThrownBy(() -> GoRegexp.matchesEmpty("a**", GoRegexp.Dialect.GO))
        .isInstanceOf(InvalidRegexpException.class);
  }

  /** Go takes 3.3 million instructions; Vigil builds at most 200,000 to evaluate one itself. */
  @Test
  void whatIsTooLargeToEvaluateIsSaidSo() {
    String large = "x{1000}".repeat(300);
    assertThat(GoRegexp.check(large)).isEmpty();
    assertThatThrownBy(() -> GoRegexp.compile(large))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(InvalidRegexpException.class)
        .hasMessageContaining("Vigil evaluates up to 200000");
  }
}
