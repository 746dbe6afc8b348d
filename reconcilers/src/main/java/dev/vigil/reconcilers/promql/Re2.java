package dev.vigil.reconcilers.promql;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Prometheus compiles label matcher regexes with Go's RE2 syntax; Java's {@link Pattern} differs.
 * This class refuses what RE2 refuses but Java would accept (lookaround, backreferences,
 * possessive quantifiers, atomic groups, repeat counts over 1000, Java-only escapes), and
 * translates what RE2 accepts but Java reads differently ({@code (?P<name>...)}, POSIX classes
 * {@code [[:alpha:]]}, a literal {@code [} or {@code &&} inside a class, a {@code {} that does not
 * start a repetition). Differences left: the ungreedy flag {@code (?U)}, Unicode class names that
 * only one side knows, and error messages, which are Java's.
 */
final class Re2 {
  private static final Map<String, String> POSIX =
      Map.ofEntries(
          Map.entry("alnum", "\\p{Alnum}"),
          Map.entry("alpha", "\\p{Alpha}"),
          Map.entry("ascii", "\\p{ASCII}"),
          Map.entry("blank", "\\p{Blank}"),
          Map.entry("cntrl", "\\p{Cntrl}"),
          Map.entry("digit", "\\p{Digit}"),
          Map.entry("graph", "\\p{Graph}"),
          Map.entry("lower", "\\p{Lower}"),
          Map.entry("print", "\\p{Print}"),
          Map.entry("punct", "\\p{Punct}"),
          Map.entry("space", "\\s"),
          Map.entry("upper", "\\p{Upper}"),
          Map.entry("word", "\\w"),
          Map.entry("xdigit", "\\p{XDigit}"));

  /** Escapes RE2 knows; anything else after a backslash must be punctuation. */
  private static final String RE2_ESCAPES = "aftnrvdDsSwWbBAzpPQEx01234567";

  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  private Re2() {}

  /** The regex as Prometheus anchors it, {@code ^(?s:regex)$}, for {@code matches()}. */
  static Pattern compile(String regex) throws SyntaxException {
    String translated = translate(regex);
    try {
      return Pattern.compile("(?s:" + translated + ")");
    } catch (PatternSyntaxException e) {
      throw new SyntaxException(goMessage(e.getDescription(), regex));
    }
  }

  /** Go's wording for the errors both engines find, Java's for the others. */
  private static String goMessage(String description, String regex) {
    if (description.startsWith("Unclosed group")) {
      return "missing closing ): `" + regex + "`";
    }
    if (description.startsWith("Unmatched closing ')'")) {
      return "unexpected ): `" + regex + "`";
    }
    if (description.startsWith("Dangling meta character '")) {
      return "missing argument to repetition operator: `" + description.charAt(25) + "`";
    }
    if (description.startsWith("Illegal repetition range")) {
      java.util.regex.Matcher m = Pattern.compile("\\{\\d*,?\\d*}").matcher(regex);
      if (m.find()) {
        return "invalid repeat count: `" + m.group() + "`";
      }
    }
    return description + ": `" + regex + "`";
  }

  static String translate(String re) throws SyntaxException {
    StringBuilder out = new StringBuilder(re.length() + 8);
    boolean inClass = false;
    int classStart = -1;
    int classOpen = -1;
    int n = re.length();
    for (int k = 0; k < n; k++) {
      char c = re.charAt(k);
      if (c == '\\') {
        if (k + 1 >= n) {
          throw new SyntaxException("trailing backslash at end of expression: ``");
        }
        char e = re.charAt(k + 1);
        if (e == 'Q') {
          int end = re.indexOf("\\E", k + 2);
          String literal = end < 0 ? re.substring(k + 2) : re.substring(k + 2, end);
          out.append(Pattern.quote(literal));
          k = end < 0 ? n : end + 1;
          continue;
        }
        if (Character.isLetterOrDigit(e) && RE2_ESCAPES.indexOf(e) < 0) {
          throw new SyntaxException("invalid escape sequence: `\\" + e + "`");
        }
        if (e >= '1' && e <= '9' && !inClass) {
          // Backreference in Java, octal only after \0 in RE2... RE2 refuses \1-\9.
          throw new SyntaxException("invalid escape sequence: `\\" + e + "`");
        }
        if ((e == 'p' || e == 'P') && k + 2 < n && re.charAt(k + 2) == '{') {
          // \p{Greek}: Java needs the Is prefix for scripts, and accepts it for categories.
          int end = re.indexOf('}', k + 3);
          if (end < 0) {
            throw new SyntaxException("invalid character class range: `" + re.substring(k) + "`");
          }
          String name = re.substring(k + 3, end);
          boolean negated = name.startsWith("^");
          out.append('\\').append(negated ^ (e == 'P') ? 'P' : 'p');
          out.append("{Is").append(negated ? name.substring(1) : name).append('}');
          k = end;
          continue;
        }
        out.append(c).append(e);
        k++;
        continue;
      }
      if (inClass) {
        if (c == ']' && k > classStart) {
          inClass = false;
          out.append(c);
        } else if (c == '[' && k + 1 < n && re.charAt(k + 1) == ':') {
          int end = re.indexOf(":]", k + 2);
          if (end < 0) {
            out.append("\\[");
            continue;
          }
          String name = re.substring(k + 2, end);
          boolean negated = name.startsWith("^");
          String cls = POSIX.get(negated ? name.substring(1) : name);
          if (cls == null) {
            throw new SyntaxException(
                "invalid character class range: `" + re.substring(k, end + 2) + "`");
          }
          if (negated) {
            cls = cls.startsWith("\\p") ? "\\P" + cls.substring(2) : cls.toUpperCase();
          }
          out.append(cls);
          k = end + 1;
        } else if (c == '[') {
          out.append("\\[");
        } else if (c == '&' && k + 1 < n && re.charAt(k + 1) == '&') {
          out.append("\\&");
        } else {
          out.append(c);
        }
        continue;
      }
      switch (c) {
        case '[':
          inClass = true;
          classOpen = k;
          out.append(c);
          if (k + 1 < n && re.charAt(k + 1) == '^') {
            out.append('^');
            k++;
          }
          // A ']' right after '[' or '[^' is a literal.
          classStart = k + 1;
          if (k + 1 < n && re.charAt(k + 1) == ']') {
            out.append("\\]");
            k++;
            classStart = k + 1;
          }
          break;
        case '(':
          if (re.startsWith("(?P<", k)) {
            out.append("(?<");
            k += 3;
          } else if (re.startsWith("(?<=", k) || re.startsWith("(?<!", k)) {
            throw new SyntaxException("invalid named capture: `" + re.substring(k) + "`");
          } else if (re.startsWith("(?=", k)
              || re.startsWith("(?!", k)
              || re.startsWith("(?>", k)) {
            throw new SyntaxException(
                "invalid or unsupported Perl syntax: `"
                    + re.substring(k, Math.min(n, k + 3))
                    + "`");
          } else {
            out.append(c);
          }
          break;
        case '{':
          {
            int end = repetitionEnd(re, k);
            if (end < 0) {
              out.append("\\{");
            } else {
              String body = re.substring(k + 1, end);
              for (String count : body.split(",", -1)) {
                if (!count.isEmpty() && (count.length() > 4 || Integer.parseInt(count) > 1000)) {
                  throw new SyntaxException(
                      "invalid repeat count: `" + re.substring(k, end + 1) + "`");
                }
              }
              out.append(re, k, end + 1);
              k = end;
              possessive(re, k);
            }
            break;
          }
        case '*':
        case '+':
        case '?':
          out.append(c);
          if (k + 1 < n && re.charAt(k + 1) == '?') {
            out.append('?');
            k++;
          }
          possessive(re, k);
          break;
        default:
          out.append(c);
      }
    }
    if (inClass) {
      throw new SyntaxException("missing closing ]: `" + re.substring(classOpen) + "`");
    }
    return out.toString();
  }

  /** RE2 refuses a repetition operator after another: {@code a*+}, {@code a**}. */
  private static void possessive(String re, int k) throws SyntaxException {
    if (k + 1 < re.length()) {
      char next = re.charAt(k + 1);
      if (next == '*'
          || next == '+'
          || next == '?'
          || (next == '{' && repetitionEnd(re, k + 1) > 0)) {
        throw new SyntaxException(
            "invalid nested repetition operator: `" + re.substring(k, k + 2) + "`");
      }
    }
  }

  /** The index of the closing brace if {@code {} at k starts {n}, {n,} or {n,m}; else -1. */
  private static int repetitionEnd(String re, int k) {
    int j = k + 1;
    int digits = 0;
    while (j < re.length() && Character.isDigit(re.charAt(j))) {
      j++;
      digits++;
    }
    if (digits == 0 || j >= re.length()) {
      return -1;
    }
    if (re.charAt(j) == '}') {
      return j;
    }
    if (re.charAt(j) != ',') {
      return -1;
    }
    j++;
    while (j < re.length() && Character.isDigit(re.charAt(j))) {
      j++;
    }
    return j < re.length() && re.charAt(j) == '}' ? j : -1;
  }
}
