package dev.vigil.reconcilers.promql;

import java.util.regex.Pattern;

/**
 * Label matchers as text, {@code name="value"}, as PromQL's and Alertmanager's matcher parsers read
 * them back: values double-quoted with Go's escapes ({@code strconv.Unquote}), names bare when they
 * are classic Prometheus label names and quoted otherwise (both parsers accept quoted UTF-8 names).
 */
public final class MatcherText {
  private static final Pattern CLASSIC_LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private MatcherText() {}

  /** {@code name="value"}. */
  public static String equal(String name, String value) {
    return label(name) + "=" + quote(value);
  }

  /** A label name: bare when classic, else quoted. */
  public static String label(String name) {
    return CLASSIC_LABEL_NAME.matcher(name).matches() ? name : quote(name);
  }

  /** A Go double-quoted string. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append("\\x%02x".formatted((int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
