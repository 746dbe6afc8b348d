package dev.vigil.reconcilers.alertmanager;

import dev.vigil.api.v1alpha1.alertpolicy.Matcher;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.promql.MatcherText;
import dev.vigil.reconcilers.rules.PolicyRules;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Alertmanager's matcher syntax ({@code matchers}, {@code source_matchers}, {@code
 * target_matchers}): {@code name="value"}, with {@code !=}, {@code =~} and {@code !~}. Values are
 * always double-quoted with Go escapes, so any value reads back as it was; a label name that is not
 * a classic Prometheus label name is quoted as well (Alertmanager's UTF-8 matcher parser accepts
 * quoted names).
 *
 * <p>One matcher Alertmanager cannot parse makes it refuse the whole file, so every regular
 * expression is checked here against what Go's RE2 syntax accepts, and a policy holding one that
 * would fail is left out instead.
 */
final class Matchers {
  /** The label every alerting rule of a policy carries, set by {@link PolicyRules}. */
  static final String POLICY_LABEL = PolicyRules.POLICY_LABEL;

  /** Letters RE2 accepts after a backslash; Java accepts more ({@code \h}, {@code \Z}, ...). */
  private static final String RE2_LETTER_ESCAPES = "aftnrvxpPdDsSwWbBAzQE";

  /** RE2's limit on {@code {n,m}} counts. */
  private static final int RE2_MAX_REPEAT = 1000;

  private static final Pattern REPEAT = Pattern.compile("\\{([0-9]+)(,([0-9]*))?\\}");

  private Matchers() {}

  /** The scope matcher of a policy: {@code vigil_policy="<namespace>/<name>"}. */
  static List<String> scope(String namespace, String policy) {
    return List.of(MatcherText.equal(POLICY_LABEL, namespace + "/" + policy));
  }

  /**
   * The user's matchers, after {@code prefix}; each one checked.
   *
   * @param field the matchers' field, for problems, e.g. {@code spec.routing.route.routes[0]}
   */
  static List<String> of(List<String> prefix, List<Matcher> matchers, String field) {
    List<String> result = new ArrayList<>(prefix);
    for (int i = 0; matchers != null && i < matchers.size(); i++) {
      result.add(of(matchers.get(i), field + "[" + i + "]"));
    }
    return List.copyOf(result);
  }

  private static String of(Matcher matcher, String field) {
    if (matcher == null || matcher.name == null || matcher.name.isEmpty()) {
      throw new PartLeftOut(field + ".name is required");
    }
    if (matcher.name.equals(POLICY_LABEL)) {
      throw new PartLeftOut(
          field
              + ".name: the label vigil_policy is set by Vigil to scope the policy; match on other"
              + " labels");
    }
    String value = matcher.value == null ? "" : matcher.value;
    Matcher.MatchType type =
        matcher.matchType == null ? Matcher.MatchType.EQUAL : matcher.matchType;
    String operator =
        switch (type) {
          case EQUAL -> "=";
          case NOT_EQUAL -> "!=";
          case REGEX -> "=~";
          case NOT_REGEX -> "!~";
        };
    if (type == Matcher.MatchType.REGEX || type == Matcher.MatchType.NOT_REGEX) {
      String problem = re2Problem(value);
      if (problem != null) {
        throw new PartLeftOut(
            "%s.value \"%s\" is not a regular expression Alertmanager accepts: %s"
                .formatted(field, value, problem));
      }
    }
    return MatcherText.label(matcher.name) + operator + MatcherText.quote(value);
  }

  /**
   * Why Go's {@code regexp} would refuse {@code regex}, or null. Checks the constructs Java accepts
   * and RE2 does not (lookaround, atomic groups, backreferences, possessive quantifiers, unknown
   * letter escapes, repeat counts over 1000), then lets Java's parser find syntax errors. An
   * approximation of RE2, strict where the two disagree.
   */
  static String re2Problem(String regex) {
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 >= regex.length()) {
          return "trailing backslash";
        }
        char next = regex.charAt(i + 1);
        if (next >= '1' && next <= '9') {
          return "backreferences (\\" + next + ") are not supported";
        }
        if (Character.isLetter(next) && RE2_LETTER_ESCAPES.indexOf(next) < 0) {
          return "the escape \\" + next + " is not supported";
        }
        if (next == 'Q') {
          int end = regex.indexOf("\\E", i + 2);
          i = end < 0 ? regex.length() : end + 1;
        } else {
          i++;
        }
      } else if (c == '[') {
        i = skipClass(regex, i);
      } else if (c == '(' && regex.startsWith("(?", i)) {
        for (String unsupported : List.of("(?=", "(?!", "(?<=", "(?<!", "(?>")) {
          if (regex.startsWith(unsupported, i)) {
            return "lookaround and atomic groups (" + unsupported + ") are not supported";
          }
        }
      } else if ((c == '*' || c == '+' || c == '?' || c == '}')
          && i + 1 < regex.length()
          && regex.charAt(i + 1) == '+') {
        return "possessive quantifiers (" + c + "+) are not supported";
      } else if (c == '{') {
        java.util.regex.Matcher repeat = REPEAT.matcher(regex).region(i, regex.length());
        if (repeat.lookingAt()) {
          for (String count : new String[] {repeat.group(1), repeat.group(3)}) {
            if (count != null
                && !count.isEmpty()
                && (count.length() > 4 || Integer.parseInt(count) > RE2_MAX_REPEAT)) {
              return "repeat counts above " + RE2_MAX_REPEAT + " are not supported";
            }
          }
        }
      }
    }
    try {
      // Only syntax is checked here. RE2 spells named groups (?P<name>...) too, Java only
      // (?<name>...); RE2 reads a bare \0 as NUL, Java needs an octal digit after it.
      Pattern.compile(regex.replace("(?P<", "(?<").replaceAll("\\\\0(?![0-7])", "\\\\00"));
      return null;
    } catch (PatternSyntaxException e) {
      return e.getDescription();
    }
  }

  /** The index of the {@code ]} closing the class opened at {@code start}. */
  private static int skipClass(String regex, int start) {
    int i = start + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++;
    }
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '[' && regex.startsWith("[:", i)) {
        int end = regex.indexOf(":]", i + 2);
        i = end < 0 ? i + 1 : end + 2;
      } else if (c == ']') {
        return i;
      } else {
        i++;
      }
    }
    return regex.length();
  }
}
