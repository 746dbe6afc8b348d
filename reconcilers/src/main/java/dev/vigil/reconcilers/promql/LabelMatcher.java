package dev.vigil.reconcilers.promql;

/**
 * One matcher of a selector: {@code name op "value"}. For the regex kinds, {@code
 * regexMatchesEmpty} says whether the value, anchored as Prometheus anchors it ({@code
 * ^(?s:value)$}, Go's syntax), matches the empty string; it is false for {@code =} and {@code !=}.
 */
public record LabelMatcher(String name, Type type, String value, boolean regexMatchesEmpty) {
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
      case REGEX -> regexMatchesEmpty;
      case NOT_REGEX -> !regexMatchesEmpty;
    };
  }
}
