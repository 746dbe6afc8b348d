package dev.vigil.reconcilers.goregex;

import java.util.ArrayList;
import java.util.List;

/**
 * One pass over an expression as Go's {@code regexp/syntax} parses it with the {@code Perl} flags
 * ({@code regexp.Compile}): the same tokens, the same errors in the same order, with Go's codes and
 * fragments. Along the way it writes the expression as RE2/J must read it to match as Go matches
 * (RE2/J is a port of an older Go), and builds enough of Go's parse tree to apply Go's limits: a
 * repetition may not repeat more than 1000 times in all ({@code (a{100}){100}}), the tree may not
 * be more than 1000 deep, and the compiled program and its character classes may not pass 128 MiB.
 * The error codes and the parts they name follow Go's {@code parse.go}; the code here is Vigil's.
 *
 * <p>What RE2/J reads has every class written out as plain ranges (Unicode tables included, which
 * RE2/J has only as of Unicode 6.0), every letter under {@code (?i)} written as the class of its
 * case variants, and no {@code i} flag left, so RE2/J never folds case itself (see {@link
 * CharSets}); each group is named by its number, since Go allows two groups one name.
 *
 * <p>Go checks the limits on its own tree, which merges, flattens and factors as it goes. The tree
 * here does the merging and flattening that only lower it; where Go's factoring of alternatives
 * could make its tree deeper, the depth here counts the most that factoring could add, and the
 * sizes count nothing factoring would save. So near the limits it refuses what Go might accept,
 * never the other way round; far from them (every expression a person writes) it answers as Go
 * does.
 */
final class GoSyntax {
  static final int MAX_HEIGHT = 1000;
  static final long MAX_SIZE = (128L << 20) / 40;
  static final long MAX_RUNES = (128L << 20) / 4;

  /** The most runes a {@code \p} table, with its case folds, adds to a class (Go: 1424, for C). */
  private static final int UNICODE_TABLE_RUNES = 1500;

  /** The most runes a Perl ({@code \d}) or POSIX ({@code [:word:]}) class adds (Go: 14). */
  private static final int SMALL_TABLE_RUNES = 16;

  /**
   * What a parse found: Go's error; or the expression for RE2/J, the groups' names, the size of the
   * program Go would compile (in instructions, at most) and whether the expression matches the
   * empty string.
   */
  record Result(
      RegexpError error, String re2j, List<String> subexpNames, long size, boolean matchesEmpty) {}

  /** Go's error, thrown to the top of the parse. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient RegexpError error;

    Failure(RegexpError error) {
      super(error.code(), null, false, false);
      this.error = error;
    }
  }

  private enum Op {
    LITERAL,
    CLASS,
    LEAF,
    EMPTY,
    CAPTURE,
    STAR,
    PLUS,
    QUEST,
    REPEAT,
    CONCAT,
    ALTERNATE,
    /** Levels Go's factoring of an alternation may add above it: the same size, one deeper. */
    PAD
  }

  /** A node of the tree, with the measures Go's limits need. */
  private static final class Node {
    final Op op;
    final List<Node> subs;
    final int min;
    final int max;
    final boolean fold;

    /** Runes of a literal, the most runes of a class, 0 for the others. */
    final long runes;

    /** A literal's runes, folded to one case when {@code fold}; null for the others. */
    final int[] text;

    final int height;
    final long size;

    /** Whether the node matches the empty string, all of it. */
    final boolean nullable;

    Node(
        Op op,
        List<Node> subs,
        int min,
        int max,
        boolean fold,
        long runes,
        int[] text,
        boolean leafNullable) {
      this.op = op;
      this.subs = subs;
      this.min = min;
      this.max = max;
      this.fold = fold;
      this.runes = runes;
      this.text = text;
      int h = 1;
      for (Node sub : subs) {
        h = Math.max(h, 1 + sub.height);
      }
      this.height = h;
      this.size = size();
      this.nullable = nullable(leafNullable);
    }

    private boolean nullable(boolean leafNullable) {
      switch (op) {
        case LEAF:
          return leafNullable;
        case EMPTY:
        case STAR:
        case QUEST:
          return true;
        case LITERAL:
        case CLASS:
          return false;
        case REPEAT:
          return min == 0 || subs.get(0).nullable;
        case ALTERNATE:
          return subs.stream().anyMatch(sub -> sub.nullable);
        default:
          return subs.stream().allMatch(sub -> sub.nullable);
      }
    }

    /** Go's {@code calcSize}, saturating. */
    private long size() {
      long s;
      switch (op) {
        case LITERAL:
          s = runes;
          break;
        case PAD:
          s = subs.get(0).size;
          break;
        case CAPTURE:
        case STAR:
          s = add(2, subs.get(0).size);
          break;
        case PLUS:
        case QUEST:
          s = add(1, subs.get(0).size);
          break;
        case CONCAT:
          s = 0;
          for (Node sub : subs) {
            s = add(s, sub.size);
          }
          break;
        case ALTERNATE:
          s = subs.size() - 1L;
          for (Node sub : subs) {
            s = add(s, sub.size);
          }
          break;
        case REPEAT:
          long sub = subs.get(0).size;
          if (max == -1) {
            s = min == 0 ? add(2, sub) : add(1, multiply(min, sub));
          } else {
            s = add(multiply(max, sub), max - min);
          }
          break;
        default:
          s = 1;
      }
      return Math.max(1, s);
    }

    boolean isLiteralOrClass() {
      return op == Op.LITERAL || op == Op.CLASS;
    }
  }

  /** The flags Go's parser keeps that change what is matched. */
  private record Flags(boolean fold, boolean multiLine, boolean dotNl, boolean ungreedy) {
    /** As RE2/J must read them: m, s and U as they are, never i. */
    String re2j() {
      String on = (multiLine ? "m" : "") + (dotNl ? "s" : "") + (ungreedy ? "U" : "");
      String off = (multiLine ? "" : "m") + (dotNl ? "" : "s") + (ungreedy ? "" : "U");
      return on + (off.isEmpty() ? "" : "-" + off);
    }
  }

  /** An open group, or the whole expression. */
  private static final class Group {
    final boolean capture;
    final Flags flagsBefore;

    /** Where the group starts in the text for RE2/J. */
    final int re2jStart;

    final List<Node> branches = new ArrayList<>();
    final List<Node> items = new ArrayList<>();

    /** Where each item starts and ends in the text for RE2/J. */
    final List<int[]> spans = new ArrayList<>();

    Group(boolean capture, Flags flagsBefore, int re2jStart) {
      this.capture = capture;
      this.flagsBefore = flagsBefore;
      this.re2jStart = re2jStart;
    }
  }

  private final String s;
  private final boolean exactNames;
  private final int n;
  private int i;
  private Flags flags = new Flags(false, false, false, false);
  private long runes;
  private final List<Group> open = new ArrayList<>();
  private final StringBuilder re2j;
  private final List<String> names = new ArrayList<>(List.of(""));

  private GoSyntax(String s, boolean exactNames) {
    this.s = s;
    this.exactNames = exactNames;
    this.n = s.length();
    this.re2j = new StringBuilder(n + 8);
  }

  /**
   * @param exactNames look {@code \p{name}} up as Go 1.24 did (exactly as written), not as Go 1.26
   *     does
   */
  static Result parse(String expr, boolean exactNames) {
    GoSyntax parser = new GoSyntax(expr, exactNames);
    try {
      Node root = parser.run();
      return new Result(
          null, parser.re2j.toString(), List.copyOf(parser.names), root.size, root.nullable);
    } catch (Failure f) {
      return new Result(f.error, null, null, 0, false);
    }
  }

  // ---- the main loop: Go's parse()

  private Node run() throws Failure {
    open.add(new Group(false, flags, 0));
    int lastRepeat = -1;
    while (i < n) {
      int repeat = -1;
      char c = s.charAt(i);
      switch (c) {
        case '(':
          if (i + 1 < n && s.charAt(i + 1) == '?') {
            perlFlags();
          } else {
            openGroup(true, null);
            re2j.append('(');
            i++;
          }
          break;
        case '|':
          verticalBar();
          re2j.append('|');
          i++;
          break;
        case ')':
          rightParen();
          i++;
          break;
        case '^':
        case '$':
        case '.':
          {
            int at = re2j.length();
            re2j.append(c);
            // ^ and $ hold at the ends of an empty text; . needs a character.
            push(leaf(c != '.'), at);
            i++;
            break;
          }
        case '[':
          parseClass();
          break;
        case '*':
        case '+':
        case '?':
          {
            int before = i;
            i++;
            Op op = c == '*' ? Op.STAR : c == '+' ? Op.PLUS : Op.QUEST;
            repeat(op, 0, 0, before, lastRepeat);
            repeat = before;
            break;
          }
        case '{':
          {
            int before = i;
            int[] count = parseRepeat(i);
            if (count == null) {
              // Not a repetition: a literal {, which RE2/J wants escaped.
              literal('{');
              i++;
              break;
            }
            int min = count[0];
            int max = count[1];
            i = count[2];
            if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
              throw fail(RegexpError.INVALID_REPEAT_SIZE, s.substring(before, i));
            }
            repeat(Op.REPEAT, min, max, before, lastRepeat);
            repeat = before;
            break;
          }
        case '\\':
          backslash();
          break;
        default:
          {
            int cp = nextRune(i);
            literal(cp);
            i += Character.charCount(cp);
          }
      }
      lastRepeat = repeat;
    }
    Node root = finishGroup(current());
    if (open.size() > 1) {
      throw fail(RegexpError.MISSING_PAREN, s);
    }
    return root;
  }

  private Group current() {
    return open.get(open.size() - 1);
  }

  // ---- groups, alternation

  private void openGroup(boolean capture, String name) {
    open.add(new Group(capture, flags, re2j.length()));
    if (capture) {
      names.add(name == null ? "" : name);
    }
  }

  private void verticalBar() throws Failure {
    Group group = current();
    Node branch = concat(group.items);
    group.items.clear();
    group.spans.clear();
    group.branches.add(branch);
  }

  private void rightParen() throws Failure {
    if (open.size() < 2) {
      throw fail(RegexpError.UNEXPECTED_PAREN, s);
    }
    Group group = current();
    Node content = finishGroup(group);
    open.remove(open.size() - 1);
    flags = group.flagsBefore;
    re2j.append(')');
    push(group.capture ? node(Op.CAPTURE, List.of(content), 0, 0, 0) : content, group.re2jStart);
  }

  /** The group's alternation of concatenations, as Go's concat() and alternate() build it. */
  private Node finishGroup(Group group) throws Failure {
    group.branches.add(concat(group.items));
    group.items.clear();
    group.spans.clear();
    List<Node> branches = new ArrayList<>();
    for (Node branch : group.branches) {
      if (branch.op == Op.ALTERNATE) {
        branches.addAll(branch.subs);
      } else {
        branches.add(branch);
      }
    }
    if (branches.size() == 1) {
      Node only = branches.get(0);
      countRunes(only);
      return only;
    }
    for (Node branch : branches) {
      countRunes(branch);
    }
    Node alternate = node(Op.ALTERNATE, branches, 0, 0, 0);
    for (int k = factoringDepth(branches); k > 0; k--) {
      alternate = node(Op.PAD, List.of(alternate), 0, 0, 0);
    }
    return alternate;
  }

  /**
   * The most levels Go's factoring of these alternatives could add: each round takes a common
   * leading literal or piece out of a run of neighbours, adding a concatenation and an alternation
   * around the rest, so at most two levels per leading element two neighbours share, and per
   * alternative.
   */
  private static int factoringDepth(List<Node> branches) {
    int longest = 0;
    List<Object> previous = leading(branches.get(0));
    for (int k = 1; k < branches.size(); k++) {
      List<Object> next = leading(branches.get(k));
      int common = 0;
      while (common < previous.size()
          && common < next.size()
          && previous.get(common).equals(next.get(common))) {
        common++;
      }
      longest = Math.max(longest, common);
      previous = next;
    }
    return 2 * Math.min(longest, branches.size() - 1);
  }

  /**
   * Leading elements: each literal rune (with its fold flag), then each simple piece (a class, an
   * anchor, a repeated one), any two of which count as the same.
   */
  private static List<Object> leading(Node branch) {
    List<Node> items = branch.op == Op.CONCAT ? branch.subs : List.of(branch);
    List<Object> out = new ArrayList<>();
    for (Node item : items) {
      if (item.op == Op.LITERAL) {
        for (int r : item.text) {
          out.add(item.fold ? -1L - r : (long) r);
        }
      } else if (item.op == Op.CLASS || item.op == Op.LEAF || isSimpleRepeat(item)) {
        out.add("piece");
      } else {
        break;
      }
    }
    return out;
  }

  private static boolean isSimpleRepeat(Node item) {
    return isRepeat(item) && item.subs.get(0).subs.isEmpty();
  }

  private static boolean isRepeat(Node item) {
    return item.op == Op.REPEAT || item.op == Op.STAR || item.op == Op.PLUS || item.op == Op.QUEST;
  }

  /**
   * Go's concatenation of one branch: literals merged, nested concatenations flattened, one item
   * left as it is, none an empty match.
   */
  private Node concat(List<Node> items) throws Failure {
    List<Node> flat = new ArrayList<>();
    for (Node item : items) {
      List<Node> parts = item.op == Op.CONCAT ? item.subs : List.of(item);
      for (Node part : parts) {
        Node last = flat.isEmpty() ? null : flat.get(flat.size() - 1);
        if (part.op == Op.LITERAL
            && last != null
            && last.op == Op.LITERAL
            && last.fold == part.fold) {
          int[] text = new int[last.text.length + part.text.length];
          System.arraycopy(last.text, 0, text, 0, last.text.length);
          System.arraycopy(part.text, 0, text, last.text.length, part.text.length);
          flat.set(flat.size() - 1, literalNode(text, part.fold));
        } else {
          flat.add(part);
        }
      }
    }
    if (flat.isEmpty()) {
      return node(Op.EMPTY, List.of(), 0, 0, 0);
    }
    if (flat.size() == 1) {
      countRunes(flat.get(0));
      return flat.get(0);
    }
    return node(Op.CONCAT, flat, 0, 0, 0);
  }

  // ---- (? ... : Go's parsePerlFlags

  private void perlFlags() throws Failure {
    int start = i;
    boolean startsWithP = n - i > 4 && s.charAt(i + 2) == 'P' && s.charAt(i + 3) == '<';
    boolean startsWithName = n - i > 3 && s.charAt(i + 2) == '<';
    if (startsWithP || startsWithName) {
      int exprStart = i + (startsWithP ? 4 : 3);
      int end = s.indexOf('>', i);
      if (end < 0) {
        checkUtf8(i, n);
        throw fail(RegexpError.INVALID_NAMED_CAPTURE, s.substring(i));
      }
      String capture = s.substring(i, end + 1);
      String name = s.substring(exprStart, end);
      checkUtf8(exprStart, end);
      if (!validCaptureName(name)) {
        throw fail(RegexpError.INVALID_NAMED_CAPTURE, capture);
      }
      openGroup(true, name);
      // Go allows a name twice; RE2/J does not, so RE2/J gets a name per group.
      re2j.append("(?P<g").append(names.size() - 1).append('>');
      i = end + 1;
      return;
    }
    int t = i + 2;
    boolean fold = flags.fold();
    boolean multiLine = flags.multiLine();
    boolean dotNl = flags.dotNl();
    boolean ungreedy = flags.ungreedy();
    int sign = 1;
    boolean sawFlag = false;
    while (t < n) {
      int c = nextRune(t);
      t += Character.charCount(c);
      if (c == 'i' || c == 'm' || c == 's' || c == 'U') {
        boolean on = sign > 0;
        switch (c) {
          case 'i' -> fold = on;
          case 'm' -> multiLine = on;
          case 's' -> dotNl = on;
          default -> ungreedy = on;
        }
        sawFlag = true;
      } else if (c == '-') {
        if (sign < 0) {
          break;
        }
        sign = -1;
        sawFlag = false;
      } else if (c == ':' || c == ')') {
        if (sign < 0 && !sawFlag) {
          break;
        }
        if (c == ':') {
          openGroup(false, null);
        }
        flags = new Flags(fold, multiLine, dotNl, ungreedy);
        re2j.append("(?").append(flags.re2j()).append((char) c);
        i = t;
        return;
      } else {
        break;
      }
    }
    throw fail(RegexpError.INVALID_PERL_OP, s.substring(start, t));
  }

  private static boolean validCaptureName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c != '_' && !isAlnum(c)) {
        return false;
      }
    }
    return true;
  }

  // ---- repetition

  /** Go's parseRepeat at {@code {}: {min, max (-1: none), end}, or null when it is a literal. */
  private int[] parseRepeat(int at) {
    int p = at + 1;
    int[] first = parseInt(p);
    if (first == null) {
      return null;
    }
    int min = first[0];
    int max;
    p = first[1];
    if (p >= n) {
      return null;
    }
    if (s.charAt(p) != ',') {
      max = min;
    } else {
      p++;
      if (p >= n) {
        return null;
      }
      if (s.charAt(p) == '}') {
        max = -1;
      } else {
        int[] second = parseInt(p);
        if (second == null) {
          return null;
        }
        max = second[0];
        p = second[1];
        if (max < 0) {
          min = -1;
        }
      }
    }
    if (p >= n || s.charAt(p) != '}') {
      return null;
    }
    return new int[] {min, max, p + 1};
  }

  /** Go's parseInt: {value (-1 when too big), end}, or null; no leading zeros. */
  private int[] parseInt(int p) {
    if (p >= n || !isDigit(s.charAt(p))) {
      return null;
    }
    if (n - p >= 2 && s.charAt(p) == '0' && isDigit(s.charAt(p + 1))) {
      return null;
    }
    int start = p;
    while (p < n && isDigit(s.charAt(p))) {
      p++;
    }
    int value = 0;
    for (int k = start; k < p; k++) {
      if (value >= 100_000_000) {
        value = -1;
        break;
      }
      value = value * 10 + (s.charAt(k) - '0');
    }
    return new int[] {value, p};
  }

  /**
   * Go's repeat(): the operator at {@code before} applied to the item before it. Go lets a
   * repetition follow another when a flag group or an empty {@code \Q\E} stands between them
   * ({@code a*(?i)*}); RE2/J gets the inner one in a group of its own.
   */
  private void repeat(Op op, int min, int max, int before, int lastRepeat) throws Failure {
    if (i < n && s.charAt(i) == '?') {
      i++;
    }
    if (lastRepeat >= 0) {
      throw fail(RegexpError.INVALID_REPEAT_OP, s.substring(lastRepeat, i));
    }
    Group group = current();
    List<Node> items = group.items;
    if (items.isEmpty()) {
      throw fail(RegexpError.MISSING_REPEAT_ARGUMENT, s.substring(before, i));
    }
    Node sub = items.remove(items.size() - 1);
    int[] span = group.spans.remove(group.spans.size() - 1);
    if (isRepeat(sub)) {
      re2j.insert(span[1], ")");
      re2j.insert(span[0], "(?:");
    }
    re2j.append(s, before, i);
    Node repeat = node(op, List.of(sub), min, max, 0);
    items.add(repeat);
    group.spans.add(new int[] {span[0], re2j.length()});
    if (op == Op.REPEAT && (min >= 2 || max >= 2) && !repeatIsValid(repeat, 1000)) {
      throw fail(RegexpError.INVALID_REPEAT_SIZE, s.substring(before, i));
    }
  }

  /**
   * Go's repeatIsValid: along no path do the counts of nested {@code {n,m}} multiply past {@code
   * n}.
   */
  private static boolean repeatIsValid(Node re, int n) {
    if (re.op == Op.REPEAT) {
      int m = re.max;
      if (m == 0) {
        return true;
      }
      if (m < 0) {
        m = re.min;
      }
      if (m > n) {
        return false;
      }
      if (m > 0) {
        n /= m;
      }
    }
    for (Node sub : re.subs) {
      if (!repeatIsValid(sub, n)) {
        return false;
      }
    }
    return true;
  }

  // ---- backslash outside a class

  private void backslash() throws Failure {
    int start = re2j.length();
    if (i + 1 < n) {
      char c = s.charAt(i + 1);
      switch (c) {
        case 'A':
        case 'b':
        case 'B':
        case 'z':
          re2j.append('\\').append(c);
          // \A, \z and \B hold in an empty text; \b needs a word character.
          push(leaf(c != 'b'), start);
          i += 2;
          return;
        case 'C':
          throw fail(RegexpError.INVALID_ESCAPE, "\\C");
        case 'Q':
          {
            int end = s.indexOf("\\E", i + 2);
            int litEnd = end < 0 ? n : end;
            int k = i + 2;
            while (k < litEnd) {
              int cp = nextRune(k);
              literal(cp);
              k += Character.charCount(cp);
            }
            i = end < 0 ? n : end + 2;
            return;
          }
        case 'p':
        case 'P':
          {
            int[] set = unicodeClass();
            re2j.append(CharSets.re2j(set));
            push(classNode(UNICODE_TABLE_RUNES), start);
            return;
          }
        case 'd':
        case 'D':
        case 's':
        case 'S':
        case 'w':
        case 'W':
          re2j.append(CharSets.re2j(perlClass(c)));
          push(classNode(SMALL_TABLE_RUNES), start);
          i += 2;
          return;
        default:
          break;
      }
    }
    int[] escaped = escape(i);
    literal(escaped[0]);
    i = escaped[1];
  }

  /** A Perl class ({@code \d}, {@code \W}, ...), folded under {@code (?i)} as Go folds it. */
  private int[] perlClass(char c) {
    int[] positive =
        switch (Character.toLowerCase(c)) {
          case 'd' -> CharSets.DIGIT;
          case 's' -> CharSets.SPACE;
          default -> CharSets.WORD;
        };
    return table(positive, Character.isUpperCase(c));
  }

  /** A table's set: folded under {@code (?i)} first, then negated, as Go's appendGroup does. */
  private int[] table(int[] positive, boolean negated) {
    int[] set = flags.fold() ? CharSets.foldClose(positive) : positive;
    return negated ? CharSets.complement(set) : set;
  }

  /** Go's parseEscape at a backslash: {rune, end}. */
  private int[] escape(int at) throws Failure {
    int p = at + 1;
    if (p >= n) {
      throw fail(RegexpError.TRAILING_BACKSLASH, "");
    }
    int c = nextRune(p);
    p += Character.charCount(c);
    switch (c) {
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        // A single non-zero digit is a backreference, which Go does not support.
        if (p >= n || s.charAt(p) < '0' || s.charAt(p) > '7') {
          break;
        }
        return octal(c, p);
      case '0':
        return octal(c, p);
      case 'x':
        {
          if (p >= n) {
            break;
          }
          int c2 = nextRune(p);
          p += Character.charCount(c2);
          if (c2 == '{') {
            int nhex = 0;
            int r = 0;
            while (true) {
              if (p >= n) {
                throw fail(RegexpError.INVALID_ESCAPE, s.substring(at, p));
              }
              int c3 = nextRune(p);
              p += Character.charCount(c3);
              if (c3 == '}') {
                break;
              }
              int v = unhex(c3);
              if (v < 0) {
                throw fail(RegexpError.INVALID_ESCAPE, s.substring(at, p));
              }
              r = r * 16 + v;
              if (r > 0x10FFFF) {
                throw fail(RegexpError.INVALID_ESCAPE, s.substring(at, p));
              }
              nhex++;
            }
            if (nhex == 0) {
              break;
            }
            return new int[] {r, p};
          }
          int x = unhex(c2);
          int y = -1;
          if (p < n) {
            int c3 = nextRune(p);
            p += Character.charCount(c3);
            y = unhex(c3);
          }
          if (x < 0 || y < 0) {
            break;
          }
          return new int[] {x * 16 + y, p};
        }
      case 'a':
        return new int[] {7, p};
      case 'f':
        return new int[] {'\f', p};
      case 'n':
        return new int[] {'\n', p};
      case 'r':
        return new int[] {'\r', p};
      case 't':
        return new int[] {'\t', p};
      case 'v':
        return new int[] {0x0B, p};
      default:
        if (c < 0x80 && !isAlnum(c)) {
          // Escaped punctuation is itself.
          return new int[] {c, p};
        }
        break;
    }
    throw fail(RegexpError.INVALID_ESCAPE, s.substring(at, p));
  }

  private int[] octal(int first, int p) {
    int r = first - '0';
    for (int k = 1; k < 3; k++) {
      if (p >= n || s.charAt(p) < '0' || s.charAt(p) > '7') {
        break;
      }
      r = r * 8 + s.charAt(p) - '0';
      p++;
    }
    return new int[] {r, p};
  }

  /**
   * Go's parseUnicodeClass at {@code \p} or {@code \P} (at {@code i}): moves past it and returns
   * the set it means.
   */
  private int[] unicodeClass() throws Failure {
    int start = i;
    boolean negated = s.charAt(i + 1) == 'P';
    int p = i + 2;
    String seq;
    String name;
    if (p >= n) {
      seq = s.substring(start, p);
      name = "";
    } else {
      int c = nextRune(p);
      p += Character.charCount(c);
      if (c != '{') {
        seq = s.substring(start, p);
        name = seq.substring(2);
      } else {
        int end = s.indexOf('}', start);
        if (end < 0) {
          checkUtf8(start, n);
          throw fail(RegexpError.INVALID_CHAR_RANGE, s.substring(start));
        }
        seq = s.substring(start, end + 1);
        name = s.substring(start + 3, end);
        checkUtf8(start + 3, end);
        p = end + 1;
      }
    }
    if (!name.isEmpty() && name.charAt(0) == '^') {
      negated = !negated;
      name = name.substring(1);
    }
    UnicodeNames.Table table =
        exactNames ? UnicodeNames.lookupExact(name) : UnicodeNames.lookup(name);
    if (table == null) {
      throw fail(RegexpError.INVALID_CHAR_RANGE, seq);
    }
    if (table.inverted()) {
      negated = !negated;
    }
    i = p;
    return table(UnicodeNames.ranges(table), negated);
  }

  // ---- classes: Go's parseClass

  private void parseClass() throws Failure {
    int whole = i;
    List<int[]> sets = new ArrayList<>();
    int t = i + 1;
    long classRunes = 0;
    boolean negated = false;
    if (t < n && s.charAt(t) == '^') {
      negated = true;
      classRunes += 2;
      t++;
    }
    boolean first = true;
    while (t >= n || s.charAt(t) != ']' || first) {
      first = false;
      if (n - t > 2 && s.charAt(t) == '[' && s.charAt(t + 1) == ':') {
        int end = s.indexOf(":]", t + 2);
        if (end >= 0) {
          String name = s.substring(t, end + 2);
          String inner = name.substring(2, name.length() - 2);
          boolean not = inner.startsWith("^");
          int[] posix = CharSets.POSIX.get(not ? inner.substring(1) : inner);
          if (posix == null) {
            throw fail(RegexpError.INVALID_CHAR_RANGE, name);
          }
          sets.add(table(posix, not));
          classRunes += SMALL_TABLE_RUNES;
          t = end + 2;
          continue;
        }
      }
      if (n - t >= 2 && s.charAt(t) == '\\') {
        char e = s.charAt(t + 1);
        if (e == 'p' || e == 'P') {
          i = t;
          sets.add(unicodeClass());
          t = i;
          classRunes += UNICODE_TABLE_RUNES;
          continue;
        }
        if (e == 'd' || e == 'D' || e == 's' || e == 'S' || e == 'w' || e == 'W') {
          sets.add(perlClass(e));
          t += 2;
          classRunes += SMALL_TABLE_RUNES;
          continue;
        }
      }
      int range = t;
      int[] lo = classChar(t, whole);
      t = lo[1];
      int hi = lo[0];
      if (n - t >= 2 && s.charAt(t) == '-' && s.charAt(t + 1) != ']') {
        int[] h = classChar(t + 1, whole);
        t = h[1];
        hi = h[0];
        if (hi < lo[0]) {
          throw fail(RegexpError.INVALID_CHAR_RANGE, s.substring(range, t));
        }
      }
      int[] set = CharSets.range(lo[0], hi);
      sets.add(flags.fold() ? CharSets.foldClose(set) : set);
      classRunes += flags.fold() ? 2 + 2 * Math.min(3L * (hi - lo[0] + 1), 3000) : 2;
    }
    i = t + 1;
    int[] set = CharSets.union(sets);
    int at = re2j.length();
    re2j.append(CharSets.re2j(negated ? CharSets.complement(set) : set));
    push(classNode(classRunes), at);
  }

  /** Go's parseClassChar: {rune, end}. */
  private int[] classChar(int t, int whole) throws Failure {
    if (t >= n) {
      throw fail(RegexpError.MISSING_BRACKET, s.substring(whole));
    }
    if (s.charAt(t) == '\\') {
      return escape(t);
    }
    int cp = nextRune(t);
    return new int[] {cp, t + Character.charCount(cp)};
  }

  // ---- nodes and limits

  private static Node leaf(boolean nullable) {
    return new Node(Op.LEAF, List.of(), 0, 0, false, 0, null, nullable);
  }

  private static Node classNode(long classRunes) {
    return new Node(Op.CLASS, List.of(), 0, 0, false, classRunes, null, false);
  }

  private static Node literalNode(int[] text, boolean fold) {
    return new Node(Op.LITERAL, List.of(), 0, 0, fold, text.length, text, false);
  }

  /** A literal code point: onto the tree, and written so that RE2/J reads it as itself. */
  private void literal(int cp) throws Failure {
    int at = re2j.length();
    boolean fold = flags.fold();
    int[] set = CharSets.literal(cp, fold);
    if (set.length > 2 || set[0] != set[1]) {
      re2j.append(CharSets.re2j(set));
    } else {
      if (cp < 0x80 && !isAlnum(cp) && cp != '_' && cp > 0x20) {
        re2j.append('\\');
      }
      re2j.appendCodePoint(cp);
    }
    int key = fold ? Character.toLowerCase(Character.toUpperCase(cp)) : cp;
    push(literalNode(new int[] {key}, fold), at);
  }

  private Node node(Op op, List<Node> subs, int min, int max, long nodeRunes) throws Failure {
    Node node = new Node(op, List.copyOf(subs), min, max, false, nodeRunes, null, false);
    check(node);
    return node;
  }

  /**
   * Go's push: the node goes on the current branch, its runes are counted, limits checked; its text
   * for RE2/J starts at {@code re2jStart} and ends here.
   */
  private void push(Node node, int re2jStart) throws Failure {
    Group group = current();
    group.items.add(node);
    group.spans.add(new int[] {re2jStart, re2j.length()});
    countRunes(node);
    check(node);
  }

  /** Go counts a literal's or a class's runes again each time it pushes it anew. */
  private void countRunes(Node node) throws Failure {
    if (node.isLiteralOrClass()) {
      runes += node.runes;
      check(node);
    }
  }

  /** Go's checkLimits. */
  private void check(Node node) throws Failure {
    if (runes > MAX_RUNES || node.size > MAX_SIZE) {
      throw fail(RegexpError.LARGE, s);
    }
    if (node.height > MAX_HEIGHT) {
      throw fail(RegexpError.NESTING_DEPTH, s);
    }
  }

  // ---- text

  /** The code point at {@code at}; a lone surrogate is text Go would read as invalid UTF-8. */
  private int nextRune(int at) throws Failure {
    int cp = s.codePointAt(at);
    if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
      throw fail(RegexpError.INVALID_UTF8, s.substring(at));
    }
    return cp;
  }

  private void checkUtf8(int from, int to) throws Failure {
    for (int k = from; k < to; ) {
      int cp = nextRune(k);
      k += Character.charCount(cp);
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlnum(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static int unhex(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private Failure fail(String code, String expr) {
    return new Failure(new RegexpError(code, expr, expr.equals(s)));
  }

  private static long add(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  private static long multiply(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
