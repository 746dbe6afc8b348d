package dev.vigil.reconcilers.goregex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets of code points as sorted, disjoint {@code lo, hi} pairs: the character classes of an
 * expression, worked out here and written for RE2/J as plain ranges.
 *
 * <p>Case folding is worked out here too, and RE2/J never folds: its folding loops forever on a
 * letter its Unicode 6.0 tables do not know but the JVM's case mappings do ({@code (?i)\x{1C80}},
 * CYRILLIC SMALL LETTER ROUNDED VE, never returns from {@code Pattern.compile}). A letter folds to
 * the letters with the same lower case of its upper case, as Go's simple folding orbits do ({@code
 * k}, {@code K} and the Kelvin sign; {@code s}, {@code S} and the long s), except the dotted and
 * dotless i, which Go folds to nothing.
 */
final class CharSets {
  static final int MAX_RUNE = 0x10FFFF;

  static final int[] DIGIT = {'0', '9'};
  static final int[] SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};
  static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};

  /** Go's POSIX classes ({@code [:alpha:]}), ASCII only. */
  static final Map<String, int[]> POSIX =
      Map.ofEntries(
          Map.entry("alnum", new int[] {'0', '9', 'A', 'Z', 'a', 'z'}),
          Map.entry("alpha", new int[] {'A', 'Z', 'a', 'z'}),
          Map.entry("ascii", new int[] {0, 0x7F}),
          Map.entry("blank", new int[] {'\t', '\t', ' ', ' '}),
          Map.entry("cntrl", new int[] {0, 0x1F, 0x7F, 0x7F}),
          Map.entry("digit", DIGIT),
          Map.entry("graph", new int[] {'!', '~'}),
          Map.entry("lower", new int[] {'a', 'z'}),
          Map.entry("print", new int[] {' ', '~'}),
          Map.entry("punct", new int[] {'!', '/', ':', '@', '[', '`', '{', '~'}),
          Map.entry("space", new int[] {'\t', '\r', ' ', ' '}),
          Map.entry("upper", new int[] {'A', 'Z'}),
          Map.entry("word", WORD),
          Map.entry("xdigit", new int[] {'0', '9', 'A', 'F', 'a', 'f'}));

  /** The highest code point with a case (Go's maxFold is U+1E943). */
  private static final int MAX_FOLD = 0x1FFFF;

  /** Every code point that folds to another, sorted; and the orbit of each. */
  private static final int[] FOLDABLE;

  private static final Map<Integer, int[]> ORBITS;

  static {
    Map<Integer, List<Integer>> byKey = new HashMap<>();
    for (int cp = 0; cp <= MAX_FOLD; cp++) {
      if (cp == 0x130 || cp == 0x131) {
        continue;
      }
      int key = Character.toLowerCase(Character.toUpperCase(cp));
      if (key != cp || Character.toUpperCase(cp) != cp) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(cp);
      }
    }
    Map<Integer, int[]> orbits = new HashMap<>();
    List<Integer> foldable = new ArrayList<>();
    for (Map.Entry<Integer, List<Integer>> e : byKey.entrySet()) {
      List<Integer> members = new ArrayList<>(e.getValue());
      if (!members.contains(e.getKey())) {
        members.add(e.getKey());
      }
      if (members.size() < 2) {
        continue;
      }
      int[] orbit = members.stream().mapToInt(Integer::intValue).sorted().toArray();
      for (int cp : orbit) {
        orbits.put(cp, orbit);
        foldable.add(cp);
      }
    }
    FOLDABLE = foldable.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    ORBITS = orbits;
  }

  private CharSets() {}

  static int[] range(int lo, int hi) {
    return new int[] {lo, hi};
  }

  /** The code points a literal matches: itself, and under {@code fold} its whole orbit. */
  static int[] literal(int cp, boolean fold) {
    int[] orbit = fold ? ORBITS.get(cp) : null;
    if (orbit == null) {
      return range(cp, cp);
    }
    int[] ranges = new int[orbit.length * 2];
    for (int k = 0; k < orbit.length; k++) {
      ranges[2 * k] = orbit[k];
      ranges[2 * k + 1] = orbit[k];
    }
    return normalize(ranges);
  }

  /** Sorts and merges pairs that overlap or touch. */
  static int[] normalize(int[] pairs) {
    int count = pairs.length / 2;
    long[] packed = new long[count];
    for (int k = 0; k < count; k++) {
      packed[k] = ((long) pairs[2 * k] << 32) | (pairs[2 * k + 1] & 0xFFFFFFFFL);
    }
    Arrays.sort(packed);
    int[] out = new int[pairs.length];
    int size = 0;
    for (long p : packed) {
      int lo = (int) (p >>> 32);
      int hi = (int) p;
      if (size > 0 && lo <= out[size - 1] + 1) {
        out[size - 1] = Math.max(out[size - 1], hi);
      } else {
        out[size++] = lo;
        out[size++] = hi;
      }
    }
    return Arrays.copyOf(out, size);
  }

  static int[] union(List<int[]> sets) {
    int total = 0;
    for (int[] set : sets) {
      total += set.length;
    }
    int[] all = new int[total];
    int at = 0;
    for (int[] set : sets) {
      System.arraycopy(set, 0, all, at, set.length);
      at += set.length;
    }
    return normalize(all);
  }

  static int[] complement(int[] ranges) {
    List<Integer> out = new ArrayList<>();
    int next = 0;
    for (int k = 0; k < ranges.length; k += 2) {
      if (ranges[k] > next) {
        out.add(next);
        out.add(ranges[k] - 1);
      }
      next = ranges[k + 1] + 1;
    }
    if (next <= MAX_RUNE) {
      out.add(next);
      out.add(MAX_RUNE);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The set with every case variant of its letters added. */
  static int[] foldClose(int[] ranges) {
    List<Integer> extra = new ArrayList<>();
    for (int k = 0; k < ranges.length; k += 2) {
      int from = Arrays.binarySearch(FOLDABLE, ranges[k]);
      from = from < 0 ? -from - 1 : from;
      for (int f = from; f < FOLDABLE.length && FOLDABLE[f] <= ranges[k + 1]; f++) {
        for (int cp : ORBITS.get(FOLDABLE[f])) {
          extra.add(cp);
          extra.add(cp);
        }
      }
    }
    if (extra.isEmpty()) {
      return ranges;
    }
    int[] all = Arrays.copyOf(ranges, ranges.length + extra.size());
    for (int k = 0; k < extra.size(); k++) {
      all[ranges.length + k] = extra.get(k);
    }
    return normalize(all);
  }

  /** The set as an RE2/J class of plain ranges; an empty set as a class that matches nothing. */
  static String re2j(int[] ranges) {
    if (ranges.length == 0) {
      return "[^\\x{0}-\\x{10ffff}]";
    }
    StringBuilder b = new StringBuilder(ranges.length * 10 + 2).append('[');
    for (int k = 0; k < ranges.length; k += 2) {
      b.append("\\x{").append(Integer.toHexString(ranges[k])).append('}');
      if (ranges[k + 1] != ranges[k]) {
        b.append("-\\x{").append(Integer.toHexString(ranges[k + 1])).append('}');
      }
    }
    return b.append(']').toString();
  }
}
