package dev.vigil.reconcilers.promql;

/**
 * Why an expression is not valid PromQL, and where: {@code line} and {@code column} are 1-based
 * (the column counts characters), as in Prometheus's {@code 1:5: parse error: ...}.
 */
public record ParseError(int line, int column, String message) {

  /** The error at {@code offset} (0-based, in chars) of {@code input}. */
  static ParseError at(String input, int offset, String message) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(Math.max(offset, 0), input.length());
    for (int i = 0; i < end; i++) {
      if (input.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new ParseError(line, end - lineStart + 1, message);
  }

  /** As Prometheus prints it: {@code 1:5: parse error: unexpected "}"}. */
  @Override
  public String toString() {
    return line + ":" + column + ": parse error: " + message;
  }
}
