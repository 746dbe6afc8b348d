package dev.vigil.reconcilers.monitoringstack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus durations ({@code 1h30m}, {@code 500ms}), to compare intervals with timeouts. */
final class PrometheusDurations {
  private static final Pattern DURATION =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");

  /** Milliseconds per unit, in the order of the pattern's groups (a year is 365 days). */
  private static final long[] UNIT_MILLIS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1
  };

  private PrometheusDurations() {}

  /** The duration in milliseconds, or -1 when it is not a Prometheus duration. */
  static long millis(String duration) {
    if (duration == null || duration.isEmpty()) {
      return -1;
    }
    if (duration.equals("0")) {
      return 0;
    }
    Matcher m = DURATION.matcher(duration);
    if (!m.matches()) {
      return -1;
    }
    long total = 0;
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      if (m.group(i + 1) != null) {
        try {
          long units = Long.parseLong(m.group(i + 1));
          total = Math.addExact(total, Math.multiplyExact(units, UNIT_MILLIS[i]));
        } catch (ArithmeticException | NumberFormatException e) {
          return -1;
        }
      }
    }
    return total;
  }
}
