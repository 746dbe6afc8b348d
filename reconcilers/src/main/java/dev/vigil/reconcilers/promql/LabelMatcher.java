package dev.vigil.reconcilers.promql;

import java.util.regex.Pattern;

/**
 * One matcher of a selector: {@code name op "value"}. For the regex kinds, {@code pattern} is the
 * value compiled as Prometheus anchors it ({@code ^(?s:value)$}), translated from RE2 (see {@link
 * Re2}); it is null for {@code =} and {@code !=}.
 */
public record LabelMatcher(String name, Type type, String value, Pattern pattern) {
  public enum Type {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** Whether a series without this label (its value being the empty string) is selected. */
  public boolean matchesEmpty() {
    return switch (type) {
      case EQUAL -> value.isEmpty();
      case NOT_EQUAL -> !value.isEmpty();
      case REGEX -> pattern.matcher("").matches();
      case NOT_REGEX -> !pattern.matcher("").matches();
    };
  }
}
