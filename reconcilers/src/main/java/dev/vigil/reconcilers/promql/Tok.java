package dev.vigil.reconcilers.promql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Token kinds, with Prometheus's lexer's names for them in error messages. */
enum Tok {
  EOF(Group.OTHER, ""),
  ERROR(Group.OTHER, ""),
  IDENTIFIER(Group.OTHER, ""),
  METRIC_IDENTIFIER(Group.OTHER, ""),
  NUMBER(Group.OTHER, ""),
  DURATION(Group.OTHER, ""),
  STRING(Group.OTHER, ""),
  LEFT_PAREN(Group.PUNCT, "("),
  RIGHT_PAREN(Group.PUNCT, ")"),
  LEFT_BRACE(Group.PUNCT, "{"),
  RIGHT_BRACE(Group.PUNCT, "}"),
  LEFT_BRACKET(Group.PUNCT, "["),
  RIGHT_BRACKET(Group.PUNCT, "]"),
  COMMA(Group.PUNCT, ","),
  COLON(Group.PUNCT, ":"),
  EQL(Group.PUNCT, "="),
  // Operators.
  ADD(Group.OPERATOR, "+"),
  SUB(Group.OPERATOR, "-"),
  MUL(Group.OPERATOR, "*"),
  DIV(Group.OPERATOR, "/"),
  MOD(Group.OPERATOR, "%"),
  POW(Group.OPERATOR, "^"),
  EQLC(Group.OPERATOR, "=="),
  NEQ(Group.OPERATOR, "!="),
  LTE(Group.OPERATOR, "<="),
  LSS(Group.OPERATOR, "<"),
  GTE(Group.OPERATOR, ">="),
  GTR(Group.OPERATOR, ">"),
  TRIM_UPPER(Group.OPERATOR, "</"),
  TRIM_LOWER(Group.OPERATOR, ">/"),
  EQL_REGEX(Group.OPERATOR, "=~"),
  NEQ_REGEX(Group.OPERATOR, "!~"),
  AT(Group.OPERATOR, "@"),
  LAND(Group.OPERATOR, "and"),
  LOR(Group.OPERATOR, "or"),
  LUNLESS(Group.OPERATOR, "unless"),
  ATAN2(Group.OPERATOR, "atan2"),
  // Aggregators.
  SUM(Group.AGGREGATOR, "sum"),
  AVG(Group.AGGREGATOR, "avg"),
  COUNT(Group.AGGREGATOR, "count"),
  MIN(Group.AGGREGATOR, "min"),
  MAX(Group.AGGREGATOR, "max"),
  GROUP(Group.AGGREGATOR, "group"),
  STDDEV(Group.AGGREGATOR, "stddev"),
  STDVAR(Group.AGGREGATOR, "stdvar"),
  TOPK(Group.AGGREGATOR, "topk"),
  BOTTOMK(Group.AGGREGATOR, "bottomk"),
  COUNT_VALUES(Group.AGGREGATOR, "count_values"),
  QUANTILE(Group.AGGREGATOR, "quantile"),
  LIMITK(Group.AGGREGATOR, "limitk"),
  LIMIT_RATIO(Group.AGGREGATOR, "limit_ratio"),
  // Keywords.
  BOOL(Group.KEYWORD, "bool"),
  BY(Group.KEYWORD, "by"),
  GROUP_LEFT(Group.KEYWORD, "group_left"),
  GROUP_RIGHT(Group.KEYWORD, "group_right"),
  FILL(Group.KEYWORD, "fill"),
  FILL_LEFT(Group.KEYWORD, "fill_left"),
  FILL_RIGHT(Group.KEYWORD, "fill_right"),
  IGNORING(Group.KEYWORD, "ignoring"),
  OFFSET(Group.KEYWORD, "offset"),
  SMOOTHED(Group.KEYWORD, "smoothed"),
  ANCHORED(Group.KEYWORD, "anchored"),
  ON(Group.KEYWORD, "on"),
  WITHOUT(Group.KEYWORD, "without"),
  // Words that are functions or duration functions.
  START(Group.PREPROCESSOR, "start"),
  END(Group.PREPROCESSOR, "end"),
  STEP(Group.PREPROCESSOR, "step"),
  RANGE(Group.PREPROCESSOR, "range"),
  MAX_OF(Group.PREPROCESSOR, "max_of"),
  MIN_OF(Group.PREPROCESSOR, "min_of");

  enum Group {
    OTHER,
    PUNCT,
    OPERATOR,
    AGGREGATOR,
    KEYWORD,
    PREPROCESSOR
  }

  private static final Map<String, Tok> WORDS = new HashMap<>();

  static {
    for (Tok t : values()) {
      if (t.group.ordinal() >= Group.OPERATOR.ordinal() && Character.isLetter(t.text.charAt(0))) {
        WORDS.put(t.text, t);
      }
    }
    WORDS.put("inf", NUMBER);
    WORDS.put("nan", NUMBER);
  }

  final Group group;
  final String text;

  Tok(Group group, String text) {
    this.group = group;
    this.text = text;
  }

  /** The keyword (or {@code NUMBER} for inf and nan) a word is, case-insensitively; else null. */
  static Tok word(String word) {
    Tok t = WORDS.get(word);
    return t != null ? t : WORDS.get(word.toLowerCase(Locale.ROOT));
  }

  boolean isAggregator() {
    return group == Group.AGGREGATOR;
  }

  boolean isKeyword() {
    return group == Group.KEYWORD;
  }

  /** Binding power of a binary operator (higher binds tighter), or 0. */
  int precedence() {
    switch (this) {
      case LOR:
        return 1;
      case LAND:
      case LUNLESS:
        return 2;
      case EQLC:
      case NEQ:
      case LTE:
      case LSS:
      case GTE:
      case GTR:
      case TRIM_UPPER:
      case TRIM_LOWER:
        return 3;
      case ADD:
      case SUB:
        return 4;
      case MUL:
      case DIV:
      case MOD:
      case ATAN2:
        return 5;
      case POW:
        return 6;
      default:
        return 0;
    }
  }

  /** Go's {@code %.10q...} for long values. */
  private static String truncated(String value) {
    return value.length() > 10 ? Lexer.quote(value.substring(0, 10)) + "..." : Lexer.quote(value);
  }

  /** How Prometheus names a token in "unexpected ..." messages. */
  String describe(String value) {
    switch (this) {
      case EOF:
        return "end of input";
      case IDENTIFIER:
        return "identifier " + Lexer.quote(value);
      case METRIC_IDENTIFIER:
        return "metric identifier " + Lexer.quote(value);
      case NUMBER:
        return "number " + truncated(value);
      case DURATION:
        return "duration " + truncated(value);
      case STRING:
        return "string " + truncated(value);
      default:
        break;
    }
    switch (group) {
      case KEYWORD:
        return "<" + value + ">";
      case OPERATOR:
        return "<op:" + value + ">";
      case AGGREGATOR:
        return "<aggr:" + value + ">";
      default:
        return Lexer.quote(value);
    }
  }
}
