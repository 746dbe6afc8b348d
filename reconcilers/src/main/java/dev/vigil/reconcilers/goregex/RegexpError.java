package dev.vigil.reconcilers.goregex;

/**
 * Why Go's {@code regexp} refuses an expression: Go's error code and the part of the expression it
 * names ({@code regexp/syntax.Error}).
 *
 * @param code Go's {@code ErrorCode}, e.g. {@code invalid or unsupported Perl syntax}
 * @param expr the part of the expression the error names, e.g. {@code (?=}; the whole expression
 *     for a missing or unexpected parenthesis and for the size limits; empty for a trailing
 *     backslash
 * @param wholeExpression whether {@code expr} is the whole expression that was compiled
 */
public record RegexpError(String code, String expr, boolean wholeExpression) {
  public static final String MISSING_PAREN = "missing closing )";
  public static final String UNEXPECTED_PAREN = "unexpected )";
  public static final String MISSING_BRACKET = "missing closing ]";
  public static final String MISSING_REPEAT_ARGUMENT = "missing argument to repetition operator";
  public static final String INVALID_REPEAT_OP = "invalid nested repetition operator";
  public static final String INVALID_REPEAT_SIZE = "invalid repeat count";
  public static final String INVALID_ESCAPE = "invalid escape sequence";
  public static final String INVALID_CHAR_RANGE = "invalid character class range";
  public static final String INVALID_PERL_OP = "invalid or unsupported Perl syntax";
  public static final String INVALID_NAMED_CAPTURE = "invalid named capture";
  public static final String TRAILING_BACKSLASH = "trailing backslash at end of expression";
  public static final String INVALID_UTF8 = "invalid UTF-8";
  public static final String NESTING_DEPTH = "expression nests too deeply";
  public static final String LARGE = "expression too large";

  /** Go's {@code Error()}: {@code error parsing regexp: <code>: `<expr>`}. */
  public String message() {
    return "error parsing regexp: " + code + ": `" + expr + "`";
  }

  /**
   * Why, for a message that quotes the expression already: the Perl constructs Go leaves out said
   * in plain words ({@code lookaround and atomic groups ((?=) are not supported}, backreferences,
   * possessive quantifiers); otherwise the code, and the part it names when that is not the whole
   * expression ({@code invalid repeat count: `{1001}`}, {@code missing closing )}).
   */
  public String reason() {
    String perl = perlConstruct();
    if (perl != null) {
      return perl;
    }
    return wholeExpression || expr.isEmpty() ? code : code + ": `" + expr + "`";
  }

  private String perlConstruct() {
    switch (code) {
      case INVALID_PERL_OP:
        for (String group : new String[] {"(?=", "(?!", "(?>"}) {
          if (expr.startsWith(group)) {
            return "lookaround and atomic groups (" + group + ") are not supported";
          }
        }
        return null;
      case INVALID_NAMED_CAPTURE:
        for (String group : new String[] {"(?<=", "(?<!"}) {
          if (expr.startsWith(group)) {
            return "lookaround and atomic groups (" + group + ") are not supported";
          }
        }
        return null;
      case INVALID_ESCAPE:
        return expr.length() == 2 && expr.charAt(1) >= '1' && expr.charAt(1) <= '9'
            ? "backreferences (" + expr + ") are not supported"
            : null;
      case INVALID_REPEAT_OP:
        return expr.endsWith("+") && (expr.length() == 2 || expr.startsWith("{"))
            ? "possessive quantifiers (" + expr + ") are not supported"
            : null;
      default:
        return null;
    }
  }

  @Override
  public String toString() {
    return message();
  }
}
