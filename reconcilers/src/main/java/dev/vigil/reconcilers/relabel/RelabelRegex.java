package dev.vigil.reconcilers.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.vigil.reconcilers.goregex.GoRegexp;
import dev.vigil.reconcilers.goregex.InvalidRegexpException;
import java.util.List;

/**
 * A relabeling regex as Prometheus compiles it ({@code model/relabel/relabel.go}, {@code
 * NewRegexp}): Go's RE2 syntax, anchored at both ends, {@code .} matching a newline ({@code
 * ^(?s:regex)$}), checked and compiled by {@link GoRegexp}: what compiles is what Go compiles, and
 * what matches and which submatches a match has are Go's (RE2/J, a port of Go's {@code regexp},
 * runs it). Replacement templates are expanded as Go's {@code Regexp.Expand} expands them.
 */
final class RelabelRegex {
  /** Prometheus's default, {@code (.*)}: matches every value, whole, as group 1. */
  static final String DEFAULT = "(.*)";

  private final String source;
  private final Pattern pattern;
  private final List<String> groupNames;
  private final boolean matchesAll;

  private RelabelRegex(String source, GoRegexp.Compiled compiled) {
    this.source = source;
    this.pattern = compiled.pattern();
    this.groupNames = compiled.subexpNames();
    this.matchesAll = DEFAULT.equals(source);
  }

  /**
   * @throws InvalidRegexpException when Go's regexp refuses the regex (Prometheus then refuses the
   *     whole configuration)
   * @throws IllegalArgumentException when Vigil cannot evaluate it (see {@link GoRegexp#compile})
   */
  static RelabelRegex compile(String regex) {
    return new RelabelRegex(regex, GoRegexp.compile(GoRegexp.anchoredAsPrometheus(regex)));
  }

  /** Go's {@code MatchString}. */
  boolean matches(String value) {
    return matchesAll || pattern.matcher(value).find();
  }

  /**
   * Go's {@code FindStringSubmatch}: the whole match and each group (null where a group took no
   * part), or null when the value does not match.
   */
  String[] submatches(String value) {
    if (matchesAll) {
      return new String[] {value, value};
    }
    Matcher m = pattern.matcher(value);
    if (!m.find()) {
      return null;
    }
    String[] groups = new String[m.groupCount() + 1];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = m.group(i);
    }
    return groups;
  }

  /**
   * Go's {@code Regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name} and {@code ${name}} become
   * that group's text (nothing when the group does not exist or took no part), {@code $$} becomes
   * {@code $}; a name is the longest run of letters, digits and {@code _}, so {@code $1x} is the
   * group named {@code 1x}; a {@code $} that starts no valid reference stays as it is.
   */
  String expand(String template, String[] groups) {
    int dollar = template.indexOf('$');
    if (dollar < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    while (true) {
      dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      Reference ref = Reference.parse(template, i);
      if (ref == null) {
        out.append('$'); // malformed: the $ is kept as text
        continue;
      }
      i = ref.end();
      String group = group(ref.name(), groups);
      if (group != null) {
        out.append(group);
      }
    }
    out.append(template, i, template.length());
    return out.toString();
  }

  /** A group by number, or the first group of that name that took part (Go allows a name twice). */
  private String group(String name, String[] groups) {
    int number = Reference.number(name);
    if (number >= 0) {
      return number < groups.length ? groups[number] : null;
    }
    for (int k = 0; k < groupNames.size() && k < groups.length; k++) {
      if (name.equals(groupNames.get(k)) && groups[k] != null) {
        return groups[k];
      }
    }
    return null;
  }

  String source() {
    return source;
  }

  /** A {@code $name} or {@code ${name}} reference in a template; {@code end} is past it. */
  private record Reference(String name, int end) {
    /** The reference after a {@code $} at {@code start}, or null when it is malformed. */
    static Reference parse(String template, int start) {
      int i = start;
      boolean brace = i < template.length() && template.charAt(i) == '{';
      if (brace) {
        i++;
      }
      int nameStart = i;
      while (i < template.length()) {
        int cp = template.codePointAt(i);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        i += Character.charCount(cp);
      }
      if (i == nameStart) {
        return null;
      }
      String name = template.substring(nameStart, i);
      if (brace) {
        if (i >= template.length() || template.charAt(i) != '}') {
          return null;
        }
        i++;
      }
      return new Reference(name, i);
    }

    /** The group number a name means, or -1 for a name (no leading zeros, below 10^8). */
    static int number(String name) {
      int number = 0;
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c < '0' || c > '9' || number >= 100_000_000) {
          return -1;
        }
        number = number * 10 + (c - '0');
      }
      return name.charAt(0) == '0' && name.length() > 1 ? -1 : number;
    }
  }
}
