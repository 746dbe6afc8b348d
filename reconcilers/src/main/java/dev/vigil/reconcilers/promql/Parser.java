package dev.vigil.reconcilers.promql;

import dev.vigil.reconcilers.goregex.GoRegexp;
import dev.vigil.reconcilers.goregex.RegexpError;
import dev.vigil.reconcilers.promql.Expr.AggregateExpr;
import dev.vigil.reconcilers.promql.Expr.At;
import dev.vigil.reconcilers.promql.Expr.BinaryExpr;
import dev.vigil.reconcilers.promql.Expr.Call;
import dev.vigil.reconcilers.promql.Expr.MatrixSelector;
import dev.vigil.reconcilers.promql.Expr.NumberLiteral;
import dev.vigil.reconcilers.promql.Expr.ParenExpr;
import dev.vigil.reconcilers.promql.Expr.StringLiteral;
import dev.vigil.reconcilers.promql.Expr.SubqueryExpr;
import dev.vigil.reconcilers.promql.Expr.UnaryExpr;
import dev.vigil.reconcilers.promql.Expr.VectorMatching;
import dev.vigil.reconcilers.promql.Expr.VectorMatching.Cardinality;
import dev.vigil.reconcilers.promql.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recursive descent with precedence climbing over the tokens of {@link Lexer}, reproducing the
 * choices of Prometheus's yacc grammar ({@code generated_parser.y}): binary operators by precedence
 * ({@code ^} right-associative), unary {@code +}/{@code -} at the precedence of {@code *} (so
 * {@code -2 ^ 2} is {@code -(2 ^ 2)}), and the postfix modifiers ({@code [range]}, {@code
 * [range:step]}, {@code offset}, {@code @}) binding to the closest operand. The first error ends
 * parsing; {@link #check} then types the tree as Prometheus's {@code checkAST} does.
 */
final class Parser {
  private static final int UNARY_OPERAND = Tok.POW.precedence();
  private static final double MAX_DURATION_SECONDS = 9.223372036854775807e9;
  private static final Pattern DURATION =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] DURATION_UNIT_MS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600_000, 60_000, 1000, 1
  };

  private final String input;
  private final Lexer lx;
  private final boolean experimental;
  private int i;

  /**
   * Where a syntax error would be reported: the innermost construct that has an error rule in
   * Prometheus's grammar (an aggregation, brackets, offset, @), for messages such as {@code
   * unexpected ")" in aggregation}.
   */
  private String context;

  private String contextExpects;

  private Parser(String input, boolean experimental) {
    this.input = input;
    this.lx = Lexer.lex(input);
    this.experimental = experimental;
  }

  static Expr parse(String input, boolean experimental) {
    Parser p = new Parser(input, experimental);
    try {
      Expr e = p.top();
      p.check(e);
      return e;
    } catch (StackOverflowError e) {
      // Parsing and checking recurse once a nesting level: thousands of levels (which no rule
      // has) exhaust the thread's stack. Prometheus, in Go, has no such limit.
      throw p.error(0, "expression nested too deeply for Vigil's parser");
    }
  }

  // ---- tokens

  private Tok kind() {
    return lx.kinds[i];
  }

  private Tok kindAt(int k) {
    return k < lx.count ? lx.kinds[k] : Tok.EOF;
  }

  private int start() {
    return lx.starts[i];
  }

  private String text() {
    return lx.text(i);
  }

  private PromQLException error(int offset, String message) {
    return new PromQLException(ParseError.at(input, offset, message));
  }

  /**
   * An error Prometheus's parser finds only once it has read the next token: if that token is a
   * lexing error, that error is the one reported.
   */
  private PromQLException errorAfterLookahead(int offset, String message) {
    if (kind() == Tok.ERROR) {
      return error(start(), lx.error);
    }
    return error(offset, message);
  }

  /** Prometheus's {@code unexpected}: names the token, or reports the lexer's error. */
  private PromQLException unexpected(String in, String expected) {
    if (kind() == Tok.ERROR) {
      return error(start(), lx.error);
    }
    if (in == null) {
      in = context;
      expected = contextExpects;
    }
    StringBuilder m = new StringBuilder("unexpected ").append(kind().describe(text()));
    if (in != null) {
      m.append(" in ").append(in);
    }
    if (expected != null) {
      m.append(", expected ").append(expected);
    }
    return error(start(), m.toString());
  }

  /** Enters a construct with an error rule; returns what to restore. */
  private String[] enter(String in, String expected) {
    String[] previous = {context, contextExpects};
    context = in;
    contextExpects = expected;
    return previous;
  }

  private void leave(String[] previous) {
    context = previous[0];
    contextExpects = previous[1];
  }

  private int expect(Tok t, String in, String expected) {
    if (kind() != t) {
      throw unexpected(in, expected);
    }
    return lx.starts[i++];
  }

  // ---- expressions

  private Expr top() {
    if (kind() == Tok.EOF) {
      throw error(0, "no expression found in input");
    }
    Expr e = expr(1);
    if (kind() != Tok.EOF) {
      throw unexpected(null, null);
    }
    return e;
  }

  private Expr expr(int minPrecedence) {
    Expr lhs = unary();
    while (true) {
      Tok op = kind();
      int precedence = op.precedence();
      if (precedence == 0 || precedence < minPrecedence) {
        return lhs;
      }
      int opPos = start();
      i++;
      boolean returnBool = false;
      if (kind() == Tok.BOOL) {
        returnBool = true;
        i++;
      }
      boolean on = false;
      List<String> matchingLabels = List.of();
      List<String> include = List.of();
      Cardinality card = Cardinality.ONE_TO_ONE;
      if (kind() == Tok.ON || kind() == Tok.IGNORING) {
        on = kind() == Tok.ON;
        i++;
        matchingLabels = groupingLabels();
        if (kind() == Tok.GROUP_LEFT || kind() == Tok.GROUP_RIGHT) {
          card = kind() == Tok.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
          i++;
          if (kind() == Tok.LEFT_PAREN) {
            include = groupingLabels();
          } else if (!startsExpression(kind()) && !isFill(kind())) {
            throw unexpected("grouping opts", "\"(\"");
          }
        }
      }
      boolean fill = false;
      for (int n = 0; n < 2 && isFill(kind()); n++) {
        fill = true;
        i++;
        fillValue();
      }
      Expr rhs = expr(op == Tok.POW ? precedence : precedence + 1);
      if (fill) {
        throw error(lhs.pos(), "binop fill modifiers are experimental and not enabled");
      }
      lhs =
          new BinaryExpr(
              operator(op),
              lhs,
              rhs,
              returnBool,
              Optional.of(new VectorMatching(card, on, matchingLabels, include)),
              lhs.pos(),
              opPos);
    }
  }

  /** Whether a token can begin an expression. */
  private static boolean startsExpression(Tok t) {
    switch (t) {
      case NUMBER:
      case DURATION:
      case STRING:
      case LEFT_PAREN:
      case LEFT_BRACE:
      case IDENTIFIER:
      case METRIC_IDENTIFIER:
      case ADD:
      case SUB:
      case BY:
      case WITHOUT:
      case LAND:
      case LOR:
      case LUNLESS:
      case OFFSET:
      case ANCHORED:
      case SMOOTHED:
      case FILL:
      case FILL_LEFT:
      case FILL_RIGHT:
      case START:
      case END:
      case STEP:
      case RANGE:
      case MAX_OF:
      case MIN_OF:
        return true;
      default:
        return t.isAggregator();
    }
  }

  private static boolean isFill(Tok t) {
    return t == Tok.FILL || t == Tok.FILL_LEFT || t == Tok.FILL_RIGHT;
  }

  private void fillValue() {
    expect(Tok.LEFT_PAREN, null, null);
    if (kind() == Tok.ADD || kind() == Tok.SUB) {
      i++;
    }
    if (kind() != Tok.NUMBER && kind() != Tok.DURATION) {
      throw unexpected(null, null);
    }
    i++;
    expect(Tok.RIGHT_PAREN, null, null);
  }

  private Expr unary() {
    Tok t = kind();
    if (t == Tok.ADD || t == Tok.SUB) {
      int pos = start();
      i++;
      Expr operand = expr(UNARY_OPERAND);
      if (operand instanceof NumberLiteral n) {
        return new NumberLiteral(t == Tok.SUB ? -n.value() : n.value(), n.duration(), pos);
      }
      return new UnaryExpr(t == Tok.SUB ? Operator.SUB : Operator.ADD, operand, pos);
    }
    return postfix(primary());
  }

  private Expr primary() {
    Tok t = kind();
    int pos = start();
    switch (t) {
      case NUMBER:
        i++;
        return new NumberLiteral(number(lx.text(i - 1), pos), false, pos);
      case DURATION:
        i++;
        return new NumberLiteral(durationSeconds(lx.text(i - 1), pos), true, pos);
      case STRING:
        i++;
        return new StringLiteral(unquote(lx.text(i - 1)), pos);
      case LEFT_PAREN:
        {
          i++;
          Expr inner = expr(1);
          if (kind() != Tok.RIGHT_PAREN) {
            throw unexpected(null, null);
          }
          i++;
          return new ParenExpr(inner, pos);
        }
      case LEFT_BRACE:
        return selector("", pos);
      case IDENTIFIER:
        if (kindAt(i + 1) == Tok.LEFT_PAREN) {
          return call();
        }
        i++;
        return selector(lx.text(i - 1), pos);
      case START:
      case END:
      case STEP:
      case RANGE:
      case MAX_OF:
      case MIN_OF:
        if (kindAt(i + 1) == Tok.LEFT_PAREN) {
          return call();
        }
        i++;
        return selector(lx.text(i - 1), pos);
      case METRIC_IDENTIFIER:
      case BY:
      case WITHOUT:
      case LAND:
      case LOR:
      case LUNLESS:
      case OFFSET:
      case ANCHORED:
      case SMOOTHED:
      case FILL:
      case FILL_LEFT:
      case FILL_RIGHT:
        i++;
        return selector(lx.text(i - 1), pos);
      default:
        if (t.isAggregator()) {
          Tok next = kindAt(i + 1);
          if (next == Tok.LEFT_PAREN || next == Tok.BY || next == Tok.WITHOUT) {
            return aggregate();
          }
          i++;
          return selector(lx.text(i - 1), pos);
        }
        throw unexpected(null, null);
    }
  }

  private Expr postfix(Expr e) {
    while (true) {
      switch (kind()) {
        case LEFT_BRACKET:
          e = range(e);
          break;
        case OFFSET:
          {
            i++;
            String[] outer = enter("offset", "number, duration, step(), or range()");
            DurationExpr offset = offsetDuration();
            leave(outer);
            e = withOffset(e, offset);
            break;
          }
        case AT:
          {
            i++;
            String[] outer = enter("@", "timestamp");
            At at = at(e);
            leave(outer);
            e = withAt(e, at);
            break;
          }
        case ANCHORED:
        case SMOOTHED:
          e = withAnchoredOrSmoothed(e, kind() == Tok.ANCHORED);
          i++;
          break;
        default:
          return e;
      }
    }
  }

  private Expr range(Expr e) {
    int bracket = start();
    i++;
    String[] outer = enter("subquery or range selector", "number, duration, step(), or range()");
    if (kind() == Tok.COLON || kind() == Tok.RIGHT_BRACKET) {
      throw unexpected(null, null);
    }
    DurationExpr range = positiveDuration();
    if (kind() == Tok.COLON) {
      i++;
      enter("subquery selector", "number, duration, step(), range(), or \"]\"");
      Optional<DurationExpr> step = Optional.empty();
      if (kind() != Tok.RIGHT_BRACKET) {
        step = Optional.of(positiveDuration());
      }
      expect(Tok.RIGHT_BRACKET, "subquery selector", "\"]\"");
      leave(outer);
      return new SubqueryExpr(e, range, step, Optional.empty(), Optional.empty(), e.pos());
    }
    expect(Tok.RIGHT_BRACKET, "subquery or range", "\":\" or \"]\"");
    leave(outer);
    if (!(e instanceof VectorSelector vs)) {
      throw error(bracket, "ranges only allowed for vector selectors");
    }
    if (vs.offset().isPresent()) {
      throw error(bracket, "no offset modifiers allowed before range");
    }
    if (vs.at().isPresent()) {
      throw error(bracket, "no @ modifiers allowed before range");
    }
    return new MatrixSelector(vs, range, vs.pos());
  }

  private Expr withOffset(Expr e, DurationExpr offset) {
    if (e instanceof VectorSelector vs) {
      checkOffsetUnset(e, vs.offset());
      return vs.withOffset(offset);
    }
    if (e instanceof MatrixSelector m) {
      checkOffsetUnset(e, m.selector().offset());
      return new MatrixSelector(m.selector().withOffset(offset), m.range(), m.pos());
    }
    if (e instanceof SubqueryExpr s) {
      checkOffsetUnset(e, s.offset());
      return new SubqueryExpr(s.expr(), s.range(), s.step(), Optional.of(offset), s.at(), s.pos());
    }
    throw error(
        e.pos(),
        "offset modifier must be preceded by an instant vector selector or range vector selector"
            + " or a subquery");
  }

  private void checkOffsetUnset(Expr e, Optional<DurationExpr> offset) {
    // Prometheus keeps a zero offset as "not set".
    if (offset.isPresent()
        && !(offset.get() instanceof DurationExpr.Literal l && l.seconds() == 0)) {
      throw error(e.pos(), "offset may not be set multiple times");
    }
  }

  private At at(Expr target) {
    if (kind() == Tok.START || kind() == Tok.END) {
      Tok t = kind();
      i++;
      expect(Tok.LEFT_PAREN, "@", "timestamp");
      expect(Tok.RIGHT_PAREN, "@", "timestamp");
      return t == Tok.START ? At.start() : At.end();
    }
    int pos = target.pos();
    boolean negative = false;
    if (kind() == Tok.ADD || kind() == Tok.SUB) {
      negative = kind() == Tok.SUB;
      i++;
    }
    double ts;
    if (kind() == Tok.NUMBER) {
      ts = number(text(), start());
    } else if (kind() == Tok.DURATION) {
      ts = durationSeconds(text(), start());
    } else {
      throw unexpected("@", "timestamp");
    }
    i++;
    ts = negative ? -ts : ts;
    if (Double.isNaN(ts)
        || Double.isInfinite(ts)
        || ts >= 9.223372036854775807e18
        || ts <= -9.223372036854775807e18) {
      String shown =
          Double.isNaN(ts)
              ? "NaN"
              : Double.isInfinite(ts) ? (ts > 0 ? "+Inf" : "-Inf") : String.format("%f", ts);
      throw error(pos, "timestamp out of bounds for @ modifier: " + shown);
    }
    return new At(At.Kind.TIMESTAMP, ts);
  }

  private Expr withAt(Expr e, At at) {
    if (e instanceof VectorSelector vs) {
      checkAtUnset(e, vs.at());
      return vs.withAt(at);
    }
    if (e instanceof MatrixSelector m) {
      checkAtUnset(e, m.selector().at());
      return new MatrixSelector(m.selector().withAt(at), m.range(), m.pos());
    }
    if (e instanceof SubqueryExpr s) {
      checkAtUnset(e, s.at());
      return new SubqueryExpr(s.expr(), s.range(), s.step(), s.offset(), Optional.of(at), s.pos());
    }
    throw error(
        e.pos(),
        "@ modifier must be preceded by an instant vector selector or range vector selector or a"
            + " subquery");
  }

  /** {@code anchored} / {@code smoothed}, which promtool 3.16 accepts without a feature flag. */
  private Expr withAnchoredOrSmoothed(Expr e, boolean anchored) {
    String name = anchored ? "anchored" : "smoothed";
    VectorSelector vs;
    if (e instanceof VectorSelector v) {
      vs = v;
    } else if (e instanceof MatrixSelector m) {
      vs = m.selector();
    } else if (e instanceof SubqueryExpr) {
      throw error(e.pos(), name + " modifier is not supported for subqueries");
    } else {
      throw error(e.pos(), name + " modifier not implemented");
    }
    if (anchored ? vs.smoothed() : vs.anchored()) {
      throw error(e.pos(), "anchored and smoothed modifiers cannot be used together");
    }
    VectorSelector updated = vs.withAnchored(vs.anchored() || anchored, vs.smoothed() || !anchored);
    return e instanceof MatrixSelector m
        ? new MatrixSelector(updated, m.range(), m.pos())
        : updated;
  }

  private void checkAtUnset(Expr e, Optional<At> at) {
    if (at.isPresent()) {
      throw error(e.pos(), "@ <timestamp> may not be set multiple times");
    }
  }

  // ---- selectors

  private VectorSelector selector(String name, int pos) {
    List<LabelMatcher> matchers = new ArrayList<>(4);
    if (kind() == Tok.LEFT_BRACE) {
      i++;
      while (kind() != Tok.RIGHT_BRACE) {
        matchers.add(matcher());
        if (kind() == Tok.COMMA) {
          i++;
        } else if (kind() != Tok.RIGHT_BRACE) {
          throw unexpected("label matching", "\",\" or \"}\"");
        }
      }
      i++;
    }
    if (!name.isEmpty()) {
      matchers.add(new LabelMatcher("__name__", LabelMatcher.Type.EQUAL, name, false));
    }
    // The name, or the closing brace, was the last token read.
    int end = lx.ends[i - 1];
    return new VectorSelector(
        name, matchers, Optional.empty(), Optional.empty(), false, false, pos, end);
  }

  private LabelMatcher matcher() {
    int pos = start();
    String label;
    boolean quoted;
    if (kind() == Tok.IDENTIFIER) {
      label = text();
      quoted = false;
    } else if (kind() == Tok.STRING) {
      label = unquote(text());
      quoted = true;
    } else {
      throw unexpected("label matching", "identifier or \"}\"");
    }
    i++;
    LabelMatcher.Type type;
    switch (kind()) {
      case EQL:
        type = LabelMatcher.Type.EQUAL;
        break;
      case NEQ:
        type = LabelMatcher.Type.NOT_EQUAL;
        break;
      case EQL_REGEX:
        type = LabelMatcher.Type.REGEX;
        break;
      case NEQ_REGEX:
        type = LabelMatcher.Type.NOT_REGEX;
        break;
      default:
        if (quoted && (kind() == Tok.COMMA || kind() == Tok.RIGHT_BRACE)) {
          return new LabelMatcher("__name__", LabelMatcher.Type.EQUAL, label, false);
        }
        if (quoted) {
          throw unexpected("label matching", "\",\" or \"}\"");
        }
        throw unexpected("label matching", "label matching operator");
    }
    i++;
    if (kind() != Tok.STRING) {
      throw unexpected("label matching", "string");
    }
    String value = unquote(text());
    i++;
    boolean regexMatchesEmpty = false;
    if (type == LabelMatcher.Type.REGEX || type == LabelMatcher.Type.NOT_REGEX) {
      // Prometheus parses the value alone (grafana/regexp's parser), then compiles it anchored,
      // ^(?s:value)$.
      String anchored = GoRegexp.anchoredAsPrometheus(value);
      Optional<RegexpError> problem =
          GoRegexp.check(value, GoRegexp.Dialect.PROMQL_MATCHER)
              .or(() -> GoRegexp.check(anchored, GoRegexp.Dialect.PROMQL_MATCHER));
      if (problem.isPresent()) {
        throw error(pos, problem.get().message());
      }
      regexMatchesEmpty = GoRegexp.matchesEmpty(anchored, GoRegexp.Dialect.PROMQL_MATCHER);
    }
    return new LabelMatcher(label, type, value, regexMatchesEmpty);
  }

  // ---- calls and aggregations

  private Expr call() {
    int pos = start();
    String name = text();
    i++;
    List<Expr> args = callBody();
    Function f = Function.named(name).orElse(null);
    if (f == null) {
      throw error(pos, "unknown function with name " + Lexer.quote(name));
    }
    if (f.experimental() && !experimental) {
      throw error(pos, "function " + Lexer.quote(name) + " is not enabled");
    }
    return new Call(f, args, pos);
  }

  private List<Expr> callBody() {
    expect(Tok.LEFT_PAREN, null, null);
    List<Expr> args = new ArrayList<>(4);
    if (kind() == Tok.RIGHT_PAREN) {
      i++;
      return args;
    }
    while (true) {
      args.add(expr(1));
      if (kind() == Tok.COMMA) {
        int comma = start();
        i++;
        if (kind() == Tok.ERROR) {
          throw unexpected(null, null);
        }
        if (!startsExpression(kind())) {
          throw error(comma, "trailing commas not allowed in function call args");
        }
      } else if (kind() == Tok.RIGHT_PAREN) {
        i++;
        return args;
      } else {
        throw unexpected(null, null);
      }
    }
  }

  private Expr aggregate() {
    int pos = start();
    Tok op = kind();
    i++;
    String[] outer = enter("aggregation", null);
    List<String> grouping = List.of();
    boolean without = false;
    boolean modifier = false;
    if (kind() == Tok.BY || kind() == Tok.WITHOUT) {
      without = kind() == Tok.WITHOUT;
      i++;
      grouping = groupingLabels();
      modifier = true;
    }
    if (kind() != Tok.LEFT_PAREN) {
      throw unexpected(null, null);
    }
    List<Expr> args = callBody();
    if (!modifier && (kind() == Tok.BY || kind() == Tok.WITHOUT)) {
      without = kind() == Tok.WITHOUT;
      i++;
      grouping = groupingLabels();
    }
    leave(outer);
    if (args.isEmpty()) {
      throw error(pos, "no arguments for aggregate expression provided");
    }
    boolean withParam =
        op == Tok.TOPK
            || op == Tok.BOTTOMK
            || op == Tok.COUNT_VALUES
            || op == Tok.QUANTILE
            || op == Tok.LIMITK
            || op == Tok.LIMIT_RATIO;
    if ((op == Tok.LIMITK || op == Tok.LIMIT_RATIO) && !experimental) {
      throw error(
          pos,
          op.text
              + "() is experimental and must be enabled with"
              + " --enable-feature=promql-experimental-functions");
    }
    int desired = withParam ? 2 : 1;
    if (args.size() != desired) {
      throw error(
          pos,
          "wrong number of arguments for aggregate expression provided, expected "
              + desired
              + ", got "
              + args.size());
    }
    return new AggregateExpr(
        operator(op),
        args.get(desired - 1),
        withParam ? Optional.of(args.get(0)) : Optional.empty(),
        grouping,
        without,
        pos);
  }

  private List<String> groupingLabels() {
    if (kind() != Tok.LEFT_PAREN) {
      throw unexpected("grouping opts", "\"(\"");
    }
    i++;
    String[] outer = enter("grouping opts", "label");
    List<String> labels = new ArrayList<>(4);
    while (kind() != Tok.RIGHT_PAREN) {
      Tok t = kind();
      int pos = start();
      String label;
      if (t == Tok.STRING) {
        label = unquote(text());
      } else if (isLabelWord(t)) {
        label = text();
      } else {
        throw unexpected("grouping opts", "label");
      }
      if (label.isEmpty()) {
        throw error(pos, "invalid label name for grouping: " + Lexer.quote(label));
      }
      labels.add(label);
      i++;
      if (kind() == Tok.COMMA) {
        i++;
      } else if (kind() != Tok.RIGHT_PAREN) {
        throw unexpected("grouping opts", "\",\" or \")\"");
      }
    }
    i++;
    leave(outer);
    return labels;
  }

  /** Prometheus's {@code maybe_label}: identifiers and every keyword except {@code without}. */
  private static boolean isLabelWord(Tok t) {
    switch (t) {
      case IDENTIFIER:
      case METRIC_IDENTIFIER:
      case BOOL:
      case BY:
      case GROUP_LEFT:
      case GROUP_RIGHT:
      case FILL:
      case FILL_LEFT:
      case FILL_RIGHT:
      case IGNORING:
      case LAND:
      case LOR:
      case LUNLESS:
      case OFFSET:
      case ON:
      case START:
      case END:
      case ATAN2:
      case STEP:
      case RANGE:
      case ANCHORED:
      case SMOOTHED:
      case MAX_OF:
      case MIN_OF:
        return true;
      default:
        return t.isAggregator();
    }
  }

  // ---- durations

  /** After {@code offset}: one signed literal, {@code step()}, {@code range()}, ... or (...). */
  private DurationExpr offsetDuration() {
    int pos = start();
    Tok t = kind();
    if (t == Tok.ADD || t == Tok.SUB) {
      i++;
      DurationExpr operand = kind() == Tok.LEFT_PAREN ? durationAtom() : offsetDuration();
      if (operand instanceof DurationExpr.Literal l) {
        double v = t == Tok.SUB ? -l.seconds() : l.seconds();
        if (outOfRange(v)) {
          throw error(pos, "duration out of range");
        }
        return new DurationExpr.Literal(v, pos);
      }
      return t == Tok.SUB ? new DurationExpr.Compound("-", List.of(operand), pos) : operand;
    }
    if (t == Tok.LEFT_PAREN) {
      // As in Prometheus's grammar, arithmetic may follow a parenthesised offset:
      // "offset (1m) * 2" is an offset of 2m, "offset 1m * 2" an offset of 1m times 2.
      return durationBinary(durationAtom(), 1);
    }
    if (t == Tok.NUMBER
        || t == Tok.DURATION
        || t == Tok.STEP
        || t == Tok.RANGE
        || t == Tok.MAX_OF
        || t == Tok.MIN_OF) {
      return durationAtom();
    }
    throw unexpected(null, null);
  }

  private DurationExpr positiveDuration() {
    DurationExpr d = durationExpr(1);
    if (d instanceof DurationExpr.Literal l && l.seconds() <= 0) {
      throw errorAfterLookahead(l.pos(), "duration must be greater than 0");
    }
    return d;
  }

  /** Arithmetic on durations, with the precedences of the binary operators. */
  private DurationExpr durationExpr(int minPrecedence) {
    return durationBinary(durationUnary(), minPrecedence);
  }

  private DurationExpr durationBinary(DurationExpr lhs, int minPrecedence) {
    while (true) {
      Tok op = kind();
      int precedence =
          op == Tok.ADD
                  || op == Tok.SUB
                  || op == Tok.MUL
                  || op == Tok.DIV
                  || op == Tok.MOD
                  || op == Tok.POW
              ? op.precedence()
              : 0;
      if (precedence == 0 || precedence < minPrecedence) {
        return lhs;
      }
      int opPos = start();
      i++;
      DurationExpr rhs = durationExpr(op == Tok.POW ? precedence : precedence + 1);
      if (rhs instanceof DurationExpr.Literal l && l.seconds() == 0) {
        if (op == Tok.DIV) {
          throw errorAfterLookahead(opPos, "division by zero");
        }
        if (op == Tok.MOD) {
          throw errorAfterLookahead(opPos, "modulo by zero");
        }
      }
      lhs = new DurationExpr.Compound(op.text, List.of(lhs, rhs), lhs.pos());
    }
  }

  private DurationExpr durationUnary() {
    Tok t = kind();
    if (t == Tok.ADD || t == Tok.SUB) {
      int pos = start();
      i++;
      DurationExpr operand = durationExpr(Tok.POW.precedence());
      if (operand instanceof DurationExpr.Literal l) {
        double v = t == Tok.SUB ? -l.seconds() : l.seconds();
        if (outOfRange(v)) {
          throw error(pos, "duration out of range");
        }
        return new DurationExpr.Literal(v, pos);
      }
      return t == Tok.SUB ? new DurationExpr.Compound("-", List.of(operand), pos) : operand;
    }
    return durationAtom();
  }

  private DurationExpr durationAtom() {
    Tok t = kind();
    int pos = start();
    switch (t) {
      case NUMBER:
      case DURATION:
        {
          double v = t == Tok.NUMBER ? number(text(), pos) : durationSeconds(text(), pos);
          if (outOfRange(v)) {
            throw error(pos, "duration out of range");
          }
          i++;
          return new DurationExpr.Literal(v, pos);
        }
      case STEP:
      case RANGE:
        i++;
        expect(Tok.LEFT_PAREN, null, null);
        expect(Tok.RIGHT_PAREN, null, null);
        return new DurationExpr.Compound(t.text, List.of(), pos);
      case MAX_OF:
      case MIN_OF:
        {
          i++;
          expect(Tok.LEFT_PAREN, null, null);
          DurationExpr a = durationExpr(1);
          expect(Tok.COMMA, null, null);
          DurationExpr b = durationExpr(1);
          expect(Tok.RIGHT_PAREN, null, null);
          return new DurationExpr.Compound(t.text, List.of(a, b), pos);
        }
      case LEFT_PAREN:
        {
          i++;
          DurationExpr inner = durationExpr(1);
          expect(Tok.RIGHT_PAREN, null, null);
          return new DurationExpr.Compound("()", List.of(inner), pos);
        }
      default:
        throw unexpected(null, null);
    }
  }

  private static boolean outOfRange(double seconds) {
    return seconds > MAX_DURATION_SECONDS || seconds < -MAX_DURATION_SECONDS;
  }

  // ---- literals

  /** Go's {@code strconv.ParseInt(s, 0, 64)}, falling back to {@code ParseFloat}. */
  private double number(String s, int pos) {
    int length = s.length();
    if (s.indexOf('_') >= 0 && !underscoresBetweenDigits(s)) {
      throw error(
          pos,
          "error parsing number: strconv.ParseFloat: parsing "
              + Lexer.quote(s)
              + ": invalid syntax");
    }
    if (length > 1 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
      String digits = s.substring(2).replace("_", "");
      try {
        return Long.parseLong(digits, 16);
      } catch (NumberFormatException e) {
        throw error(
            pos,
            "error parsing number: strconv.ParseFloat: parsing "
                + Lexer.quote(s)
                + ": invalid syntax");
      }
    }
    String plain = s.indexOf('_') >= 0 ? s.replace("_", "") : s;
    if (length > 1 && s.charAt(0) == '0' && isOctal(plain)) {
      try {
        return Long.parseLong(plain, 8);
      } catch (NumberFormatException e) {
        // Too large: as a float.
      }
    }
    char c = plain.charAt(0);
    if (c == 'i' || c == 'I') {
      return Double.POSITIVE_INFINITY;
    }
    if (c == 'n' || c == 'N') {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(plain);
      if (Double.isInfinite(v)) {
        throw error(
            pos,
            "error parsing number: strconv.ParseFloat: parsing "
                + Lexer.quote(s)
                + ": value out of range");
      }
      return v;
    } catch (NumberFormatException e) {
      throw error(
          pos,
          "error parsing number: strconv.ParseFloat: parsing "
              + Lexer.quote(s)
              + ": invalid syntax");
    }
  }

  /** Go allows an underscore only between digits, or after a base prefix. */
  private static boolean underscoresBetweenDigits(String s) {
    for (int k = s.indexOf('_'); k >= 0; k = s.indexOf('_', k + 1)) {
      boolean afterPrefix = k == 2 && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
      boolean afterDigit = k > 0 && Character.digit(s.charAt(k - 1), 16) >= 0;
      boolean beforeDigit = k + 1 < s.length() && Character.digit(s.charAt(k + 1), 16) >= 0;
      if (!(afterPrefix || afterDigit) || !beforeDigit) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOctal(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  /** Prometheus's {@code model.ParseDuration}: units from years to ms, each at most once. */
  private double durationSeconds(String s, int pos) {
    if (s.equals("0")) {
      return 0;
    }
    for (int k = 0; k < s.length(); ) {
      int digits = k;
      while (k < s.length() && Lexer.isDigit(s.charAt(k))) {
        k++;
      }
      int unit = k;
      while (k < s.length() && !Lexer.isDigit(s.charAt(k))) {
        k++;
      }
      String u = s.substring(unit, k);
      if (unit > digits && !u.matches("y|w|d|h|m|s|ms")) {
        throw error(pos, "unknown unit " + Lexer.quote(u) + " in duration " + Lexer.quote(s));
      }
    }
    Matcher m = DURATION.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      throw error(pos, "not a valid duration string: " + Lexer.quote(s));
    }
    long ms = 0;
    for (int g = 1; g <= 7; g++) {
      String n = m.group(g);
      if (n == null) {
        continue;
      }
      try {
        long v = Math.multiplyExact(Long.parseLong(n), DURATION_UNIT_MS[g - 1]);
        ms = Math.addExact(ms, v);
      } catch (ArithmeticException | NumberFormatException e) {
        throw error(pos, "invalid duration: " + Lexer.quote(s));
      }
    }
    if (ms > Long.MAX_VALUE / 1_000_000) {
      throw error(pos, "duration out of range");
    }
    return ms / 1000.0;
  }

  /** Go's {@code strconv.Unquote} for the three quote kinds the lexer has already checked. */
  static String unquote(String s) {
    char quote = s.charAt(0);
    String body = s.substring(1, s.length() - 1);
    if (quote == '`' || body.indexOf('\\') < 0) {
      return body;
    }
    StringBuilder b = new StringBuilder(body.length());
    for (int k = 0; k < body.length(); k++) {
      char c = body.charAt(k);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = body.charAt(++k);
      switch (e) {
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'v' -> b.append('\u000b');
        case 'x' -> {
          b.append((char) Integer.parseInt(body.substring(k + 1, k + 3), 16));
          k += 2;
        }
        case 'u' -> {
          b.appendCodePoint(Integer.parseInt(body.substring(k + 1, k + 5), 16));
          k += 4;
        }
        case 'U' -> {
          b.appendCodePoint(Integer.parseInt(body.substring(k + 1, k + 9), 16));
          k += 8;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            b.append((char) Integer.parseInt(body.substring(k, k + 3), 8));
            k += 2;
          } else {
            b.append(e);
          }
        }
      }
    }
    return b.toString();
  }

  private static Operator operator(Tok t) {
    switch (t) {
      case LAND:
        return Operator.AND;
      case LOR:
        return Operator.OR;
      case LUNLESS:
        return Operator.UNLESS;
      default:
        return Operator.valueOf(t.name());
    }
  }

  // ---- type checking, as Prometheus's checkAST

  private ValueType check(Expr node) {
    if (node instanceof AggregateExpr a) {
      expectType(a.expr(), ValueType.INSTANT_VECTOR, "aggregation expression");
      Operator op = a.op();
      if (op == Operator.TOPK
          || op == Operator.BOTTOMK
          || op == Operator.QUANTILE
          || op == Operator.LIMITK
          || op == Operator.LIMIT_RATIO) {
        expectType(a.param().orElseThrow(), ValueType.SCALAR, "aggregation parameter");
      }
      if (op == Operator.COUNT_VALUES) {
        expectType(a.param().orElseThrow(), ValueType.STRING, "aggregation parameter");
      }
    } else if (node instanceof BinaryExpr b) {
      checkBinary(b);
    } else if (node instanceof Call c) {
      checkCall(c);
    } else if (node instanceof ParenExpr p) {
      check(p.expr());
    } else if (node instanceof UnaryExpr u) {
      ValueType t = check(u.expr());
      if (t != ValueType.SCALAR && t != ValueType.INSTANT_VECTOR) {
        throw error(
            u.pos(),
            "unary expression only allowed on expressions of type scalar or instant vector, got "
                + Lexer.quote(t.documented()));
      }
    } else if (node instanceof SubqueryExpr s) {
      ValueType t = check(s.expr());
      if (t != ValueType.INSTANT_VECTOR) {
        throw error(
            s.pos(), "subquery is only allowed on instant vector, got " + goName(t) + " instead");
      }
    } else if (node instanceof MatrixSelector m) {
      check(m.selector());
    } else if (node instanceof VectorSelector vs) {
      checkSelector(vs);
    }
    return node.type();
  }

  private static String goName(ValueType t) {
    switch (t) {
      case INSTANT_VECTOR:
        return "vector";
      case RANGE_VECTOR:
        return "matrix";
      default:
        return t.documented();
    }
  }

  private void expectType(Expr node, ValueType want, String context) {
    ValueType t = check(node);
    if (t != want) {
      throw error(
          node.pos(),
          "expected type " + want.documented() + " in " + context + ", got " + t.documented());
    }
  }

  private void checkBinary(BinaryExpr n) {
    ValueType lt = check(n.lhs());
    ValueType rt = check(n.rhs());
    Operator op = n.op();
    if (n.returnBool() && !op.isComparison()) {
      throw error(n.opPos(), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !n.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw error(n.opPos(), "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching vm = n.matching().orElseThrow();
    if (vm.on()) {
      for (String l : vm.matchingLabels()) {
        if (vm.include().contains(l)) {
          throw error(
              n.opPos(),
              "label " + Lexer.quote(l) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.INSTANT_VECTOR) {
      throw error(
          n.lhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.INSTANT_VECTOR) {
      throw error(
          n.rhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ValueType.INSTANT_VECTOR || rt != ValueType.INSTANT_VECTOR) {
      if (!vm.matchingLabels().isEmpty()) {
        throw error(n.pos(), "vector matching only allowed between instant vectors");
      }
    } else if (op.isSetOperator()
        && (vm.cardinality() == Cardinality.ONE_TO_MANY
            || vm.cardinality() == Cardinality.MANY_TO_ONE)) {
      throw error(n.pos(), "no grouping allowed for " + Lexer.quote(op.symbol()) + " operation");
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(
          n.pos(),
          "set operator " + Lexer.quote(op.symbol()) + " not allowed in binary scalar expression");
    }
  }

  private void checkCall(Call n) {
    Function f = n.function();
    int nargs = f.argTypes().size();
    int given = n.args().size();
    if (f.variadic() == 0) {
      if (nargs != given) {
        throw error(
            n.pos(),
            "expected "
                + nargs
                + " argument(s) in call to "
                + Lexer.quote(f.name())
                + ", got "
                + given);
      }
    } else {
      int na = nargs - 1;
      if (na > given) {
        throw error(
            n.pos(),
            "expected at least "
                + na
                + " argument(s) in call to "
                + Lexer.quote(f.name())
                + ", got "
                + given);
      } else if (f.variadic() > 0 && na + f.variadic() < given) {
        throw error(
            n.pos(),
            "expected at most "
                + (na + f.variadic())
                + " argument(s) in call to "
                + Lexer.quote(f.name())
                + ", got "
                + given);
      }
    }
    boolean info = f.name().equals("info") && given > 1;
    if (info) {
      Expr second = n.args().get(1);
      if (second.type() != ValueType.INSTANT_VECTOR) {
        throw error(
            n.pos(),
            "expected type instant vector in call to function \"info\", got "
                + second.type().documented());
      }
      if (second instanceof VectorSelector vs && !vs.name().isEmpty()) {
        throw error(second.pos(), "expected label selectors only, got vector selector instead");
      } else if (!(second instanceof VectorSelector)) {
        throw error(second.pos(), "expected label selectors only");
      }
    }
    for (int k = 0; k < given; k++) {
      int typeIndex = k;
      if (k >= nargs) {
        if (f.variadic() == 0) {
          break;
        }
        typeIndex = nargs - 1;
      }
      Expr arg = n.args().get(k);
      ValueType want = f.argTypes().get(typeIndex);
      ValueType t = info && k == 1 ? arg.type() : check(arg);
      if (t != want) {
        throw error(
            arg.pos(),
            "expected type "
                + want.documented()
                + " in call to function "
                + Lexer.quote(f.name())
                + ", got "
                + t.documented());
      }
    }
  }

  private void checkSelector(VectorSelector n) {
    List<LabelMatcher> matchers = n.matchers();
    if (!n.name().isEmpty()) {
      for (int k = 0; k < matchers.size() - 1; k++) {
        LabelMatcher m = matchers.get(k);
        if (m.name().equals("__name__")) {
          throw error(
              n.pos(),
              "metric name must not be set twice: "
                  + Lexer.quote(n.name())
                  + " or "
                  + Lexer.quote(m.value()));
        }
      }
      return;
    }
    for (LabelMatcher m : matchers) {
      if (!m.matchesEmpty()) {
        return;
      }
    }
    throw error(n.pos(), "vector selector must contain at least one non-empty matcher");
  }
}
