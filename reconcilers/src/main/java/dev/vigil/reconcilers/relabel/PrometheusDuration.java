package dev.vigil.reconcilers.relabel;

import java.util.Map;

/**
 * Prometheus durations ({@code 1h30m}, {@code 500ms}) exactly as prometheus/common's {@code
 * model.ParseDuration} reads them and {@code model.Duration.String} prints them: units {@code y w d
 * h m s ms}, each at most once and from the biggest to the smallest, a year of 365 days, {@code 0}
 * without a unit, at most about 292 years.
 */
public final class PrometheusDuration {
  private static final long NANOS_PER_MILLI = 1_000_000L;

  /** Unit → (position, nanoseconds); positions must increase along a duration. */
  private static final Map<String, long[]> UNITS =
      Map.of(
          "y", new long[] {1, 365L * 86_400_000_000_000L},
          "w", new long[] {2, 7L * 86_400_000_000_000L},
          "d", new long[] {3, 86_400_000_000_000L},
          "h", new long[] {4, 3_600_000_000_000L},
          "m", new long[] {5, 60_000_000_000L},
          "s", new long[] {6, 1_000_000_000L},
          "ms", new long[] {7, NANOS_PER_MILLI});

  private PrometheusDuration() {}

  /** The duration in nanoseconds, or -1 when Prometheus would refuse it. */
  public static long nanos(String duration) {
    if (duration == null || duration.isEmpty()) {
      return -1;
    }
    if (duration.equals("0")) {
      return 0;
    }
    long total = 0;
    int lastPosition = 0;
    int i = 0;
    while (i < duration.length()) {
      int digits = i;
      while (digits < duration.length() && isDigit(duration.charAt(digits))) {
        digits++;
      }
      if (digits == i) {
        return -1;
      }
      long value;
      try {
        value = Long.parseUnsignedLong(duration.substring(i, digits));
      } catch (NumberFormatException e) {
        return -1;
      }
      int unitEnd = digits;
      while (unitEnd < duration.length() && !isDigit(duration.charAt(unitEnd))) {
        unitEnd++;
      }
      long[] unit = UNITS.get(duration.substring(digits, unitEnd));
      if (unit == null || unit[0] <= lastPosition) {
        return -1;
      }
      lastPosition = (int) unit[0];
      // Go compares unsigned: v > 2^63 / mult is out of range.
      if (Long.compareUnsigned(value, Long.divideUnsigned(Long.MIN_VALUE, unit[1])) > 0) {
        return -1;
      }
      total += value * unit[1];
      if (total < 0) {
        return -1; // above 2^63 - 1
      }
      i = unitEnd;
    }
    return total;
  }

  /** The duration in milliseconds, or -1 when Prometheus would refuse it. */
  public static long millis(String duration) {
    long nanos = nanos(duration);
    return nanos < 0 ? -1 : nanos / NANOS_PER_MILLI;
  }

  /**
   * As Prometheus prints a duration of {@code millis} milliseconds: {@code 90s} is {@code 1m30s};
   * years and weeks only when they divide it.
   */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long rest = millis;
    if (rest < 0) {
      out.append('-');
      rest = -rest;
    }
    long[][] units = {
      {365L * 86_400_000, 1},
      {7L * 86_400_000, 1},
      {86_400_000, 0},
      {3_600_000, 0},
      {60_000, 0},
      {1000, 0},
      {1, 0}
    };
    String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int u = 0; u < units.length; u++) {
      long size = units[u][0];
      boolean exactOnly = units[u][1] == 1;
      if (exactOnly && rest % size != 0) {
        continue;
      }
      long count = rest / size;
      if (count > 0) {
        out.append(count).append(names[u]);
        rest -= count * size;
      }
    }
    return out.toString();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
