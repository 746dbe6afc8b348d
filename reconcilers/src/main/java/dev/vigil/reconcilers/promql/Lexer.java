package dev.vigil.reconcilers.promql;

import java.util.Arrays;

/**
 * Splits an expression into tokens, as Prometheus's lexer does ({@code promql/parser/lex.go}):
 * three modes (expression, inside braces, inside brackets), keywords case-insensitive, comments
 * from {@code #} to the end of the line skipped. A lexing error ends the token list with an {@link
 * Tok#ERROR} token carrying the message; the parser reports it when it reaches it.
 */
final class Lexer {
  private final String input;
  private int pos;
  private int start;

  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean durationMode;
  private boolean gotColon;
  private boolean gotDuration;

  Tok[] kinds = new Tok[16];
  int[] starts = new int[16];
  int[] ends = new int[16];
  int count;
  String error;

  private Lexer(String input) {
    this.input = input;
  }

  static Lexer lex(String input) {
    Lexer l = new Lexer(input);
    l.run();
    return l;
  }

  String text(int i) {
    return input.substring(starts[i], ends[i]);
  }

  private void emit(Tok t) {
    if (count == kinds.length) {
      kinds = Arrays.copyOf(kinds, count * 2);
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    kinds[count] = t;
    starts[count] = start;
    ends[count] = pos;
    count++;
    start = pos;
  }

  private boolean fail(String message) {
    error = message;
    pos = input.length();
    emit(Tok.ERROR);
    return false;
  }

  private int peek() {
    return pos < input.length() ? input.charAt(pos) : -1;
  }

  private int next() {
    return pos < input.length() ? input.charAt(pos++) : -1;
  }

  private void run() {
    boolean going = true;
    while (going) {
      if (braceOpen) {
        going = insideBraces();
      } else if (durationMode) {
        going = durationExpr();
      } else {
        going = statement();
      }
    }
  }

  private boolean statement() {
    int r = next();
    if (r == '#') {
      return comment();
    }
    switch (r) {
      case -1:
        if (parenDepth != 0) {
          return fail("unclosed left parenthesis");
        }
        if (bracketOpen) {
          return fail("unclosed left bracket");
        }
        emit(Tok.EOF);
        return false;
      case ' ', '\t', '\n', '\r':
        start = pos;
        return true;
      case ',':
        emit(Tok.COMMA);
        return true;
      case '*':
        emit(Tok.MUL);
        return true;
      case '/':
        emit(Tok.DIV);
        return true;
      case '%':
        emit(Tok.MOD);
        return true;
      case '+':
        emit(Tok.ADD);
        return true;
      case '-':
        emit(Tok.SUB);
        return true;
      case '^':
        emit(Tok.POW);
        return true;
      case '@':
        emit(Tok.AT);
        return true;
      case '=':
        if (peek() == '=') {
          pos++;
          emit(Tok.EQLC);
        } else if (peek() == '~') {
          return fail("unexpected character after '=': '~'");
        } else {
          emit(Tok.EQL);
        }
        return true;
      case '!':
        {
          int t = next();
          if (t != '=') {
            return fail("unexpected character after '!': " + quoteRune(t));
          }
          emit(Tok.NEQ);
          return true;
        }
      case '<':
        if (peek() == '=') {
          pos++;
          emit(Tok.LTE);
        } else if (peek() == '/') {
          pos++;
          emit(Tok.TRIM_UPPER);
        } else {
          emit(Tok.LSS);
        }
        return true;
      case '>':
        if (peek() == '=') {
          pos++;
          emit(Tok.GTE);
        } else if (peek() == '/') {
          pos++;
          emit(Tok.TRIM_LOWER);
        } else {
          emit(Tok.GTR);
        }
        return true;
      case '"', '\'':
        return string((char) r);
      case '`':
        return rawString();
      case '(':
        emit(Tok.LEFT_PAREN);
        parenDepth++;
        return true;
      case ')':
        return rightParen();
      case '{':
        emit(Tok.LEFT_BRACE);
        braceOpen = true;
        return true;
      case '[':
        if (bracketOpen) {
          return fail("unexpected left bracket '['");
        }
        gotColon = false;
        emit(Tok.LEFT_BRACKET);
        while (isSpace(peek())) {
          pos++;
        }
        start = pos;
        bracketOpen = true;
        durationMode = true;
        return true;
      case ']':
        if (!bracketOpen) {
          return fail("unexpected right bracket ']'");
        }
        emit(Tok.RIGHT_BRACKET);
        bracketOpen = false;
        return true;
      default:
        break;
    }
    if (isDigit(r) || (r == '.' && isDigit(peek()))) {
      pos--;
      return numberOrDuration();
    }
    if ((isAlpha(r) || r == ':') && bracketOpen) {
      // After the first number in brackets, Prometheus lexes as outside them.
      if (r == ':') {
        if (gotColon) {
          return fail("unexpected colon ':'");
        }
        emit(Tok.COLON);
        gotColon = true;
        return true;
      }
      if (durationKeyword(r)) {
        return true;
      }
      return fail("unexpected character: " + quoteRune(r) + ", expected ':'");
    }
    if (isAlpha(r) || r == ':') {
      pos--;
      return keywordOrIdentifier();
    }
    return fail("unexpected character: " + quoteRune(r));
  }

  private boolean comment() {
    while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
      pos++;
    }
    start = pos;
    return true;
  }

  private boolean insideBraces() {
    int r = next();
    switch (r) {
      case '#':
        return comment();
      case -1:
        return fail("unexpected end of input inside braces");
      case ' ', '\t', '\n', '\r':
        start = pos;
        return true;
      case ',':
        emit(Tok.COMMA);
        return true;
      case '"', '\'':
        return string((char) r);
      case '`':
        return rawString();
      case '=':
        if (peek() == '~') {
          pos++;
          emit(Tok.EQL_REGEX);
        } else {
          emit(Tok.EQL);
        }
        return true;
      case '!':
        {
          int t = next();
          if (t == '~') {
            emit(Tok.NEQ_REGEX);
          } else if (t == '=') {
            emit(Tok.NEQ);
          } else {
            return fail("unexpected character after '!' inside braces: " + quoteRune(t));
          }
          return true;
        }
      case '{':
        return fail("unexpected left brace '{'");
      case '}':
        emit(Tok.RIGHT_BRACE);
        braceOpen = false;
        return true;
      default:
        break;
    }
    if (isAlpha(r)) {
      while (isAlphaNumeric(peek())) {
        pos++;
      }
      emit(Tok.IDENTIFIER);
      return true;
    }
    return fail("unexpected character inside braces: " + quoteRune(r));
  }

  private boolean durationExpr() {
    int r = next();
    switch (r) {
      case -1:
        return fail("unexpected end of input in duration expression");
      case ']':
        emit(Tok.RIGHT_BRACKET);
        bracketOpen = false;
        durationMode = false;
        gotColon = false;
        return true;
      case ':':
        emit(Tok.COLON);
        if (!gotDuration) {
          return failAfter("unexpected colon before duration in duration expression");
        }
        if (gotColon) {
          return failAfter("unexpected repeated colon in duration expression");
        }
        gotColon = true;
        return true;
      case '(':
        emit(Tok.LEFT_PAREN);
        parenDepth++;
        return true;
      case ')':
        return rightParen();
      case ' ', '\t', '\n', '\r':
        start = pos;
        return true;
      case '+':
        emit(Tok.ADD);
        return true;
      case '-':
        emit(Tok.SUB);
        return true;
      case '*':
        emit(Tok.MUL);
        return true;
      case '/':
        emit(Tok.DIV);
        return true;
      case '%':
        emit(Tok.MOD);
        return true;
      case '^':
        emit(Tok.POW);
        return true;
      case ',':
        emit(Tok.COMMA);
        return true;
      default:
        break;
    }
    if (durationKeyword(r)) {
      return true;
    }
    if (isDigit(r) || (r == '.' && isDigit(peek()))) {
      pos--;
      gotDuration = true;
      durationMode = false;
      return numberOrDuration();
    }
    return fail("unexpected character in duration expression: " + quoteRune(r));
  }

  /** {@code step}, {@code range}, {@code max_of}, {@code min_of} inside brackets. */
  private boolean durationKeyword(int r) {
    if (r != 's' && r != 'S' && r != 'r' && r != 'R' && r != 'm' && r != 'M') {
      return false;
    }
    int before = pos;
    while (isAlpha(peek())) {
      pos++;
    }
    Tok t = Tok.word(input.substring(start, pos));
    if (t == Tok.STEP || t == Tok.RANGE || t == Tok.MAX_OF || t == Tok.MIN_OF) {
      emit(t);
      gotDuration = true;
      return true;
    }
    pos = before;
    return false;
  }

  private boolean rightParen() {
    parenDepth--;
    if (parenDepth < 0) {
      // Prometheus's lexer replaces the ')' by the error, placed after it.
      start = pos;
      return fail("unexpected right parenthesis ')'");
    }
    emit(Tok.RIGHT_PAREN);
    return true;
  }

  /** An error found once a token was emitted: Prometheus reports it instead of that token. */
  private boolean failAfter(String message) {
    count--;
    return fail(message);
  }

  private boolean string(char quote) {
    while (true) {
      int r = next();
      if (r == '\\') {
        if (!escape(quote)) {
          return false;
        }
      } else if (r == -1 || r == '\n') {
        return fail("unterminated quoted string");
      } else if (r == quote) {
        emit(Tok.STRING);
        return true;
      }
    }
  }

  private boolean escape(char quote) {
    int ch = next();
    int n;
    int base;
    int max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\':
        return true;
      case '0', '1', '2', '3', '4', '5', '6', '7':
        n = 3;
        base = 8;
        max = 255;
        break;
      case 'x':
        ch = next();
        n = 2;
        base = 16;
        max = 255;
        break;
      case 'u':
        ch = next();
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
        break;
      case 'U':
        ch = next();
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
        break;
      case -1:
        return fail("escape sequence not terminated");
      default:
        if (ch == quote) {
          return true;
        }
        return fail(String.format("unknown escape sequence U+%04X '%c'", ch, (char) ch));
    }
    long x = 0;
    while (n > 0) {
      int d = Character.digit(ch, 16);
      if (d < 0 || d >= base) {
        if (ch == -1) {
          return fail("escape sequence not terminated");
        }
        return fail(String.format("illegal character U+%04X '%c' in escape sequence", ch, ch));
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = next();
      }
    }
    if (x > max || (0xD800 <= x && x < 0xE000)) {
      return fail("escape sequence is an invalid Unicode code point");
    }
    return true;
  }

  private boolean rawString() {
    while (true) {
      int r = next();
      if (r == -1) {
        return fail("unterminated raw string");
      }
      if (r == '`') {
        emit(Tok.STRING);
        return true;
      }
    }
  }

  private boolean numberOrDuration() {
    if (scanNumber()) {
      emit(Tok.NUMBER);
      return true;
    }
    if (remainingDuration()) {
      emit(Tok.DURATION);
      return true;
    }
    return fail("bad number or duration syntax: " + quote(input.substring(start, pos)));
  }

  private boolean accept(String valid) {
    int r = peek();
    if (r >= 0 && valid.indexOf(r) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean remainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      while (accept("0123456789")) {
        // digits
      }
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    if (isAlphaNumeric(peek())) {
      pos++;
      return false;
    }
    return true;
  }

  /**
   * Prometheus's {@code scanNumber}, quirks included: decimal or hex digits, one dot, one exponent
   * (also after hex digits, so {@code 0xE} is refused as Prometheus refuses it), underscores
   * between digits.
   */
  private boolean scanNumber() {
    int initial = pos;
    String digits = "0123456789";
    if (peek() == '0') {
      pos++;
      if (accept("xX")) {
        accept("_");
        digits = "0123456789abcdefABCDEF";
      }
    }
    boolean hex = digits.length() > 10;
    accept(".");
    accept(digits);
    boolean dot = false;
    boolean exponent = false;
    while (true) {
      int r = peek();
      boolean isExponent = r == 'e' || r == 'E';
      if (r < 0 || (digits.indexOf(r) < 0 && r != '.' && r != '_' && !isExponent)) {
        break;
      }
      if (r == '.' && dot) {
        pos++;
        return false;
      }
      if (isExponent && exponent) {
        pos++;
        return false;
      }
      if (accept(".")) {
        dot = true;
        if (accept("_.") || hex) {
          return false;
        }
        continue;
      }
      if (accept("eE")) {
        exponent = true;
        accept("+-");
        if (accept("._eE") || peek() == -1) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || peek() == -1) {
          return false;
        }
        continue;
      }
      while (peek() >= 0 && digits.indexOf(peek()) >= 0) {
        pos++;
      }
    }
    if (pos == initial) {
      return false;
    }
    return !isAlphaNumeric(peek());
  }

  private boolean keywordOrIdentifier() {
    boolean colon = false;
    while (true) {
      int r = peek();
      if (isAlphaNumeric(r)) {
        pos++;
      } else if (r == ':') {
        colon = true;
        pos++;
      } else {
        break;
      }
    }
    Tok kw = Tok.word(input.substring(start, pos));
    if (kw != null) {
      if ((kw == Tok.FILL || kw == Tok.FILL_LEFT || kw == Tok.FILL_RIGHT)
          && !followedByLeftParen()) {
        emit(Tok.IDENTIFIER);
      } else {
        emit(kw);
      }
    } else {
      emit(colon ? Tok.METRIC_IDENTIFIER : Tok.IDENTIFIER);
    }
    return true;
  }

  private boolean followedByLeftParen() {
    for (int i = pos; i < input.length(); i++) {
      char c = input.charAt(i);
      if (!isSpace(c)) {
        return c == '(';
      }
    }
    return false;
  }

  static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\r';
  }

  static boolean isDigit(int r) {
    return '0' <= r && r <= '9';
  }

  static boolean isAlpha(int r) {
    return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z');
  }

  static boolean isAlphaNumeric(int r) {
    return isAlpha(r) || isDigit(r);
  }

  static String quoteRune(int r) {
    if (r < 0) {
      return "EOF";
    }
    if (r == '\\' || r == '\'') {
      return "'\\" + (char) r + "'";
    }
    return "'" + (char) r + "'";
  }

  /** Go's {@code %q}, enough for messages. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
